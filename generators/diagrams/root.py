"""根系图: a handbook → its sections → their items, as a left-to-right tree; every node a link."""

from __future__ import annotations

from .. import urls
from ..model import Handbook, Model, Section
from . import Diagram
from .style import Style

# Above this many work items a handbook's tree shows its sections only: each section's own tree
# shows its items. A taller tree cannot be read on a screen or a page, and orthogonal edge routing
# grows much faster than linearly with the number of nodes.
HANDBOOK_TREE_ITEMS = 150


def root_diagrams(model: Model) -> list[Diagram]:
    style = Style(model)
    found = []
    for handbook in model.handbooks.values():
        found.append(handbook_tree(style, handbook))
        found.extend(section_tree(style, handbook, section) for section in handbook.sections)
    return found


def _tree_graph(style: Style, name: str):
    return style.graph(name, rankdir="LR", splines="ortho", nodesep=0.12, ranksep=0.45)


def _root_node(style: Style, graph, ident: str, title: str, link: str) -> None:
    theme = style.theme
    graph.node(ident, shape="box", style="filled,rounded", fillcolor=theme.accent, color=theme.accent,
               fontcolor="#ffffff", label=style.label(title, bold=True, width=8), URL=urls.link(link))


def _section_node(style: Style, graph, section: Section, handbook: Handbook) -> None:
    theme = style.theme
    graph.node(f"sec-{section.id}", shape="box", style="filled,rounded", fillcolor=theme.phase_fill,
               color=theme.ink, label=style.label(section.title, small=section.spec.category, bold=True),
               URL=urls.link(urls.section(section.id)))


def _item_nodes(style: Style, graph, section: Section) -> None:
    for item in section.items:
        graph.node(f"item-{item.id}", shape="box", style="filled", fillcolor=style.theme.background,
                   label=style.label(item.title, width=16), URL=urls.link(urls.item(item.id)))
        graph.edge(f"sec-{section.id}", f"item-{item.id}")


def handbook_tree(style: Style, handbook: Handbook, items: bool | None = None) -> Diagram:
    """The handbook's tree; with its items unless there are too many (``items`` decides instead when given:
    print leaves them to the sections' trees when the whole tree is taller than a page)."""
    graph = _tree_graph(style, f"root-{handbook.id}")
    _root_node(style, graph, f"hb-{handbook.id}", handbook.title, urls.handbook(handbook.id))
    for section in handbook.sections:
        _section_node(style, graph, section, handbook)
        graph.edge(f"hb-{handbook.id}", f"sec-{section.id}")
    count = sum(len(s.items) for s in handbook.sections)
    if items is None:
        items = count <= HANDBOOK_TREE_ITEMS
    if items:
        for section in handbook.sections:
            _item_nodes(style, graph, section)
    description = (
        f"{handbook.title}的根系图：{len(handbook.sections)} 个{handbook.spec.section_label}"
        f"（{'、'.join(s.title for s in handbook.sections)}），共 {count} 个工作事项"
        + ("。" if items else "；事项较多，图中只画到各部分，各部分的事项见其根系图。")
    )
    return Diagram(f"root-handbook-{handbook.id}", "root", f"{handbook.title}根系图", description, graph.source())


def section_tree(style: Style, handbook: Handbook, section: Section) -> Diagram:
    graph = _tree_graph(style, f"root-{section.id}")
    _root_node(style, graph, f"hb-{handbook.id}", handbook.spec.short, urls.handbook(handbook.id))
    _section_node(style, graph, section, handbook)
    graph.edge(f"hb-{handbook.id}", f"sec-{section.id}")
    _item_nodes(style, graph, section)
    items = "、".join(i.title for i in section.items) or "暂无工作事项"
    description = f"{handbook.title}·{section.title}的根系图：{items}。"
    return Diagram(f"root-section-{section.id}", "root", f"{section.title}根系图", description, graph.source())
