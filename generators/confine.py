"""Keep every read inside the project folder.

The site is built in CI from changes written by many editors, on runners that often run as root.
A symbolic link committed under ``content/`` would otherwise let MkDocs copy any readable file of
the runner (keys, tokens) onto the intranet, and one under ``modules/`` would let the loader read
it and quote it in an error message. So, before any content is read, the trees the build reads are
walked without following links: a link whose target lies outside the project, a linked directory,
or anything that is not a plain file is reported, and nothing is read from it. Links between files
of the project stay allowed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import Diagnostic, diagnostic

# The folders whose files the build, the preview and the validator read.
TREES = ("modules", "diagrams", "content")


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, with every link followed, is ``root`` or lies under it."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return False


def check_trees(root: Path, trees: Iterable[str] = TREES) -> list[Diagnostic]:
    """Every link that leaves the project, linked directory and special file under ``trees``."""
    root = root.resolve()
    found: list[Diagnostic] = []
    for tree in trees:
        top = root / tree
        if not os.path.lexists(top):
            continue
        if top.is_symlink():
            found.append(_problem(root, top))
            continue
        for folder, dirs, files in os.walk(top, followlinks=False):
            here = Path(folder)
            for name in sorted(dirs):
                if (here / name).is_symlink():
                    found.append(_problem(root, here / name))
            for name in sorted(files):
                problem = _file_problem(root, here / name)
                if problem is not None:
                    found.append(problem)
    return found


def _file_problem(root: Path, path: Path) -> Diagnostic | None:
    try:
        mode = path.lstat().st_mode
    except OSError:
        return None  # gone meanwhile; whoever reads it next reports that
    if stat.S_ISLNK(mode):
        return None if inside(root, path) and not path.is_dir() else _problem(root, path)
    if not stat.S_ISREG(mode):
        return _problem(root, path)
    return None


def _problem(root: Path, path: Path) -> Diagnostic:
    """The diagnostic for ``path``. It names the link, never its target or anything read from it."""
    rel = path.relative_to(root).as_posix()
    if path.is_symlink():
        name = "linked-directory" if path.is_dir() else "link-outside"
    else:
        name = "special-file"
    return diagnostic(name, file=rel, line=1, column=1)


def source_line_reader(root: Path) -> Callable[[str, int], str | None]:
    """A reader of one line of a project file, for showing the line an error points at.

    It reads only plain files inside the project: a diagnostic about a link that leaves the
    project must not quote the file it points to.
    """
    root = root.resolve()

    def read(file: str, line: int) -> str | None:
        path = root / file
        if line < 1 or not inside(root, path) or not path.is_file():
            return None
        try:
            lines = path.read_bytes().decode("utf-8", "replace").splitlines()
        except OSError:
            return None
        return lines[line - 1] if line <= len(lines) else None

    return read
