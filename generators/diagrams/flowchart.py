"""流程图: one procedure as swimlanes — a column per responsible role, a band per phase.

This module decides the grid from the model (which lane, which row, which phase each step
sits in); :mod:`.swimlane` turns the grid into coordinates when the diagram is laid out.
When a procedure involves more roles than fit across a printed A4 page, its lanes are the
roles' groups (党委, 党支部, 党员群众 …) and every box names its own role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .. import urls
from ..model import Model
from ..model.procedures import edges, numbered_title
from ..model.procedures import step_numbers as procedure_step_numbers
from ..model.schema import ROLE_GROUP_LABELS, Step, WorkItem
from . import Diagram
from .dot import Html, html_text
from .style import ROLE_GROUP_ORDER, Style

MAX_ROLE_LANES = 5
PHASE_WRAP = 5  # characters per line of a phase title, beside the chart
# A decision's question wraps a little narrower than a box: a diamond is twice as wide as its text, and
# narrower than this it grows a line a word (7. 确定 / 发展 / 对象 …) and taller than a page.
DECISION_WRAP = 0.7
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


def step_numbers(item: WorkItem) -> dict[str, int]:
    """The number of each step as a reader counts them (see :func:`..model.procedures.step_numbers`)."""
    assert item.procedure is not None
    return procedure_step_numbers(item.procedure)


@dataclass(frozen=True)
class Part:
    """Which steps one part of a split flowchart shows, and where every other step is (its part's index)."""

    index: int
    count: int
    steps: tuple[str, ...]
    part_of: dict[str, int]
    order: tuple[str, ...] = ()  # every step of the procedure, as written
    stacked: bool = False  # connectors in rows of their own even beside a single row (too wide side by side)

    def placeholder(self, step_id: str) -> str:
        """Text in the SVG that the typesetter replaces by the page where ``step_id``'s part lands.

        Short (the step's place in the procedure), so Graphviz sizes the connector about as for a page number.
        """
        return f"@{self.order.index(step_id) + 1}@"


@dataclass(frozen=True)
class Frame:
    """Room for one part of a flowchart on a page, in points, and the smallest scale that keeps text legible."""

    width: float
    height: float
    first_height: float
    floor_scale: float
    landscape: bool = False


@dataclass(frozen=True)
class PaperFlowchart:
    """A procedure's flowchart cut for paper: consecutive parts, each fitting the frame at ``scale``."""

    frame: Frame
    scale: float
    parts: list[tuple[Part, Diagram]]


def _connector_label(style: Style, verb: str, mark: str, number: int | None, step: Step, narrow: bool = False) -> Html:
    # Small type throughout, so a connector is no wider than the boxes of its lane. The start and the ends
    # have no number: they are named. Beside a step (``narrow``) it shares the step's row, where height is
    # spare and width is not: three short lines.
    size = style.theme.small_font_size
    target = f"步骤 {number}" if number else ("开始" if step.kind == "start" else "结束")
    parts = (verb, f"第{mark}页", target) if narrow else (f"{verb}第{mark}页", target)
    lines = "<br/>".join(html_text(line) for line in parts)
    return Html(f'<font point-size="{size:g}">{lines}</font>')


def flowchart(style: Style, item: WorkItem, *, wrap: float | None = None, diamond: float | None = None,
              width: float | None = None,
              part: Part | None = None) -> Diagram:
    """The swimlane flowchart of ``item``; with ``part``, only that part's steps and off-page connectors.

    ``wrap`` overrides the theme's characters per line in boxes, ``diamond`` the least per line in decisions,
    and ``width`` (points) stretches the lanes to fill a page's width; they serve print, where step numbers are
    shown too.
    """
    model, theme = style.model, style.theme
    procedure = item.procedure
    assert procedure is not None
    roles = style.role_order({step_role(item, st) for st in procedure.steps})
    lanes, by_group, lane_of = _lanes(style, item)
    rows = rows_of(item, lane_of)
    numbers = step_numbers(item)
    shown = [st for st in procedure.steps if part is None or st.id in part.steps]
    inside = {st.id for st in shown}
    beside = False
    incoming: list[tuple[str, str]] = []  # (source outside, target inside)
    outgoing: dict[str, list[tuple[str, int]]] = {}  # target outside → [(source inside, edge index)]
    if part is not None:
        for st in procedure.steps:
            for index, (target, _) in enumerate(edges(st)):
                if st.id in inside and target not in inside:
                    outgoing.setdefault(target, []).append((st.id, index))
                elif st.id not in inside and target in inside:
                    incoming.append((st.id, target))
        # Rows of this part, numbered from the top, below the incoming connectors.
        used = sorted({rows[sid] for sid in inside})
        # A part of a single row (a step too tall to share a page) takes its connectors beside it, not in
        # rows of their own: height is what runs out.
        beside = len(used) == 1 and not part.stacked
        top = 1 if incoming and not beside else 0
        rows = {sid: top + used.index(rows[sid]) for sid in inside}
    ident = f"flow-{item.id}" if part is None or part.count == 1 else f"flow-{item.id}-{part.index + 1}"

    graph = style.graph(ident, splines="true", outputorder="edgesfirst")
    graph.attrs.update(hb_layout="swimlane", hb_band=theme.background, hb_band_alt=theme.phase_fill, hb_rule=theme.line)
    if width:
        # The SVG is the lanes plus Graphviz's pad on both sides.
        graph.attrs["hb_width"] = f"{width - 2 * 72 * float(graph.attrs.get('pad', 0)):.1f}"

    for i, lane in enumerate(lanes):
        if by_group:
            name, colours, link = ROLE_GROUP_LABELS[lane], theme.role_groups.get(lane), None
        else:
            name, colours, link = (model.roles[lane].name if lane in model.roles else lane), style.role_colours(lane), urls.link(urls.role(lane))
        graph.node(f"lane-{i}", shape="box", style="filled,rounded", fillcolor=colours.stroke, color=colours.stroke,
                   fontcolor="#ffffff", label=style.label(name, bold=True, width=6), URL=link, hb_lane=i, hb_row=-1)

    for k, phase in enumerate(procedure.phases):
        members = [st.id for st in procedure.steps if st.phase == phase.id]
        if part is not None and not any(sid in inside for sid in members):
            continue
        number = _NUMBERS[k] if k < len(_NUMBERS) else str(k + 1)
        continued = part is not None and any(part.part_of.get(sid, part.index) < part.index for sid in members)
        # Written across, a few words a line: 第一阶段 on a line of its own, then the title.
        graph.node(f"phase-{k}", shape="plaintext", hb_lane=-1, hb_row=-1, hb_phase=k,
                   label=Html(f"<b>第{number}阶段</b><br/>{html_text(phase.title, PHASE_WRAP)}" + ("<br/>（续）" if continued else "")))

    phase_index = {p.id: k for k, p in enumerate(procedure.phases)}
    for step in shown:
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
        chars = (wrap or theme.wrap) * (DECISION_WRAP if step.kind == "decision" else 1)
        if diamond and step.kind == "decision":
            chars = max(chars, diamond)
        title = numbered_title(step.title, numbers.get(step.id))
        graph.node(f"s-{step.id}", label=style.label(title, small="；".join(notes) or None, width=chars),
                   hb_lane=lane_of[step.id], hb_row=rows[step.id], hb_phase=phase_index.get(step.phase or "", -1), **attrs)

    labels = {(st.id, i): b.label for st in procedure.steps for i, b in enumerate(st.branches)}
    last_row = max(rows.values(), default=0)
    taken: set[tuple[int, int]] = {(lane_of[sid], rows[sid]) for sid in inside}

    def connector(name: str, lane: int, row: int, step: int, label: Html, shape: str) -> None:
        # Its own lane when free, else the nearest free lane of the same row (a row more costs a page's height).
        while True:
            free = [k for k in sorted(range(len(lanes)), key=lambda k: (abs(k - lane), k)) if (k, row) not in taken]
            if free or row == 0:
                lane = free[0] if free else lane
                break
            row += 1
        taken.add((lane, row))
        graph.node(name, shape=shape, style="filled", fillcolor=theme.background, color=theme.line, label=label,
                   margin="0.04,0.02", hb_lane=lane, hb_row=row, hb_phase=-1)

    by_step = {st.id: st for st in procedure.steps}
    if part is not None:
        for source, target in incoming:
            mark = part.placeholder(source)
            connector(f"in-{source}-{target}", lane_of[target], rows[target] if beside else 0, numbers.get(source, 0),
                      _connector_label(style, "承", mark, numbers.get(source), by_step[source], beside), "house")
            graph.edge(f"in-{source}-{target}", f"s-{target}", style="dashed")
        for target, sources in outgoing.items():
            later = part.part_of.get(target, part.count) > part.index
            mark = part.placeholder(target)
            connector(f"out-{target}", lane_of[sources[0][0]], rows[sources[0][0]] if beside else last_row + 1,
                      numbers.get(target, 0),
                      _connector_label(style, "接" if later else "返回", mark, numbers.get(target), by_step[target],
                                       beside),
                      "invhouse")

    for step in shown:
        for index, (target, loop_back) in enumerate(edges(step)):
            attrs: dict[str, object] = {}
            label = labels.get((step.id, index)) if step.kind == "decision" else None
            if label:
                attrs["label"] = Html(html_text(label, 6))
                attrs["fontcolor"] = theme.ink
            if loop_back:
                attrs.update(style="dashed", color=theme.accent)
                if target in inside:
                    # Drawn along the side of the chart by the swimlane layout, not across it.
                    attrs.pop("label", None)
                    attrs.update(hb_loop=1, hb_label=label or None)
            graph.edge(f"s-{step.id}", f"s-{target}" if target in inside else f"out-{target}", **attrs)

    phases = "、".join(p.title for p in procedure.phases)
    names = "、".join(model.roles[r].name for r in roles if r in model.roles)
    description = f"{item.title}的工作流程，共 {len(procedure.steps)} 个步骤"
    description += f"，分 {len(procedure.phases)} 个阶段（{phases}）" if procedure.phases else ""
    description += f"；参与角色：{names}。"
    title = f"{item.title}流程图"
    if part is not None and part.count > 1:
        description += f"本图为第 {part.index + 1} 部分，共 {part.count} 部分。"
        if part.index:
            title += "（续）"
    return Diagram(ident, "flowchart", title, description, graph.source())


def paper_flowchart(style: Style, item: WorkItem, frames: list[Frame],
                    measure: Callable[[Diagram], tuple[float, float]],
                    estimate: Callable[[Diagram], tuple[float, float]] | None = None) -> PaperFlowchart:
    """The flowchart of ``item`` cut into parts that each fit a page at a legible scale.

    Frames are tried in order (portrait, then landscape), each with the theme's wrap and narrower
    ones, until the lanes fit across at no less than the frame's floor scale. Parts end at phase
    boundaries; a phase too tall for a page alone is cut between its rows of steps.
    ``measure`` gives a diagram's laid-out size in points (Graphviz decides node sizes); ``estimate``, when
    given, a quicker one (no edges routed) for the many candidate parts tried while cutting.
    """
    estimate = estimate or measure
    procedure = item.procedure
    assert procedure is not None
    theme = style.theme
    # Narrower boxes before a turned page; at each width, roomier diamonds first (a narrow diamond grows very
    # tall, and on paper height is what runs out).
    wraps = [(chars, diamond) for chars in (theme.wrap, max(5, theme.wrap - 2), 5) for diamond in (4.5, None)]
    roomy = [(chars, chars / 2) for chars in (14, 12, 10) if chars > theme.wrap]
    frame, (wrap, diamond), scale = frames[-1], wraps[-1], frames[-1].floor_scale
    wide = len(_lanes(style, item)[0]) >= MAX_ROLE_LANES
    for n, candidate in enumerate(frames):
        fitted = None
        # Roomier boxes than the site's when they fit across at full size (a turned page has width to spare,
        # and wider boxes are shorter: more steps to a page); else the widest that fit at the floor.
        for chars, least in roomy:
            w, h = estimate(flowchart(style, item, wrap=chars, diamond=least))
            if w <= candidate.width * 0.96:
                fitted = (chars, least, 1.0)
                break
        for chars, least in ([] if fitted else wraps):
            w, h = estimate(flowchart(style, item, wrap=chars, diamond=least))
            if w * candidate.floor_scale <= candidate.width:
                fitted = (chars, least, min(1.0, candidate.width / w))
                break
        # A wide chart (five lanes or more) that must be cut anyway goes on turned pages, where its lanes
        # fill the width at full size instead of shrinking towards the floor; one that fits a page whole
        # keeps it, so the reader need not turn the book.
        if fitted and wide and n + 1 < len(frames) and fitted[2] < 1.0 and candidate.height / h < candidate.floor_scale:
            continue
        if fitted:
            frame, (wrap, diamond, scale) = candidate, fitted
            break
    # Lanes fill the width, less a little room for edges that Graphviz routes around the outer lanes.
    stretch = frame.width / scale * 0.96
    order = tuple(st.id for st in procedure.steps)

    def build(steps: list[str], index: int, count: int, part_of: dict[str, int], shape: tuple | None = None) -> Diagram:
        chars, least, stacked = shape or (wrap, diamond, False)
        return flowchart(style, item, wrap=chars, diamond=least, width=stretch,
                         part=Part(index, count, tuple(steps), part_of, order, stacked))

    whole = flowchart(style, item, wrap=wrap, diamond=diamond, width=stretch)
    w, h = measure(whole)
    # Whole when it fits: on the page of its title, else alone on the next page, shrunk no further than the floor.
    for room in (frame.first_height, frame.height):
        fitted = min(1.0, frame.width / w, room / h)
        if fitted >= frame.floor_scale:
            return PaperFlowchart(frame, fitted, [(Part(0, 1, tuple(s.id for s in procedure.steps), {}), whole)])

    rows = rows_of(item, _lanes(style, item)[2])
    ordered = sorted(procedure.steps, key=lambda st: (rows[st.id], procedure.steps.index(st)))
    phase_of = {st.id: st.phase for st in ordered}
    units: list[list[list[str]]] = []  # phase runs → rows → step ids
    for st in ordered:
        # A step outside any phase joins the run before it.
        if not units or st.phase is not None and st.phase != phase_of[units[-1][-1][-1]]:
            units.append([])
        run = units[-1]
        if run and rows[run[-1][-1]] == rows[st.id]:
            run[-1].append(st.id)
        else:
            run.append([st.id])

    parts: list[list[str]] = []
    current: list[str] = []

    def fits(steps: list[str], index: int) -> bool:
        limit = frame.first_height if index == 0 else frame.height
        part_of = {sid: index for sid in steps}
        w, h = estimate(build(steps, index, index + 2, part_of))
        return h * scale <= limit and w * frame.floor_scale <= frame.width

    for run in units:
        flat = [sid for row in run for sid in row]
        if fits(current + flat, len(parts)):
            current += flat
            continue
        if fits(flat, len(parts) + 1 if current else len(parts)):  # the phase whole on a part of its own
            if current:
                parts.append(current)
            current = flat
            continue
        # A phase taller than a page: cut between its rows, its first rows filling the part before.
        for row in run:
            if current and not fits(current + row, len(parts)):
                parts.append(current)
                current = []
            current += row
    if current:
        parts.append(current)
    part_of = {sid: k for k, steps in enumerate(parts) for sid in steps}
    # Roomier diamonds first: a decision alone on a page is short of height, not of width.
    shapes = [(wrap, diamond, False)] + [(c, d, s) for s in (False, True) for c, _ in wraps[::2] for d in (7, 6, 5.5, 4.5, None)]

    def shaped(k: int, steps: list[str]) -> tuple[Part, Diagram, float]:
        """The part as the whole chart draws its boxes, unless that overflows the page at ``scale``: then other
        box widths (a step alone too tall gets wider boxes, its lanes have room to spare) and connectors in rows
        of their own (too wide beside a step); the shape that needs the least shrinking, and that need."""
        limit = frame.first_height if k == 0 else frame.height
        best: tuple[float, tuple] | None = None
        for shape in shapes:
            w, h = estimate(build(steps, k, len(parts), part_of, shape))
            need = max(w / frame.width, h / limit)
            if best is None or need < best[0] - 1e-6:
                best = (need, shape)
            if need * scale <= 1.0:
                break
        assert best is not None
        diagram = build(steps, k, len(parts), part_of, best[1])
        w, h = measure(diagram)
        shapes_used[k] = best[1]
        return Part(k, len(parts), tuple(steps), part_of, order, best[1][2]), diagram, min(frame.width / w, limit / h)

    shapes_used: dict[int, tuple] = {}

    shaped_parts = [shaped(k, steps) for k, steps in enumerate(parts)]
    if len(frames) > 1 and frame is not frames[-1] and min(fit for _, _, fit in shaped_parts) < frame.floor_scale:
        # A part that fits this page in no shape (too wide even at the floor): the whole chart goes on the next
        # frame (turned pages), rather than one part shrinking below the floor.
        return paper_flowchart(style, item, frames[frames.index(frame) + 1:], measure, estimate)
    built = [(part, diagram) for part, diagram, _ in shaped_parts]
    # Connectors and continued phase titles can widen a part a little: one scale for all parts, that fits each.
    # Never below the floor: a part that still does not fit is the placer's last resort (generators.print.book).
    fitted = max(frame.floor_scale, min([scale] + [fit for _, _, fit in shaped_parts]))
    if fitted < scale - 0.005:
        # Smaller than the lanes were stretched for: stretch them again, so every part still spans the page.
        stretch = frame.width / fitted * 0.96
        built = [(part, build(list(part.steps), part.index, len(parts), part_of, shapes_used[part.index]))
                 for part, _ in built]
    scale = fitted
    return PaperFlowchart(frame, scale, built)


def _lanes(style: Style, item: WorkItem) -> tuple[list[str], bool, dict[str, int]]:
    """The lanes (roles, or role groups when there are too many roles), and the lane of every step."""
    procedure = item.procedure
    assert procedure is not None
    roles = style.role_order({step_role(item, st) for st in procedure.steps})

    def group(rid: str) -> str:
        return style.model.roles[rid].group if rid in style.model.roles else "department"

    if len(roles) > MAX_ROLE_LANES:
        lanes = [g for g in ROLE_GROUP_ORDER if any(group(r) == g for r in roles)]
        return lanes, True, {st.id: lanes.index(group(step_role(item, st))) for st in procedure.steps}
    return roles, False, {st.id: roles.index(step_role(item, st)) for st in procedure.steps}
