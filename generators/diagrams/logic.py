"""逻辑图: diagrams editors describe as data in diagrams/*.yml, and the system map of the home page."""

from __future__ import annotations

from .. import urls
from ..model import Model
from ..model.schema import DiagramSpec, SpecNode
from . import Diagram
from .dot import Html, html_text
from .style import Style

SYSTEM_MAP = "system-map"
SYSTEM_NAME = "国企党建质量进阶管理系统"


def logic_diagrams(model: Model) -> list[Diagram]:
    style = Style(model)
    found = [spec_diagram(style, ident, spec) for ident, spec in model.diagram_specs.items()]
    found.append(system_map(style))
    return found


def _node_link(node: SpecNode) -> str | None:
    if node.item:
        return urls.link(urls.item(node.item))
    if node.section:
        return urls.link(urls.section(node.section))
    if node.handbook:
        return urls.link(urls.handbook(node.handbook))
    if node.page:
        return urls.link(node.page)
    return None


def spec_diagram(style: Style, ident: str, spec: DiagramSpec) -> Diagram:
    theme = style.theme
    graph = style.graph(f"logic-{ident}", rankdir=spec.direction)
    groups: dict[str, object] = {}
    for node in spec.nodes:
        target = graph
        if node.group:
            if node.group not in groups:
                groups[node.group] = graph.subgraph(
                    f"cluster_{len(groups)}", label=Html(html_text(node.group)), style="dashed,rounded",
                    color=theme.line, fontcolor=theme.muted,
                )
            target = groups[node.group]
        colours = {
            "accent": dict(fillcolor=theme.accent, color=theme.accent, fontcolor="#ffffff"),
            "muted": dict(fillcolor=theme.background, color=theme.line, fontcolor=theme.muted),
            "normal": dict(fillcolor=theme.phase_fill, color=theme.ink),
        }[node.style]
        target.node(f"n-{node.id}", shape="box", style="filled,rounded", URL=_node_link(node),
                    label=style.label(node.label, small=node.note, bold=True), **colours)
    for edge in spec.edges:
        attrs: dict[str, object] = {}
        if edge.label:
            attrs["label"] = Html(html_text(edge.label))
        if edge.loop_back:
            attrs.update(style="dashed", color=theme.accent, constraint=False)
        graph.edge(f"n-{edge.from_}", f"n-{edge.to}", **attrs)
    return Diagram(f"logic-{ident}", "logic", spec.title, spec.description, graph.source())


def system_map(style: Style) -> Diagram:
    """The whole system at one glance: the four handbooks with their sections, and the standards loop."""
    model, theme = style.model, style.theme
    graph = style.graph(SYSTEM_MAP, rankdir="LR", ranksep=0.5, nodesep=0.15)
    graph.node("system", shape="box", style="filled,rounded", fillcolor=theme.accent, color=theme.accent,
               fontcolor="#ffffff", label=style.label(SYSTEM_NAME, bold=True, width=7), URL=urls.link(urls.home()))
    loop = model.diagram_specs.get("pdca-loop")
    if loop:
        cluster = graph.subgraph("cluster_loop", label=Html(html_text(loop.title)), style="dashed,rounded",
                                 color=theme.line, fontcolor=theme.muted, rank="same")
        for node in loop.nodes:
            cluster.node(f"loop-{node.id}", shape="box", style="filled,rounded", fillcolor=theme.phase_fill,
                         color=theme.ink, label=style.label(node.label, small=node.note, bold=True))
        for edge in loop.edges:
            cluster.edge(f"loop-{edge.from_}", f"loop-{edge.to}", style="dashed" if edge.loop_back else None,
                         color=theme.accent if edge.loop_back else None, constraint=False if edge.loop_back else None)
        graph.edge(f"loop-{loop.nodes[0].id}", "system", style="invis")
    for handbook in model.handbooks.values():
        graph.node(f"hb-{handbook.id}", shape="box", style="filled,rounded", fillcolor=theme.phase_fill, color=theme.ink,
                   label=style.label(handbook.title, small=f"{len(handbook.sections)} 个{handbook.spec.section_label}", bold=True, width=9),
                   URL=urls.link(urls.handbook(handbook.id)))
        graph.edge("system", f"hb-{handbook.id}")
        for section in handbook.sections:
            graph.node(f"sec-{section.id}", shape="box", style="rounded", color=theme.line,
                       label=style.label(section.title, width=9), URL=urls.link(urls.section(section.id)))
            graph.edge(f"hb-{handbook.id}", f"sec-{section.id}")
    titles = "、".join(h.title for h in model.handbooks.values())
    description = f"{SYSTEM_NAME}一图看懂：{len(model.handbooks)} 本手册（{titles}）及其组成部分"
    description += "，以及计划、实施、考核、改进的闭环。" if loop else "。"
    return Diagram(SYSTEM_MAP, "logic", f"{SYSTEM_NAME}总览", description, graph.source())
