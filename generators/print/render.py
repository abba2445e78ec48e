"""Typeset editions with Typst: in parallel across cores, skipping editions whose book did not change."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Callable

from ..diagrams.render import DiagramCache, graphviz_version
from ..fsutil import write_atomic
from ..sourcedate import source_date
from ..model import Model
from ..model.schema import Edition
from ..model.project import yaml_files
from .book import build_book, start_helper
from .typeset import TEMPLATES, build_date, font_folders, typeset

RENDERER_VERSION = "2"
# Helper processes for one edition: its two dozen flowcharts keep no more than a few busy.
MAX_HELPERS = 3


def _cores() -> int:
    """Cores this process may run on (a container's limit included, where the system says so)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


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


def _make_edition(model: Model, edition_id: str, cache: DiagramCache, colophon: dict[str, str], date: dt.datetime,
                  known: str, helpers: Executor | None = None) -> tuple[_Plan, int]:
    """Assemble one edition's book and typeset it, unless a PDF of the very same book is in the store."""
    edition = model.editions[edition_id]
    store = Path(known).parent
    book = build_book(model, edition, cache, colophon, helpers)
    files = "\0".join(f"{name}\0{text}" for name, text in sorted(book.files.items()))
    key = _digest(RENDERER_VERSION, metadata.version("typst"), book.main(date), files,
                  (TEMPLATES / "book.typ").read_text("utf-8"))
    plan = _Plan(book.title, book.subtitle, store / f"{key}.pdf", store / f"{key}.json", Path(known))
    if not plan.done:
        pages = typeset(book, plan.pdf, date)
        write_atomic(plan.meta, json.dumps({"pages": pages}))
    plan.remember()
    return plan, json.loads(plan.meta.read_text(encoding="utf-8"))["pages"]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@cache
def _code_fingerprint() -> str:
    """What in this package and its libraries shapes a book: every source file, template and style sheet."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".j2", ".css", ".json") and p.is_file()):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for library in ("jinja2", "pygraphviz", "pydantic", "jieba"):
        digest.update(f"{library} {metadata.version(library)}\0".encode())
    return digest.hexdigest()


def _inputs_fingerprint(model: Model, typst_version: str) -> str:
    """Everything a book is made from: the content files, the code, Graphviz and Typst."""
    digest = hashlib.sha256()
    for path in yaml_files(model.root):
        digest.update(path.relative_to(model.root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return _digest(RENDERER_VERSION, digest.hexdigest(), _code_fingerprint(), graphviz_version(), typst_version, "\0".join(font_folders()))


@dataclass
class _Plan:
    """One edition's book: its PDF in the cache, and the record that finds it again from the book's inputs."""

    title: str
    subtitle: str
    pdf: Path
    meta: Path
    known: Path

    @property
    def done(self) -> bool:
        return self.pdf.is_file() and self.meta.is_file()

    @classmethod
    def recall(cls, store: Path, known: Path) -> "_Plan | None":
        try:
            record = json.loads(known.read_text(encoding="utf-8"))
            plan = cls(record["title"], record["subtitle"], store / f"{record['key']}.pdf", store / f"{record['key']}.json", known)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return plan if plan.done else None

    def remember(self) -> None:
        write_atomic(self.known, json.dumps({"title": self.title, "subtitle": self.subtitle, "key": self.pdf.stem}, ensure_ascii=False))


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
    typst_version = metadata.version("typst")
    editions = [model.editions[i] for i in (only or list(model.editions))]
    store = model.root / ".cache" / "print"
    store.mkdir(parents=True, exist_ok=True)
    date = build_date(model.root)
    dated = source_date(model.root) is not None
    colophon = {"revision": _revision(model.root), "date": date.date().isoformat() if dated else "未纳入版本管理"}

    inputs = _inputs_fingerprint(model, typst_version)
    plans: list[tuple[Edition, Path, _Plan | None]] = []
    for edition in editions:
        # Fast path: the same sources, code and colophon as a book typeset before need no book at all.
        known = store / f"inputs-{_digest(inputs, edition.model_dump_json(), json.dumps(colophon))}.json"
        plans.append((edition, known, _Plan.recall(store, known)))

    todo = [(edition, known) for edition, known, plan in plans if plan is None]
    made: dict[str, _Plan] = {}
    if todo:
        progress(f"印刷版：{len(todo)} 本需要排版，{len(plans) - len(todo)} 本未变化。")
        cores = _cores()
        count = workers or max(1, min(len(todo), cores))
        jobs = [(model, edition.id, cache, colophon, date, str(known)) for edition, known in todo]
        spare = min(cores - len(todo), MAX_HELPERS)
        if count == 1 and workers is None and spare > 0:
            # One edition and idle cores: helpers cut its flowcharts while this process sets the tables.
            (edition, _), = todo
            progress(f"印刷版：另用 {spare} 个进程绘制流程图。")
            with tempfile.NamedTemporaryFile(dir=store, prefix="helper-", suffix=".pickle") as pickled:
                pickle.dump(model, pickled)
                pickled.flush()
                with ProcessPoolExecutor(max_workers=spare, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=start_helper, initargs=(pickled.name, edition.id, cache)) as helpers:
                    try:
                        for _ in range(spare):
                            helpers.submit(int)  # start the helpers now, while the book's first half is assembled
                        results = [_make_edition(*job, helpers=helpers) for job in jobs]
                    finally:
                        helpers.shutdown(cancel_futures=True)  # a failed book leaves no chart queued
        elif count == 1:
            results = [_make_edition(*job) for job in jobs]
        else:
            # Each worker assembles and typesets whole editions, so both halves of the work use every core.
            # Fresh interpreters, not forks: this process holds Graphviz and threads of its own.
            with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn")) as pool:
                futures = [pool.submit(_make_edition, *job) for job in jobs]
                results = [future.result() for future in futures]
        for done, ((edition, known), (plan, pages)) in enumerate(zip(todo, results), start=1):
            made[edition.id] = plan
            progress(f"印刷版 {done}/{len(todo)}：{plan.title}{('（' + plan.subtitle + '）') if plan.subtitle else ''}，{pages} 页")

    printed = []
    for edition, _, recalled in plans:
        plan = recalled or made[edition.id]
        pdf = plan.pdf
        pages = json.loads(plan.meta.read_text(encoding="utf-8"))["pages"]
        rebuilt = recalled is None
        printed.append(Printed(edition.id, plan.title, plan.subtitle, edition.paper, pages, pdf.stat().st_size, str(pdf), rebuilt))
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pdf, out_dir / f"{edition.id}.pdf")
    return printed


def manifest(printed: list[Printed]) -> str:
    return json.dumps([asdict(p) for p in printed], ensure_ascii=False, indent=2)
