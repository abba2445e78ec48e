"""Typst documents outside the book style (the notice, the wall chart): compile markup with the project's fonts."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from functools import cache
from pathlib import Path

from ..print.typeset import Raw, font_folders, typst_env
from .monthly import Arrangement
from .word import ARRANGEMENT_COLUMNS

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def env():
    return typst_env(TEMPLATES)


def typst_date(date: dt.datetime) -> Raw:
    return Raw(f"datetime(year: {date.year}, month: {date.month}, day: {date.day}, hour: {date.hour}, "
               f"minute: {date.minute}, second: {date.second})")


def compile_pdf(main: str, date: dt.datetime, files: dict[str, str] | None = None) -> bytes:
    """Compile Typst markup (and the files it reads) with the Noto CJK fonts only; the PDF's bytes."""
    import typst

    with tempfile.TemporaryDirectory(prefix="hb-doc-") as work:
        folder = Path(work)
        for name, text in (files or {}).items():
            (folder / name).write_text(text, encoding="utf-8")
        (folder / "main.typ").write_text(main, encoding="utf-8")
        return typst.compile(str(folder / "main.typ"), root=str(folder), font_paths=list(font_folders()),
                             ignore_system_fonts=True,
                             timestamp=int(date.replace(tzinfo=dt.timezone.utc).timestamp()))


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def write_bytes(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def monthly_pdf(arr: Arrangement, date: dt.datetime, layout: str = "plain") -> bytes:
    """The same 通知 as :func:`generators.documents.word.monthly_docx`, typeset by Typst."""
    return compile_pdf(monthly_source(arr, date, layout), date)


def monthly_source(arr: Arrangement, date: dt.datetime, layout: str = "plain") -> str:
    """The notice as Typst markup."""
    rows = [[r.title + ("（示例）" if r.sample and "示例" not in r.title else ""), r.requirement, r.deadline, r.owner,
             r.records] for r in arr.rows] or [["本月无按期完成的工作事项", "", "", "", ""]]
    return env().get_template("notice.typ.j2").render(
        arr=arr, gongwen=layout == "gongwen", date=typst_date(date),
        date_text=f"{arr.date.year}年{arr.date.month}月{arr.date.day}日",
        sections=[("一", "总体要求", arr.general), ("二", "重点工作", arr.focus), ("三", "操作提示", arr.tips)],
        header=[h for h, _ in ARRANGEMENT_COLUMNS], shares=[round(s * 100) for _, s in ARRANGEMENT_COLUMNS], rows=rows)
