"""矩阵图: items × branch types, roles × items, months × items — each one HTML table laid out by Graphviz."""

from __future__ import annotations

import html
from collections.abc import Iterable

from .. import urls
from ..model import Handbook, Model, emphasis_of  # the print editions still import emphasis_of from here
from ..model.schema import EMPHASIS_LABELS, WorkItem
from ..model.timenodes import parse_time_node
from . import Diagram
from .dot import Html, html_text
from .flowchart import step_role
from .style import Style

DUTY_LABELS = {"owner": "主责", "participant": "配合", "step": "参与"}


def matrices(model: Model) -> list[Diagram]:
    style = Style(model)
    found: list[Diagram] = []
    branch_items = branch_work_items(model)
    if branch_items and model.branch_types:
        found.append(type_matrix(style, branch_items, None))
        found.extend(type_matrix(style, branch_items, tid) for tid in model.branch_types)
    for handbook in model.handbooks.values():
        items = [i for s in handbook.sections for i in s.items]
        if items:
            found.append(role_matrix(style, handbook, items))
            found.append(month_matrix(style, handbook, items))
    return found


def branch_work_items(model: Model) -> list[WorkItem]:
    """The work items of every branch handbook: the rows of the branch-type matrices."""
    return [i for hb in model.handbooks.values() if hb.spec.kind == "branch" for s in hb.sections for i in s.items]


def duties(item: WorkItem) -> dict[str, str]:
    """Role id → its duty in the item: owner (主责), participant (配合) or step (参与)."""
    found = {item.owner: "owner"}
    for rid in item.participants:
        found.setdefault(rid, "participant")
    for step in item.procedure.steps if item.procedure else []:
        found.setdefault(step_role(item, step), "step")
    return found


def calendar_months(item: WorkItem) -> dict[int, str]:
    """Month → what to show in its cell: ● or the due day (10日, 月底)."""
    cells: dict[int, str] = {}
    for text in item.time_nodes:
        node = parse_time_node(text)
        if node is None or not node.is_calendar:
            continue
        mark = "●" if node.day is None else ("底" if node.day == -1 else f"{node.day}日")
        for month in node.months:
            cells[month] = mark if month not in cells or cells[month] == "●" else cells[month]
    return cells


class _Table:
    """An HTML-like table in the theme's style."""

    def __init__(self, style: Style):
        self.style = style
        self.rows: list[str] = []

    def cell(self, text: str, *, href: str | None = None, fill: str | None = None, bold: bool = False,
             align: str = "center", small: bool = False, colour: str | None = None, ident: str | None = None,
             tooltip: str | None = None) -> str:
        theme = self.style.theme
        attrs = [f'align="{align}"', 'cellpadding="4"']
        if fill:
            attrs.append(f'bgcolor="{fill}"')
        if href:
            attrs.append(f'href="{html.escape(href, quote=True)}"')
        if ident:
            attrs.append(f'id="{html.escape(ident, quote=True)}"')  # Graphviz writes the cell as <g id="a_…">
        if tooltip:
            attrs.append(f'title="{html.escape(tooltip, quote=True)}"')
        if not text:
            return f'<td {" ".join(attrs)}></td>'
        body = html_text(text, 14 if align == "left" else None)
        if bold:
            body = f"<b>{body}</b>"
        size = theme.small_font_size if small else theme.font_size
        color = colour or theme.ink
        return f'<td {" ".join(attrs)}><font point-size="{size:g}" color="{color}">{body}</font></td>'

    def row(self, cells: Iterable[str]) -> None:
        self.rows.append("<tr>" + "".join(cells) + "</tr>")

    def html(self) -> Html:
        theme = self.style.theme
        return Html(
            f'<table border="0" cellborder="1" cellspacing="0" color="{theme.line}" bgcolor="{theme.background}">'
            + "".join(self.rows)
            + "</table>"
        )


def _diagram(style: Style, ident: str, title: str, description: str, table: _Table, legend: str) -> Diagram:
    graph = style.graph(ident, rankdir="TB")
    graph.node("matrix", shape="plaintext", margin=0, label=table.html())
    graph.node("legend", shape="plaintext", margin=0, label=style.label(legend, width=60))
    graph.edge("matrix", "legend", style="invis")
    return Diagram(ident, "matrix", title, description, graph.source())


def _item_cell(table: _Table, item: WorkItem) -> str:
    return table.cell(item.title, href=urls.link(urls.item(item.id)), align="left")


def type_matrix(style: Style, items: list[WorkItem], focus: str | None) -> Diagram:
    model, theme = style.model, style.theme
    types = list(model.branch_types.values())
    rows = [i for i in items if focus is None or emphasis_of(i, focus)]
    table = _Table(style)
    header = [table.cell("工作事项", bold=True, fill=theme.phase_fill)]
    for bt in types:
        focused = bt.id == focus
        header.append(table.cell(bt.name, bold=True, href=urls.link(urls.branch_type(bt.id)),
                                 fill=theme.accent if focused else theme.phase_fill,
                                 colour="#ffffff" if focused else None))
    table.row(header)
    for item in rows:
        # The matrix of every type names its cells (hbm.<item>.<type>.<emphasis>) for the branch-type switch,
        # which dims the rows that do not apply to the chosen type (javascripts/branch-type.js).
        tagged = focus is None
        cells = [table.cell(item.title, href=urls.link(urls.item(item.id)), align="left",
                            ident=f"hbm.{item.id}._.row" if tagged else None)]
        for bt in types:
            level = emphasis_of(item, bt.id)
            mark = theme.emphasis[level] if level else None
            cells.append(table.cell(mark.symbol if mark else "", fill=mark.fill if mark else None,
                                    ident=f"hbm.{item.id}.{bt.id}.{level or 'none'}" if tagged else None,
                                    tooltip=f"{item.title}：{bt.name}{EMPHASIS_LABELS[level] if level else '不适用'}" if tagged else None))
        table.row(cells)
    legend = "　".join(f"{theme.emphasis[k].symbol} {v}" for k, v in EMPHASIS_LABELS.items()) + "　空白：不适用"
    if focus:
        name = model.branch_types[focus].name
        ident, title = f"matrix-type-{focus}", f"{name}党支部工作事项矩阵图"
        description = f"{name}党支部适用的 {len(rows)} 个工作事项，及其在七种支部类型中的侧重（必做、重点、可选）。"
    else:
        ident, title = "matrix-types", "工作事项与支部类型矩阵图"
        description = f"党支部 {len(rows)} 个工作事项在 {len(types)} 种支部类型中的侧重（必做、重点、可选）。"
    return _diagram(style, ident, title, description, table, legend)


def role_matrix(style: Style, handbook: Handbook, items: list[WorkItem]) -> Diagram:
    model, theme = style.model, style.theme
    all_duties = {item.id: duties(item) for item in items}
    roles = style.role_order({rid for d in all_duties.values() for rid in d})
    table = _Table(style)
    header = [table.cell("工作事项", bold=True, fill=theme.phase_fill)]
    for rid in roles:
        name = model.roles[rid].name if rid in model.roles else rid
        header.append(table.cell(name, bold=True, small=True, href=urls.link(urls.role(rid)), fill=theme.phase_fill))
    table.row(header)
    for item in items:
        cells = [_item_cell(table, item)]
        for rid in roles:
            duty = all_duties[item.id].get(rid)
            fill = style.role_colours(rid).fill if duty == "owner" else None
            cells.append(table.cell(DUTY_LABELS[duty] if duty else "", fill=fill, small=True, bold=duty == "owner"))
        table.row(cells)
    legend = "主责：责任主体　配合：参与或配合的角色　参与：承担流程中某一步骤"
    description = f"{handbook.title}中 {len(items)} 个工作事项与 {len(roles)} 个角色的职责分工（主责、配合、参与）。"
    return _diagram(style, f"matrix-roles-{handbook.id}", f"{handbook.spec.short}角色职责矩阵图", description, table, legend)


def month_matrix(style: Style, handbook: Handbook, items: list[WorkItem]) -> Diagram:
    theme = style.theme
    table = _Table(style)
    table.row([table.cell("工作事项", bold=True, fill=theme.phase_fill)]
              + [table.cell(f"{m}月", bold=True, small=True, fill=theme.phase_fill) for m in range(1, 13)])
    rows = 0
    for item in items:
        months = calendar_months(item)
        if not months:
            continue
        rows += 1
        table.row([_item_cell(table, item)]
                  + [table.cell(months.get(m, ""), small=True, fill=theme.emphasis["required"].fill if m in months else None)
                     for m in range(1, 13)])
    legend = "●：当月开展　N日：当月N日前完成　底：当月底前完成　（按需、按届和随事项开展的工作不列入）"
    description = f"{handbook.title}中 {rows} 个有固定时间节点的工作事项在全年 12 个月中的安排。"
    return _diagram(style, f"matrix-months-{handbook.id}", f"{handbook.spec.short}年度工作日历矩阵图", description, table, legend)
