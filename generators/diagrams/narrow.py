"""流程图 for narrow screens: the steps of a procedure in one column, read top to bottom.

The swimlane chart (:mod:`.flowchart`) puts a column per role side by side; on a phone that is
shrunk until its text is 4–6 px high. This layout is made for a screen about 340 px wide: one
box per step in the order the work is done, its number in the box and its role as a line of
its own, each phase a band with its title written across, decision branches and loop-backs
drawn along the side. It is drawn at the theme's font size and never wider than a phone, so
its text is not scaled down.
"""

from __future__ import annotations

from ..model import Model
from ..model.procedures import edges, numbered_title, step_numbers
from ..model.schema import WorkItem
from . import Diagram
from .dot import Html, html_text
from .flowchart import _NUMBERS, _SHAPES, rows_of, step_role
from .style import Style

WRAP = 10  # characters per line: a box about 140 pt (190 CSS px) wide


def narrow_flowcharts(model: Model) -> list[Diagram]:
    style = Style(model)
    return [narrow_flowchart(style, item) for item in model.items.values() if item.procedure]


def narrow_id(item_id: str) -> str:
    return f"flow-{item_id}-narrow"


def narrow_flowchart(style: Style, item: WorkItem) -> Diagram:
    model, theme = style.model, style.theme
    procedure = item.procedure
    assert procedure is not None
    rows = rows_of(item, {s.id: 0 for s in procedure.steps})  # one lane: one step per row, in working order
    steps = sorted(procedure.steps, key=lambda s: rows[s.id])
    # Edges that skip ahead or loop back run at right angles down the sides of the column: curved, they
    # swung out so far that a chart with several (三会一课) came out wider than a phone and was shrunk.
    graph = style.graph(narrow_id(item.id), rankdir="TB", nodesep=0.25, ranksep=0.22, newrank="true", splines="ortho")

    phases = {p.id: (k, p) for k, p in enumerate(procedure.phases)}
    clusters: dict[str, object] = {}
    numbers = step_numbers(procedure)
    for step in steps:
        target = graph
        if step.phase in phases:
            k, phase = phases[step.phase]
            if step.phase not in clusters:
                number = _NUMBERS[k] if k < len(_NUMBERS) else str(k + 1)
                clusters[step.phase] = graph.subgraph(
                    f"cluster_phase_{k}", label=Html(f"<b>第{number}阶段</b>　{html_text(phase.title)}"),
                    labeljust="l", style="filled", fillcolor=theme.phase_fill if k % 2 else theme.background,
                    color=theme.line, penwidth=0.6, margin=8,
                )
            target = clusters[step.phase]
        rid = step_role(item, step)
        colours = style.role_colours(rid)
        attrs = dict(_SHAPES[step.kind], fillcolor=colours.fill, color=colours.stroke)
        notes = [model.roles[rid].name if rid in model.roles else rid]
        if step.kind == "subprocess" and step.procedure in model.items:
            notes.append(f"子流程：{model.items[step.procedure].title}")
        if step.time_limit:
            notes.append(f"时限：{step.time_limit}")
        if step.kind == "decision":
            attrs.update(shape="box", style="rounded,filled,dashed", fillcolor=theme.background, color=theme.accent, penwidth=1.5)
        # The role and time limit in the text size of the title (muted), not the small print of
        # the wide chart: on a phone small print falls under 12 px.
        label = (f"<b>{html_text(numbered_title(step.title, numbers.get(step.id)), WRAP)}</b>"
                 f'<br/><font color="{theme.muted}">{html_text(chr(10).join(notes), WRAP)}</font>')
        target.node(f"s-{step.id}", label=Html(label), width=1.9, **attrs)

    following = {a.id: b.id for a, b in zip(steps, steps[1:])}
    labels = {(st.id, i): b.label for st in procedure.steps for i, b in enumerate(st.branches)}
    chained = set()
    for step in steps:
        for index, (target, loop_back) in enumerate(edges(step)):
            attrs: dict[str, object] = {}
            label = labels.get((step.id, index)) if step.kind == "decision" else None
            if label:
                attrs.update(xlabel=Html(html_text(label, 5)), fontcolor=theme.ink, fontsize=theme.font_size)
            if target == following.get(step.id) and not loop_back:
                attrs["weight"] = 10
                chained.add(step.id)
            else:
                # Anything but "the next step": along the side, without pulling the column apart.
                attrs.update(constraint="false", style="dashed" if loop_back else "solid")
                if loop_back:
                    attrs["color"] = theme.accent
            graph.edge(f"s-{step.id}", f"s-{target}", **attrs)
    for step in steps:
        if step.id not in chained and step.id in following:
            graph.edge(f"s-{step.id}", f"s-{following[step.id]}", style="invis", weight=10)

    description = f"{item.title}的工作流程（竖排，适合手机阅读），共 {len(procedure.steps)} 个步骤，按先后顺序排列，每个框注明责任主体。"
    return Diagram(narrow_id(item.id), "flowchart", f"{item.title}流程图", description, graph.source())
