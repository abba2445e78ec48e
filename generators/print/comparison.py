"""The 修订对照表 as a printed document: one function and one template (``comparison.html.j2``).

Kept apart from the editions' book on purpose, so it can follow the print engine wherever it goes.
What it depends on: the book's stylesheet ``templates/book.css`` (page box, running header, folios,
cover and colophon classes), the :class:`~generators.model.compare.Comparison` it prints, and
:func:`.render._write_pdf` (WeasyPrint, run in a fresh process). Nothing else of the print package.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..model.compare import CHANGE_LABELS, Comparison
from ..model.schema import SiteSettings
from .render import _write_pdf

TEMPLATES = Path(__file__).resolve().parent / "templates"


def print_comparison(comparison: Comparison, site: SiteSettings, target: Path, cache_dir: Path | None = None) -> Path:
    """Typeset ``comparison`` into ``target`` (A4, the editions' book style); reuse a PDF of the same HTML."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    html = env.get_template("comparison.html.j2").render(
        comparison=comparison, site=site, labels=CHANGE_LABELS, date=dt.date.today().isoformat(),
        css=Markup((TEMPLATES / "book.css").read_text(encoding="utf-8")),
    )
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    kept = (cache_dir / f"comparison-{key}.pdf") if cache_dir else None
    if kept is None or not kept.is_file():
        out = kept or target
        out.parent.mkdir(parents=True, exist_ok=True)
        # A fresh interpreter, like the editions: Graphviz's fontconfig must not meet WeasyPrint's.
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
            pool.submit(_write_pdf, html, str(out)).result()
    if kept is not None and kept != target:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(kept, target)
    return target
