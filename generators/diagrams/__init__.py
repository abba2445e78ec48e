"""Diagrams drawn from the model: 根系图 (root), 流程图 (flowchart), 矩阵图 (matrix), 逻辑图 (logic).

Builders turn the model into :class:`Diagram` objects holding DOT source; :func:`render`
lays them out (through the content-hash cache) into finished SVG. Links inside the SVG are
``@/`` placeholders that the embedding page rewrites (:func:`generators.urls.relative`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, diagnostic
from ..model import Model
from .render import DiagramCache, finish_svg


@dataclass(frozen=True)
class Diagram:
    """One picture: its id (also its file name), kind, accessible title and description, DOT source."""

    id: str
    kind: str
    title: str
    description: str
    dot: str


def build_all(model: Model) -> dict[str, Diagram]:
    """Every diagram the site and the print editions use, keyed by id, in a stable order."""
    from .flowchart import flowcharts
    from .logic import logic_diagrams
    from .matrix import matrices
    from .narrow import narrow_flowcharts
    from .root import root_diagrams

    require_theme(model)
    found: dict[str, Diagram] = {}
    for group in (logic_diagrams(model), root_diagrams(model), flowcharts(model), matrices(model), narrow_flowcharts(model)):
        for diagram in group:
            found[diagram.id] = diagram
    return found


def handbook_diagrams(model: Model, handbook_id: str, branch_type: str | None = None) -> dict[str, Diagram]:
    """Only what one handbook's printed edition shows: its trees, matrices and flowcharts (as build_all draws them)."""
    from .flowchart import flowchart
    from .matrix import branch_work_items, month_matrix, role_matrix, type_matrix
    from .root import handbook_tree, section_tree
    from .style import Style

    require_theme(model)
    style = Style(model)
    handbook = model.handbooks[handbook_id]
    items = [i for s in handbook.sections for i in s.items]
    found = [handbook_tree(style, handbook)] + [section_tree(style, handbook, s) for s in handbook.sections]
    found += [flowchart(style, item) for item in items if item.procedure]
    if items:
        found += [role_matrix(style, handbook, items), month_matrix(style, handbook, items)]
    if branch_type:
        found.append(type_matrix(style, branch_work_items(model), branch_type))
    return {diagram.id: diagram for diagram in found}


def require_theme(model: Model) -> None:
    if model.theme is None:
        raise ContentError(
            [
                diagnostic(
                    "missing-file", file="diagrams/theme.yml", line=1, column=1,
                    hint="图的字体和颜色写在 diagrams/theme.yml 中；请从参考手册中复制一份。",
                )
            ]
        )


def cache_for(model: Model, directory: Path | None = None) -> DiagramCache:
    require_theme(model)
    theme_key = hashlib.sha256(model.theme.model_dump_json().encode()).hexdigest()
    return DiagramCache(directory or model.root / ".cache" / "diagrams", theme_key=theme_key)


def render(diagram: Diagram, cache: DiagramCache) -> str:
    """The finished SVG of ``diagram`` (links still as placeholders)."""
    return finish_svg(cache.layout(diagram.dot), ident=diagram.id, title=diagram.title, description=diagram.description)


__all__ = ["Diagram", "DiagramCache", "build_all", "cache_for", "handbook_diagrams", "render"]
