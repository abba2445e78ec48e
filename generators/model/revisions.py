"""The model as it was at a git revision, loaded without touching the working tree.

``git archive`` writes the revision's ``modules/`` and ``diagrams/`` (nothing else) into a temporary
folder, and the ordinary loader reads them there. ``WORKTREE`` names the files as they are now.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from ..confine import inside
from ..errors import CODES, ContentError, Diagnostic, HandbookError
from .model import Model
from .project import DIAGRAMS, MODULES, load_model

WORKTREE = "WORKTREE"
WORKTREE_NAMES = (WORKTREE, "工作区")
# What a revision may be written as: a commit, branch or tag name, with git's ~, ^ and @{…} suffixes.
# No leading "-", so a revision can never be taken for an option of git.
_SPEC = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._/@{}~^-]{0,199}$")
_GIT_TIMEOUT = 60


@dataclass(frozen=True)
class Revision:
    """One side of a comparison: what the user wrote, the commit it names, its date and subject."""

    spec: str
    commit: str | None = None  # None: the working tree
    date: str = ""
    subject: str = ""

    @property
    def short(self) -> str:
        return self.commit[:7] if self.commit else ""

    @property
    def label(self) -> str:
        """How a reader sees it: ``v2026（a1b2c3d）``, or 工作区."""
        if self.commit is None:
            return "工作区（未提交的内容）"
        return self.short if self.spec.startswith(self.short) or self.spec == self.commit else f"{self.spec}（{self.short}）"


def code_text(name: str, **fields: object) -> str:
    """A catalogue entry as a one-paragraph Chinese message with its code and hint."""
    code = CODES[name]
    return f"错误 {code.code}：{code.message.format(**fields)}\n提示：{code.hint.format(**fields)}"


class RevisionError(HandbookError):
    """A revision that cannot be read: unknown to git, or the project is not in a git repository."""

    def __init__(self, name: str, **fields: object):
        code = CODES[name]
        self.code = code.code
        super().__init__(f"{code.code} {code.message.format(**fields)}\n提示：{code.hint.format(**fields)}")


class RevisionContentError(ContentError):
    """The model at a revision does not validate; every diagnostic names the revision in its file."""

    def __init__(self, revision: Revision, diagnostics: list[Diagnostic], lines: dict[str, list[str]]):
        self.revision = revision
        self.lines = lines
        prefix = f"{revision.spec}:"
        super().__init__(replace(d, file=prefix + d.file) for d in diagnostics)
        self.code = CODES["revision-invalid"].code

    def render(self, read_line=None) -> str:
        """The diagnostics, each with the line as it was at the revision, under one heading."""

        def at_revision(file: str, line: int) -> str | None:
            text = self.lines.get(file.partition(":")[2], [])
            return text[line - 1] if 0 < line <= len(text) else None

        heading = code_text("revision-invalid", revision=self.revision.label, count=len(self.diagnostics))
        return heading + "\n\n" + super().render(at_revision)


def _git(root: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=not binary,
                          timeout=_GIT_TIMEOUT, check=False)


def resolve(root: Path, spec: str) -> Revision:
    """The commit ``spec`` names in the repository holding ``root`` (``WORKTREE``: the files on disk)."""
    spec = spec.strip()
    if spec in WORKTREE_NAMES:
        return Revision(WORKTREE)
    if not _SPEC.match(spec):
        raise RevisionError("unknown-revision", revision=spec)
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
    except (OSError, subprocess.SubprocessError) as exc:
        raise RevisionError("no-git", revision=spec, reason=f"无法运行 git（{exc}）") from None
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise RevisionError("no-git", revision=spec, reason="项目目录不在 git 仓库中")
    found = _git(root, "log", "-1", "--format=%H%x00%cs%x00%s", f"{spec}^{{commit}}", "--")
    if found.returncode != 0 or not found.stdout.strip():
        raise RevisionError("unknown-revision", revision=spec)
    commit, date, subject = found.stdout.rstrip("\n").split("\0", 2)
    return Revision(spec, commit, date, subject)


def _extract(root: Path, commit: str, target: Path) -> None:
    """Write the revision's modules/ and diagrams/ (of the project at ``root``) into ``target``."""
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.strip()
    listed = _git(root, "ls-tree", "--name-only", f"{commit}:{prefix}").stdout.split("\n")
    folders = [name for name in (MODULES, DIAGRAMS) if name in listed]
    if not folders:
        return
    archive = _git(root, "archive", "--format=tar", f"{commit}:{prefix}", "--", *folders, binary=True)
    if archive.returncode != 0:
        raise RevisionError("no-git", revision=commit[:7], reason=archive.stderr.decode("utf-8", "replace").strip())
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        # The "data" filter refuses absolute paths, links leading outside and device files.
        try:
            tar.extractall(target, filter="data")
        except tarfile.FilterError as exc:
            reason = f"该版本的 {exc.tarinfo.name} 是指向项目之外的链接或特殊文件，不能读取"
            raise RevisionError("no-git", revision=commit[:7], reason=reason) from None


def load_revision(root: Path, revision: Revision) -> Model:
    """The validated model at ``revision``; raises :class:`RevisionContentError` when it does not validate."""
    root = root.resolve()
    if revision.commit is None:
        try:
            return load_model(root)
        except ContentError as exc:
            lines = {d.file: _read_lines(root, d.file) for d in exc.diagnostics}
            raise RevisionContentError(revision, exc.diagnostics, lines) from None
    with tempfile.TemporaryDirectory(prefix="handbook-revision-") as folder:
        where = Path(folder)
        _extract(root, revision.commit, where)
        try:
            model = load_model(where)
        except ContentError as exc:
            lines = {d.file: _read_lines(where, d.file) for d in exc.diagnostics}
            raise RevisionContentError(revision, exc.diagnostics, lines) from None
    return replace(model, root=root)


def _read_lines(base: Path, file: str) -> list[str]:
    """The lines of a file of the revision, for quoting in errors: only plain files inside it, so a
    committed link that leaves the project is never followed."""
    path = base / file
    if not inside(base, path) or not path.is_file():
        return []
    try:
        return path.read_bytes().decode("utf-8", "replace").splitlines()
    except OSError:
        return []
