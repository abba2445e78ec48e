"""Typeset a book with Typst in the house style (``templates/book.typ``).

This is the entry point for any printed document made from the model, not only the editions: build a
:class:`BookSource` (Typst markup for the body, written with :func:`typst_env` templates so every value
from YAML is a string literal, never markup; SVG files beside it), then call :func:`typeset`::

    source = BookSource(title="修订对照表", subtitle="", enterprise=model.site.enterprise, paper="A4",
                        edition_line="2026 年版", colophon=[("书名", "修订对照表")],
                        body=env.get_template("my_document.typ.j2").render(...), files={"a.svg": svg})
    pages = typeset(source, Path("out.pdf"))

The body uses the style's helpers (``fig``, ``diagram``, ``words``, ``writing-lines``, ``running``) and
headings: level 1 starts a chapter (new page, bookmark; put ``#set page(header: running[标题])`` right before
it for its running header), level 2 a part of it (new page, bookmark), level 3 and below are plain headings
written as ``#heading(level: 3, outlined: false)[…]``. Sizes: nothing below ``FLOOR``; text areas for placing
diagrams come from :func:`text_area`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from ..sourcedate import source_date

TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLE = TEMPLATES / "book.typ"

# Text area of a page in points, portrait: paper minus margins (see ``geometry`` in book.typ), minus the
# running header and the folio.
PAPER = {"A4": (210.0, 297.0), "A5": (148.0, 210.0)}
MARGINS = {"A4": (20.0, 22.0, 20.0), "A5": (15.0, 16.0, 14.0)}  # sides, top, bottom in mm
LANDSCAPE_MARGINS = (15.0, 12.0, 10.0)  # ``turned`` pages in book.typ
HEADER_ALLOWANCE = 9.0  # mm taken by the running header and the folio inside the margins
BODY_SIZE = {"A4": 10.5, "A5": 9.0}
FLOOR = 7.5  # pt: nothing is set smaller (六号)


def _mm(value: float) -> float:
    return value / 25.4 * 72


def text_area(paper: str, landscape: bool = False) -> tuple[float, float]:
    """Width and height in points of the text area of a page (portrait, or the landscape page)."""
    width, height = PAPER[paper]
    side, top, bottom = MARGINS[paper]
    if landscape:
        width, height = height, width
        side, top, bottom = LANDSCAPE_MARGINS
    return _mm(width - 2 * side), _mm(height - top - bottom - HEADER_ALLOWANCE)


class Raw(str):
    """Typst markup that goes into a template as it is (not quoted)."""


def literal(value: object) -> Raw:
    """Any value as Typst markup that shows it as text: an escaped string literal."""
    if isinstance(value, Raw):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Raw(f"{value:g}")
    # json.dumps escapes backslashes, quotes and control characters the way Typst string literals read them.
    return Raw("#" + json.dumps(str(value), ensure_ascii=False) + ";")


def _as_raw(value: object) -> Raw:
    return Raw(value)


def typst_env(*folders: Path) -> Environment:
    """Jinja for Typst templates: every ``{{ value }}`` is text unless it is :class:`Raw` (filter ``raw``)."""
    env = Environment(loader=FileSystemLoader([*folders, TEMPLATES]), autoescape=False, finalize=literal,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["raw"] = _as_raw
    env.filters["str"] = lambda v: Raw(json.dumps(str(v), ensure_ascii=False))  # a string in code mode
    return env


@dataclass
class BookSource:
    """Everything a book is made of: front matter, the body as Typst markup, the files it reads."""

    title: str
    subtitle: str
    enterprise: str
    paper: str
    edition_line: str
    colophon: list[tuple[str, str]]
    body: str
    files: dict[str, str] = field(default_factory=dict)
    note: str = ""
    keywords: list[str] = field(default_factory=list)
    cover_fields: list[str] = field(default_factory=list)

    def main(self, date: dt.datetime) -> str:
        """The whole document: the style, the front matter as literals, then the body."""
        colophon = ", ".join(f"({json.dumps(k, ensure_ascii=False)}, {json.dumps(v, ensure_ascii=False)})"
                             for k, v in self.colophon)
        args = {
            "title": self.title, "subtitle": self.subtitle, "enterprise": self.enterprise,
            "edition-line": self.edition_line, "paper": self.paper,
        }
        named = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in args.items())
        keywords = "".join(json.dumps(k, ensure_ascii=False) + ", " for k in self.keywords)  # "()" when none
        note = f"[{literal(self.note)}]" if self.note else "none"
        if self.cover_fields:
            named += ", cover-fields: (" + "".join(json.dumps(f, ensure_ascii=False) + ", " for f in self.cover_fields) + ")"
        return (
            '#import "book.typ": *\n'
            f"#show: book.with({named}, colophon: ({colophon},), note: {note}, keywords: ({keywords}),\n"
            f"  date: datetime(year: {date.year}, month: {date.month}, day: {date.day}, hour: {date.hour}, "
            f"minute: {date.minute}, second: {date.second}))\n\n" + self.body
        )


def build_date(root: Path) -> dt.datetime:
    """When the book was made, for reproducible builds: the commit's date (``generators.sourcedate``), never
    the clock; the start of 1970 outside git with nothing set. Naive UTC, as Typst wants it."""
    when = source_date(root)
    if when is None:
        return dt.datetime(1970, 1, 1)
    return when.astimezone(dt.timezone.utc).replace(tzinfo=None)


@cache
def font_folders() -> tuple[str, ...]:
    """Folders holding the Noto CJK fonts (Debian's fonts-noto-cjk); Typst is given these and no others."""
    try:
        listing = subprocess.run(["fc-list", ":lang=zh", "file", "family"], capture_output=True, text=True,
                                 timeout=20, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        listing = ""
    folders = {str(Path(line.split(":")[0]).parent) for line in listing.splitlines() if "Noto" in line and "CJK" in line}
    if not folders and Path("/usr/share/fonts/opentype/noto").is_dir():
        folders.add("/usr/share/fonts/opentype/noto")
    return tuple(sorted(folders))


def typeset(source: BookSource, target: Path, date: dt.datetime | None = None) -> int:
    """Typeset ``source`` into the PDF ``target`` (written atomically); the number of pages."""
    import typst

    date = date or dt.datetime(1980, 1, 1)
    with tempfile.TemporaryDirectory(prefix="hb-book-") as work:
        folder = Path(work)
        (folder / "book.typ").write_text(STYLE.read_text(encoding="utf-8"), encoding="utf-8")
        for name, text in source.files.items():
            (folder / name).write_text(text, encoding="utf-8")
        main = folder / "main.typ"
        main.write_text(source.main(date), encoding="utf-8")
        pdf = typst.compile(str(main), root=str(folder), font_paths=list(font_folders()), ignore_system_fonts=True,
                            timestamp=int(date.replace(tzinfo=dt.timezone.utc).timestamp()))
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, target)
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
