"""``handbook fmt``: rewrite references written as Chinese names to their ids, only when asked.

Names are fine to keep (the loader resolves them); an editor or a reviewer who prefers ids in the
files runs this. Each name is replaced where it is written, as text: every other character of the
file, its comments, quotes and layout stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError
from .fsutil import write_atomic
from .model import load_model
from .model.names import Resolved


@dataclass(frozen=True)
class Rewrite:
    file: str
    line: int
    column: int
    name: str
    ident: str


def _where(resolved: Resolved) -> tuple[int, int]:
    """1-based line and column where the name is written (a mapping key for branch types in applies_to)."""
    source, path = resolved.source, resolved.path
    if path in source.key_positions and path[-1] == resolved.name:
        mark = source.key_positions[path]
    else:
        mark = source.mark(path)
    return mark.line, mark.column


def planned(root: Path) -> list[Rewrite]:
    """Every name written where an id belongs, in file and line order."""
    model = load_model(root)
    found = []
    for resolved in model.written_names:
        line, column = _where(resolved)
        found.append(Rewrite(resolved.source.rel, line, column, resolved.name, resolved.ident))
    return sorted(set(found), key=lambda r: (r.file, r.line, r.column))


def rewrite(root: Path, rewrites: list[Rewrite]) -> None:
    """Apply ``rewrites`` to the files; if the result does not check, put every file back."""
    originals: dict[str, str] = {}
    by_file: dict[str, list[Rewrite]] = {}
    for item in rewrites:
        by_file.setdefault(item.file, []).append(item)
    for rel, items in by_file.items():
        path = root / rel
        text = originals.setdefault(rel, path.read_text(encoding="utf-8-sig"))
        lines = text.splitlines(keepends=True)
        # Right to left within a line, so earlier columns stay valid.
        for item in sorted(items, key=lambda r: (r.line, r.column), reverse=True):
            line = lines[item.line - 1]
            start = item.column - 1
            if line[start:start + 1] in ("'", '"'):
                start += 1
            if not line.startswith(item.name, start):
                # The value is written in some other way (a flow of several lines): leave it as it is.
                continue
            lines[item.line - 1] = line[:start] + item.ident + line[start + len(item.name):]
        write_atomic(path, "".join(lines))
    try:
        load_model(root)
    except ContentError:
        for rel, text in originals.items():
            write_atomic(root / rel, text)
        raise
