"""流程图: one procedure as a top-down flow with a column (swimlane) per role and phases as bands."""

from __future__ import annotations

from .. import urls
from ..model import Model
from ..model.procedures import edges
from ..model.schema import Step, WorkItem
from . import Diagram
from .dot import Html, html_text
from .style import Style

_SHAPES = {
    "start": {"shape": "box", "style": "rounded,filled,bold"},
    "end": {"shape": "box", "style": "rounded,filled,bold"},
    "task": {"shape": "box", "style": "filled"},
    "subprocess": {"shape": "box", "style": "filled", "peripheries": 2},
    "decision": {"shape": "diamond", "style": "filled"},
}
_NUMBERS = "一二三四五六七八九十"


def flowcharts(model: Model) -> list[Diagram]:
    style = Style(model)
    return [flowchart(style, item) for item in model.items.values() if item.procedure]


def step_role(item: WorkItem, step: Step) -> str:
    return step.role or item.owner


def flowchart(style: Style, item: WorkItem) -> Diagram:
    model, theme = style.model, style.theme
    procedure = item.procedure
    assert procedure is not None
    graph = style.graph(f"flow-{item.id}", rankdir="TB", newrank=True, ranksep=0.3, nodesep=0.35)

    lanes = style.role_order({step_role(item, st) for st in procedure.steps})
    header = graph.subgraph("lanes", rank="same")
    for rid in lanes:
        colours = style.role_colours(rid)
        name = model.roles[rid].name if rid in model.roles else rid
        header.node(
            f"lane-{rid}", shape="box", style="filled,rounded", fillcolor=colours.stroke, color=colours.stroke,
            fontcolor="#ffffff", label=style.label(name, bold=True), URL=urls.link(urls.role(rid)), group=rid,
        )
    for left, right in zip(lanes, lanes[1:]):
        header.edge(f"lane-{left}", f"lane-{right}", style="invis")

    clusters = {}
    for number, phase in enumerate(procedure.phases, start=1):
        prefix = f"第{_NUMBERS[number - 1]}阶段" if number <= len(_NUMBERS) else f"第{number}阶段"
        clusters[phase.id] = graph.subgraph(
            f"cluster_{phase.id}", label=Html(f"<b>{prefix}　{html_text(phase.title)}</b>"), labeljust="l",
            style="filled,rounded", fillcolor=theme.phase_fill, color=theme.line, fontcolor=theme.ink, margin=10,
        )

    first_in_lane: dict[str, str] = {}
    for step in procedure.steps:
        rid = step_role(item, step)
        first_in_lane.setdefault(rid, step.id)
        colours = style.role_colours(rid)
        attrs = dict(_SHAPES[step.kind], fillcolor=colours.fill, color=colours.stroke, group=rid)
        small = f"时限：{step.time_limit}" if step.time_limit else None
        width = theme.wrap * (0.8 if step.kind == "decision" else 1)
        if step.kind == "decision":
            attrs.update(fillcolor=theme.background, color=theme.accent, penwidth=1.5)
        if step.kind == "subprocess" and step.procedure in model.items:
            attrs["URL"] = urls.link(urls.item(step.procedure))
            small = f"子流程：{model.items[step.procedure].title}" + (f"；{small}" if small else "")
        clusters.get(step.phase or "", graph).node(
            f"s-{step.id}", label=style.label(step.title, small=small, width=width), **attrs
        )

    for rid in lanes:
        graph.edge(f"lane-{rid}", f"s-{first_in_lane[rid]}", style="invis", weight=4)

    labels = {(st.id, i): b.label for st in procedure.steps for i, b in enumerate(st.branches)}
    for step in procedure.steps:
        for index, (target, loop_back) in enumerate(edges(step)):
            attrs: dict[str, object] = {}
            label = labels.get((step.id, index)) if step.kind == "decision" else None
            if label:
                attrs["label"] = Html(html_text(label))
                attrs["fontcolor"] = theme.ink
            if loop_back:
                attrs.update(style="dashed", color=theme.accent, constraint=False)
            graph.edge(f"s-{step.id}", f"s-{target}", **attrs)

    phases = "、".join(p.title for p in procedure.phases)
    roles = "、".join(model.roles[r].name for r in lanes if r in model.roles)
    description = f"{item.title}的工作流程，共 {len(procedure.steps)} 个步骤"
    description += f"，分 {len(procedure.phases)} 个阶段（{phases}）" if procedure.phases else ""
    description += f"；参与角色：{roles}。"
    return Diagram(f"flow-{item.id}", "flowchart", f"{item.title}流程图", description, graph.source())
