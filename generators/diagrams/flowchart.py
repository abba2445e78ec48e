"""流程图: one procedure as swimlanes — a column per responsible role, a band per phase.

This module decides the grid from the model (which lane, which row, which phase each step
sits in); :mod:`.swimlane` turns the grid into coordinates when the diagram is laid out.
When a procedure involves more roles than fit across a printed A4 page, its lanes are the
roles' groups (党委, 党支部, 党员群众 …) and every box names its own role.
"""

from __future__ import annotations

from .. import urls
from ..model import Model
from ..model.procedures import edges
from ..model.schema import ROLE_GROUP_LABELS, Step, WorkItem
from . import Diagram
from .dot import Html, html_text
from .style import ROLE_GROUP_ORDER, Style

MAX_ROLE_LANES = 5
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


def rows_of(item: WorkItem, lane_of: dict[str, int]) -> dict[str, int]:
    """A row per step: below every step that leads to it, each phase in rows of its own, one step per cell."""
    procedure = item.procedure
    assert procedure is not None
    order = {s.id: i for i, s in enumerate(procedure.steps)}
    phase_index = {p.id: i for i, p in enumerate(procedure.phases)}
    preds: dict[str, list[str]] = {s.id: [] for s in procedure.steps}
    for step in procedure.steps:
        for target, loop_back in edges(step):
            if not loop_back and target in preds:
                preds[target].append(step.id)

    # Kahn's algorithm, ties broken by the order the editor wrote the steps in.
    waiting = {sid: len(p) for sid, p in preds.items()}
    ready = sorted((sid for sid, n in waiting.items() if n == 0), key=order.get)
    sequence: list[str] = []
    by_id = {s.id: s for s in procedure.steps}
    while ready:
        sid = ready.pop(0)
        sequence.append(sid)
        for target, loop_back in edges(by_id[sid]):
            if not loop_back and target in waiting:
                waiting[target] -= 1
                if waiting[target] == 0:
                    ready.append(target)
                    ready.sort(key=order.get)
    sequence += [s.id for s in procedure.steps if s.id not in sequence]  # unreachable leftovers

    # Steps of one phase share a band: group the sequence by phase (a step outside any phase
    # goes with the group of the step before it), then give each group rows below the last.
    group_key: dict[str, float] = {}
    for sid in sequence:
        step = by_id[sid]
        if step.phase in phase_index:
            group_key[sid] = phase_index[step.phase]
        else:
            before = [group_key[p] for p in preds[sid] if p in group_key]
            group_key[sid] = max(before) + 0.5 if before else -1
    sequence.sort(key=lambda sid: group_key[sid])

    rows: dict[str, int] = {}
    taken: set[tuple[int, int]] = set()
    floor, current, deepest = 0, None, -1
    for sid in sequence:
        if group_key[sid] != current and group_key[sid] == int(group_key[sid]) or current is None:
            floor = deepest + 1 if current is not None else 0
            current = group_key[sid]
        row = max([floor] + [rows[p] + 1 for p in preds[sid] if p in rows])
        while (lane_of[sid], row) in taken:
            row += 1
        rows[sid] = row
        taken.add((lane_of[sid], row))
        deepest = max(deepest, row)
    return rows


def flowchart(style: Style, item: WorkItem) -> Diagram:
    model, theme = style.model, style.theme
    procedure = item.procedure
    assert procedure is not None
    roles = style.role_order({step_role(item, st) for st in procedure.steps})
    by_group = len(roles) > MAX_ROLE_LANES

    def group(rid: str) -> str:
        return model.roles[rid].group if rid in model.roles else "department"

    if by_group:
        lanes = [g for g in ROLE_GROUP_ORDER if any(group(r) == g for r in roles)]
        lane_of = {st.id: lanes.index(group(step_role(item, st))) for st in procedure.steps}
    else:
        lanes = roles
        lane_of = {st.id: lanes.index(step_role(item, st)) for st in procedure.steps}
    rows = rows_of(item, lane_of)

    graph = style.graph(f"flow-{item.id}", splines="true", outputorder="edgesfirst")
    graph.attrs.update(hb_layout="swimlane", hb_band=theme.background, hb_band_alt=theme.phase_fill, hb_rule=theme.line)

    for i, lane in enumerate(lanes):
        if by_group:
            name, colours, link = ROLE_GROUP_LABELS[lane], theme.role_groups.get(lane), None
        else:
            name, colours, link = (model.roles[lane].name if lane in model.roles else lane), style.role_colours(lane), urls.link(urls.role(lane))
        graph.node(f"lane-{i}", shape="box", style="filled,rounded", fillcolor=colours.stroke, color=colours.stroke,
                   fontcolor="#ffffff", label=style.label(name, bold=True, width=6), URL=link, hb_lane=i, hb_row=-1)

    for k, phase in enumerate(procedure.phases):
        number = _NUMBERS[k] if k < len(_NUMBERS) else str(k + 1)
        graph.node(f"phase-{k}", shape="plaintext", hb_lane=-1, hb_row=-1, hb_phase=k,
                   label=Html(f"<b>第{number}<br/>阶段</b><br/>{html_text(phase.title, 3)}"))

    phase_index = {p.id: k for k, p in enumerate(procedure.phases)}
    for step in procedure.steps:
        rid = step_role(item, step)
        colours = style.role_colours(rid)
        attrs = dict(_SHAPES[step.kind], fillcolor=colours.fill, color=colours.stroke)
        notes = []
        if by_group and rid in model.roles:
            notes.append(model.roles[rid].name)
        if step.kind == "subprocess" and step.procedure in model.items:
            attrs["URL"] = urls.link(urls.item(step.procedure))
            notes.append(f"子流程：{model.items[step.procedure].title}")
        if step.time_limit:
            notes.append(f"时限：{step.time_limit}")
        if step.kind == "decision":
            attrs.update(fillcolor=theme.background, color=theme.accent, penwidth=1.5)
        width = theme.wrap * (0.6 if step.kind == "decision" else 1)
        graph.node(f"s-{step.id}", label=style.label(step.title, small="；".join(notes) or None, width=width),
                   hb_lane=lane_of[step.id], hb_row=rows[step.id], hb_phase=phase_index.get(step.phase or "", -1), **attrs)

    labels = {(st.id, i): b.label for st in procedure.steps for i, b in enumerate(st.branches)}
    for step in procedure.steps:
        for index, (target, loop_back) in enumerate(edges(step)):
            attrs: dict[str, object] = {}
            label = labels.get((step.id, index)) if step.kind == "decision" else None
            if label:
                attrs["label"] = Html(html_text(label, 6))
                attrs["fontcolor"] = theme.ink
            if loop_back:
                attrs.update(style="dashed", color=theme.accent)
            graph.edge(f"s-{step.id}", f"s-{target}", **attrs)

    phases = "、".join(p.title for p in procedure.phases)
    names = "、".join(model.roles[r].name for r in roles if r in model.roles)
    description = f"{item.title}的工作流程，共 {len(procedure.steps)} 个步骤"
    description += f"，分 {len(procedure.phases)} 个阶段（{phases}）" if procedure.phases else ""
    description += f"；参与角色：{names}。"
    return Diagram(f"flow-{item.id}", "flowchart", f"{item.title}流程图", description, graph.source())
