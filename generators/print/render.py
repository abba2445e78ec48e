"""Typeset editions with WeasyPrint: in parallel across cores, skipping editions whose book did not change."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from ..diagrams.render import DiagramCache
from ..fsutil import write_atomic
from ..model import Model
from .book import build_book

RENDERER_VERSION = "1"
_DATE = "@@印制日期@@"


@dataclass(frozen=True)
class Printed:
    """One finished edition: where its PDF is and what a reader needs to know before downloading it."""

    id: str
    title: str
    subtitle: str
    paper: str
    pages: int
    size: int
    pdf: str
    rebuilt: bool

    @property
    def filename(self) -> str:
        return f"{self.id}.pdf"


def _revision(root: Path) -> str:
    try:
        rev = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "modules", "diagrams", "content"],
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "未纳入版本管理"
    return f"{rev}（含未提交的修改）" if dirty else rev


def _write_pdf(html: str, target: str) -> int:
    """In a worker process: typeset ``html`` into ``target``; the number of pages."""
    import weasyprint

    document = weasyprint.HTML(string=html).render()
    pdf = document.write_pdf()
    tmp = Path(target).with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, target)
    return len(document.pages)


def _stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def print_editions(
    model: Model,
    cache: DiagramCache,
    *,
    only: list[str] | None = None,
    out_dir: Path | None = None,
    progress: Callable[[str], None] = _stderr_progress,
    workers: int | None = None,
) -> list[Printed]:
    """Typeset the editions (all, or ``only`` these ids); copy the PDFs to ``out_dir`` when given."""
    import weasyprint

    editions = [model.editions[i] for i in (only or list(model.editions))]
    store = model.root / ".cache" / "print"
    store.mkdir(parents=True, exist_ok=True)
    colophon = {"revision": _revision(model.root), "date": _DATE}
    today = dt.date.today().isoformat()

    plans = []
    for edition in editions:
        book = build_book(model, edition, cache, colophon)
        key = hashlib.sha256("\0".join([RENDERER_VERSION, weasyprint.__version__, book.html]).encode()).hexdigest()
        pdf, meta = store / f"{key}.pdf", store / f"{key}.json"
        plans.append((edition, book, pdf, meta, not (pdf.is_file() and meta.is_file())))

    todo = [p for p in plans if p[4]]
    if todo:
        progress(f"印刷版：{len(todo)} 本需要排版，{len(plans) - len(todo)} 本未变化。")
        count = workers or max(1, min(len(todo), os.cpu_count() or 1))
        # Fresh interpreters, not forks: the Graphviz libraries loaded here ship their own fontconfig,
        # which must not meet the one WeasyPrint loads.
        with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [(p, pool.submit(_write_pdf, p[1].html.replace(_DATE, today), str(p[2]))) for p in todo]
            for done, (plan, future) in enumerate(futures, start=1):
                pages = future.result()
                write_atomic(plan[3], json.dumps({"pages": pages}))
                progress(f"印刷版 {done}/{len(todo)}：{plan[1].title}{('（' + plan[1].subtitle + '）') if plan[1].subtitle else ''}，{pages} 页")

    printed = []
    for edition, book, pdf, meta, rebuilt in plans:
        pages = json.loads(meta.read_text(encoding="utf-8"))["pages"]
        printed.append(Printed(edition.id, book.title, book.subtitle, edition.paper, pages, pdf.stat().st_size, str(pdf), rebuilt))
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pdf, out_dir / f"{edition.id}.pdf")
    return printed


def manifest(printed: list[Printed]) -> str:
    return json.dumps([asdict(p) for p in printed], ensure_ascii=False, indent=2)
