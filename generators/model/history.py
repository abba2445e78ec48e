"""Revision history from git: which commits changed which work items, and the edition's predecessor.

One ``git log`` walk over ``modules/`` and ``diagrams/`` serves the whole site. For each commit,
only the section files it touched are read, at that commit and at its parent (one ``git cat-file``
process for all of them), and their items are matched by id: an item that leaves one file and
appears in another in the same commit is one move, so its history survives moves and file renames.
That cheap reading does not need the old model to validate. Where both the commit and its parent
do validate, the full :class:`~.compare.Comparison` is computed once and kept under
``.cache/revisions/`` by commit hashes; the site shows it as that change's page.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath

from ..errors import Collector, ContentError, HandbookError
from ..fsutil import write_atomic
from .compare import Comparison, compare, revision_info
from .model import Model
from .project import DIAGRAMS, MODULES, classify
from .revisions import Revision, code_text, load_revision, resolve
from .source import load_source

log = logging.getLogger("mkdocs.plugins.handbook")
# Commits walked, newest first; older history is left out of the pages (a note says so).
HISTORY_LIMIT = 300
# Commits whose full comparison is computed (each needs the model at the commit and its parent).
COMPARED_LIMIT = 60
_TIMEOUT = 60


@dataclass(frozen=True)
class Change:
    """One commit that changed the model."""

    commit: str
    parent: str | None
    date: str
    subject: str
    # False at the edge of a shallow clone: git shows the commit without its parent, but it has one.
    known: bool = True

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass(frozen=True)
class ItemRevision:
    """One entry of an item's revision history."""

    change: Change
    kind: str  # added / removed / changed / moved


@dataclass
class History:
    changes: list[Change] = field(default_factory=list)  # newest first
    items: dict[str, list[ItemRevision]] = field(default_factory=dict)  # item id → entries, newest first
    comparisons: dict[str, Comparison] = field(default_factory=dict)  # commit → comparison with its parent
    dates: dict[str, str] = field(default_factory=dict)  # file → date of the last commit that touched it
    note: str = ""  # why the history is absent or incomplete


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=_TIMEOUT,
                          check=True).stdout


def _is_section(path: str) -> bool:
    place = classify(PurePosixPath(path)) if path.endswith(".yml") else None
    return place is not None and place[0] == "section"


def _walk(root: Path, edge: set[str]) -> list[tuple[Change, list[str]]]:
    out = _git(root, "log", "--no-merges", "--no-renames", "--relative", f"-n{HISTORY_LIMIT}",
               "--format=%x00%H%x00%P%x00%cs%x00%s", "--name-only", "--", MODULES, DIAGRAMS)
    walked: list[tuple[Change, list[str]]] = []
    for line in out.splitlines():
        if line.startswith("\0"):
            commit, parents, date, subject = line[1:].split("\0", 3)
            walked.append((Change(commit, parents.split(" ")[0] or None, date, subject, commit not in edge), []))
        elif line.strip() and walked:
            walked[-1][1].append(line.strip())
    return walked


def _blobs(root: Path, wanted: list[str]) -> dict[str, bytes | None]:
    """``commit:path`` → file bytes (``None`` when absent), all through one ``git cat-file`` process."""
    if not wanted:
        return {}
    prefix = _git(root, "rev-parse", "--show-prefix").strip()
    request = "".join(f"{spec.partition(':')[0]}:{prefix}{spec.partition(':')[2]}\n" for spec in wanted).encode()
    raw = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input=request, capture_output=True,
                         timeout=_TIMEOUT, check=True).stdout
    found: dict[str, bytes | None] = {}
    position = 0
    for spec in wanted:
        end = raw.index(b"\n", position)
        header = raw[position:end].split(b" ")
        position = end + 1
        if header[-1] == b"missing" or len(header) < 3:
            found[spec] = None
            continue
        size = int(header[2])
        found[spec] = raw[position:position + size]
        position += size + 1
    return found


def _items_in(raw: bytes | None, rel: str, folder: Path) -> dict[str, str]:
    """Item id → its content as canonical JSON (key order and comments do not matter); {} when unreadable."""
    if raw is None:
        return {}
    path = folder / hashlib.sha256(rel.encode() + raw).hexdigest()
    path.write_bytes(raw)
    source = load_source(path, rel, Collector())  # the loader's own limits on size, aliases and tags
    data = source.data if source else None
    items = data.get("items") if isinstance(data, dict) else None
    return {
        entry["id"]: json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str)
        for entry in items or [] if isinstance(entry, dict) and isinstance(entry.get("id"), str)
    }


def _item_revisions(root: Path, walked: list[tuple[Change, list[str]]], present: set[str]) -> dict[str, list[ItemRevision]]:
    """Item id → the commits that added, removed, moved or changed it; each commit's answer kept in the cache."""
    store = root / ".cache" / "revisions"
    known: dict[str, dict[str, str]] = {}
    todo = []
    for change, files in walked:
        kept = store / f"items-{change.commit}-{change.parent}-{_code_key()}.json"
        if not change.known:
            known[change.commit] = {}  # the edge of a shallow clone: what this commit changed is unknown
            continue
        try:
            known[change.commit] = json.loads(kept.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            todo.append((change, files, kept))
    wanted = []
    for change, files, _ in todo:
        for rel in filter(_is_section, files):
            wanted.append(f"{change.commit}:{rel}")
            if change.parent in present:
                wanted.append(f"{change.parent}:{rel}")
    blobs = _blobs(root, wanted)
    with tempfile.TemporaryDirectory(prefix="handbook-history-") as folder:
        for change, files, kept in todo:
            before: dict[str, tuple[str, str]] = {}
            after: dict[str, tuple[str, str]] = {}
            for rel in filter(_is_section, files):
                for ident, text in _items_in(blobs.get(f"{change.parent}:{rel}"), rel, Path(folder)).items():
                    before[ident] = (rel, text)
                for ident, text in _items_in(blobs.get(f"{change.commit}:{rel}"), rel, Path(folder)).items():
                    after[ident] = (rel, text)
            kinds = {}
            for ident in sorted(before.keys() | after.keys()):
                was, now = before.get(ident), after.get(ident)
                if was != now:
                    kinds[ident] = "added" if was is None else "removed" if now is None else "moved" if was[0] != now[0] else "changed"
            known[change.commit] = kinds
            write_atomic(kept, json.dumps(kinds, sort_keys=True))
    entries: dict[str, list[ItemRevision]] = {}
    for change, _ in walked:
        for ident, kind in known[change.commit].items():
            entries.setdefault(ident, []).append(ItemRevision(change, kind))
    return entries


@cache
def _code_key() -> str:
    """The comparison depends on the model's code: a new version of it computes comparisons again."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _comparisons(root: Path, changes: list[Change], present: set[str]) -> dict[str, Comparison]:
    store = root / ".cache" / "revisions"
    models: dict[str, Model | None] = {}
    wanted = [c for change in changes[:COMPARED_LIMIT] if change.known for c in (change.commit, change.parent) if c]
    trees = _content_trees(root, wanted)

    def model_at(commit: str) -> Model | None:
        # The parent of a commit that changed the content is often a commit that changed only code:
        # both have the same content folders, loaded once.
        key = trees.get(commit, commit)
        if key not in models:
            try:
                models[key] = load_revision(root, resolve(root, commit))
            except (ContentError, HandbookError):
                models[key] = None  # not valid under today's rules: no comparison page for it
        return models[key]

    found: dict[str, Comparison] = {}
    for change in changes[:COMPARED_LIMIT]:
        if change.parent is None or change.parent not in present or not change.known:
            continue
        kept = store / f"{change.commit}-{change.parent}-{_code_key()}.json"
        if kept.is_file():
            record = json.loads(kept.read_text(encoding="utf-8"))
            if record.get("comparison"):
                found[change.commit] = Comparison.model_validate(record["comparison"])
            continue
        old, new = model_at(change.parent), model_at(change.commit)
        comparison = None
        if old is not None and new is not None:
            comparison = compare(old, new, revision_info(Revision(change.parent[:7], change.parent), old),
                                 revision_info(Revision(change.short, change.commit, change.date, change.subject), new))
            found[change.commit] = comparison
        write_atomic(kept, json.dumps({"comparison": comparison.model_dump(mode="json") if comparison else None},
                                      ensure_ascii=False))
    return found


def model_history(root: Path, *, compared: bool = True) -> History:
    """The revision history of the project at ``root``; empty, with a note, outside git."""
    root = root.resolve()
    try:
        if _git(root, "rev-parse", "--is-inside-work-tree").strip() != "true":
            raise subprocess.CalledProcessError(1, "git")
        shallow = _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
        edge = set((root / _git(root, "rev-parse", "--git-path", "shallow").strip()).read_text().split()) if shallow else set()
        walked = _walk(root, edge)
        parents = {c.parent for c, _ in walked if c.parent}
        present = _present(root, parents)
    except (OSError, subprocess.SubprocessError, ValueError):
        return History(note="本项目目录不在 git 仓库中（或无法运行 git），没有修订记录。")
    history = History(changes=[c for c, _ in walked])
    for change, files in walked:
        for rel in files:
            history.dates.setdefault(rel, change.date)
    history.items = _item_revisions(root, walked, present)
    if compared:
        history.comparisons = _comparisons(root, history.changes, present)
    notes = []
    if shallow:
        notes.append("本仓库副本是浅克隆，只含最近的提交，更早的修订记录没有列出（git fetch --unshallow 可取回全部历史）。")
    if len(walked) >= HISTORY_LIMIT:
        notes.append(f"只列出最近 {HISTORY_LIMIT} 次修改。")
    history.note = "".join(notes)
    return history


def _content_trees(root: Path, commits: list[str]) -> dict[str, str]:
    """Commit → the git trees of its modules/ and diagrams/ (one ``git cat-file`` for all)."""
    prefix = _git(root, "rev-parse", "--show-prefix").strip()
    unique = sorted(set(commits))
    request = "".join(f"{c}:{prefix}{folder}\n" for c in unique for folder in (MODULES, DIAGRAMS)).encode()
    out = subprocess.run(["git", "-C", str(root), "cat-file", "--batch-check"], input=request, capture_output=True,
                         timeout=_TIMEOUT, check=True).stdout.decode().splitlines()
    return {c: out[2 * n].split(" ")[0] + "+" + out[2 * n + 1].split(" ")[0] for n, c in enumerate(unique)}


def _present(root: Path, commits: set[str]) -> set[str]:
    """Which of ``commits`` the clone holds (a shallow clone lacks the parents of its oldest commits)."""
    if not commits:
        return set()
    request = "".join(f"{c}^{{commit}}\n" for c in sorted(commits)).encode()
    out = subprocess.run(["git", "-C", str(root), "cat-file", "--batch-check"], input=request, capture_output=True,
                         timeout=_TIMEOUT, check=True).stdout.decode()
    return {line.split(" ")[0] for line in out.splitlines() if line.split(" ")[1:2] == ["commit"]}


# ---------------------------------------------------------------- the edition's predecessor

_predecessors: dict[str, Model] = {}


@dataclass
class Predecessor:
    """The comparison of this edition with the one ``previous:`` names, or why there is none."""

    spec: str
    comparison: Comparison | None
    problem: str = ""  # a Chinese note with the error code when there is no comparison


def compare_with_previous(root: Path, model: Model) -> Predecessor | None:
    """This edition (the working tree) against its predecessor; ``None`` when site.yml names none.

    A predecessor missing from the clone (a fresh shallow clone without tags) or one that does not
    validate is not a reason to fail the build: the site says why the table is missing instead.
    """
    spec = model.site.previous
    if not spec:
        return None
    try:
        revision = resolve(root, spec)
    except HandbookError as exc:
        code = getattr(exc, "code", "")
        problem = code_text("previous-missing", revision=spec) if code == "HB181" else str(exc)
        log.info(problem)  # a warning would fail a strict build; the page and the home page say it
        return Predecessor(spec, None, problem)
    try:
        # A commit never changes: a preview loads the predecessor once, not on every rebuild.
        old = _predecessors.get(revision.commit) or load_revision(root, revision)
        _predecessors.clear()
        _predecessors[revision.commit] = old
    except ContentError as exc:
        problem = exc.render()
        log.info(problem)  # a warning would fail a strict build; the page and the home page say it
        return Predecessor(spec, None, problem)
    current = Revision("WORKTREE")
    this = revision_info(current, model).model_copy(update={"label": "本版（当前内容）"})
    return Predecessor(spec, compare(old, model, revision_info(revision, old), this))
