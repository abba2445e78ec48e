"""Make every yearly document of the edition year (or any year), cached and typeset in parallel.

Where each file goes in the site is decided here (:func:`paths`), so the pages link to the same names the
build writes. Every output is kept in ``.cache/documents/`` under a digest of what it is made from (the
document's data or Typst source, this package's code, the Typst and python-docx versions): an unchanged
document is copied, not made again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Callable

from ..calendar import occurrences
from ..model import Model
from ..print.typeset import STYLE, build_date, typeset
from .links import form_path, monthly_path, record_book_path, wall_chart_path
from .monthly import arrangement, levels
from .pdf import write_bytes

RENDERER_VERSION = "1"
PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Made:
    """One document in the site: its path under the site root and the cached file it is copied from."""

    rel: str
    source: str
    title: str


# ---------------------------------------------------------------- cache


@cache
def _fingerprint() -> str:
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".j2")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(STYLE.read_bytes())
    for library in ("typst", "python-docx", "jieba"):
        digest.update(f"{library} {metadata.version(library)}".encode())
    return digest.hexdigest()


def _key(*parts: str) -> str:
    return hashlib.sha256("\0".join((_fingerprint(),) + parts).encode("utf-8")).hexdigest()[:40]


def _typeset_jobs(jobs: list[tuple[str, object, str]], date: dt.datetime) -> int:
    """Runs in a worker: typeset documents into the cache. Typst markup shares one compiler (its fonts are
    loaded once); books go through the house style's :func:`typeset`."""
    import typst

    from ..print.typeset import font_folders

    compiler = None
    stamp = int(date.replace(tzinfo=dt.timezone.utc).timestamp())
    for kind, payload, target in jobs:
        if kind == "book":
            typeset(payload, Path(target), date)
            continue
        if compiler is None:
            fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=list(font_folders()))
            compiler = typst.Compiler(font_paths=fonts, ignore_system_fonts=True)
        write_bytes(Path(target), compiler.compile(str(payload).encode("utf-8"), timestamp=stamp))
    return len(jobs)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def make_documents(model: Model, year: int | None = None, *, only: set[str] | None = None, select: str | None = None,
                   progress: Callable[[str], None] = _stderr, workers: int | None = None) -> list[Made]:
    """Every document of ``year`` (the edition year by default): ``only`` limits the kinds
    (monthly, forms, record-book, wall-chart), ``select`` to the one file of that name."""
    from . import pdf, wall_chart, word
    from .record_book import build_record_book, record_book_data
    from ..print.render import _revision

    year = year or model.site.edition_year
    kinds = only or {"monthly", "forms", "record-book", "wall-chart"}
    store = model.root / ".cache" / "documents"
    store.mkdir(parents=True, exist_ok=True)
    date = build_date(model.root)
    made: list[Made] = []
    every = occurrences(model, year)
    typst_jobs: list[tuple[str, object, str]] = []

    def cached(rel: str, title: str, key: str, make: Callable[[], bytes] | None = None,
               job: tuple[str, object] | None = None) -> None:
        if select and not rel.endswith("/" + select):
            return
        target = store / f"{key}{Path(rel).suffix}"
        if not target.is_file():
            if make is not None:
                write_bytes(target, make())
            elif job is not None:
                typst_jobs.append((job[0], job[1], str(target)))
        made.append(Made(rel, str(target), title))

    if "monthly" in kinds:
        for level in levels(model):
            for month in range(1, 13):
                arr = arrangement(model, year, month, level.id, every)
                data = repr(arr)
                for layout in word.LAYOUTS:
                    cached(monthly_path(year, month, level.id, "docx", layout), arr.title, _key("docx", layout, data),
                           make=lambda arr=arr, layout=layout: word.monthly_docx(arr, layout))
                source = pdf.monthly_source(arr, date)
                cached(monthly_path(year, month, level.id, "pdf"), arr.title, _key("notice", source),
                       job=("typst", source))
    if "forms" in kinds:
        for form in model.forms.values():
            cached(form_path(form.id), form.title, _key("form", repr(form), model.site.enterprise),
                   make=lambda form=form: word.form_docx(form, model.site.enterprise))
    colophon = {"revision": _revision(model.root), "date": date.date().isoformat()}
    if "record-book" in kinds:
        for bt in model.branch_types.values():
            if select and select != Path(record_book_path(bt.id, year)).name:
                continue
            data = record_book_data(model, bt.id, year, every)
            key = _key("book", repr(data), repr(sorted(colophon.items())), date.isoformat())
            job = None
            if not (store / f"{key}.pdf").is_file():
                job = ("book", build_record_book(model, data, colophon))
            cached(record_book_path(bt.id, year), f"{bt.name}党支部工作手册（{year}年度）", key, job=job)
    if "wall-chart" in kinds:
        for level in levels(model):
            if select and select != Path(wall_chart_path(level.id, year)).name:
                continue
            source = wall_chart.wall_chart_source(model, year, level.id, date, every)
            cached(wall_chart_path(level.id, year), f"{year}年{level.name}党建工作挂图", _key("chart", source),
                   job=("typst", source))

    if typst_jobs:
        progress(f"年度文件：{len(typst_jobs)} 个需要排版，{len(made) - len(typst_jobs)} 个未变化或已生成。")
        count = workers or max(1, min(len(typst_jobs), os.cpu_count() or 1))
        # Books first (the longest), then the rest dealt round so every worker gets a share.
        ordered = sorted(typst_jobs, key=lambda j: j[0] != "book")
        chunks = [ordered[n::count] for n in range(count)]
        if count == 1:
            _typeset_jobs(ordered, date)
        else:
            with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn")) as pool:
                for future in [pool.submit(_typeset_jobs, chunk, date) for chunk in chunks if chunk]:
                    future.result()
    return made


def copy_documents(made: list[Made], out_dir: Path) -> None:
    for m in made:
        target = out_dir / m.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(m.source, target)

