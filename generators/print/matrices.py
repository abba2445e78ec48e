"""The site's matrix diagrams as tables on paper: roles × items, months × items, items × branch types.

A matrix of 48 items and 29 roles is far larger than a page at a legible size, and a picture cannot
continue on the next page; a table can, with its header repeated. The cells come from the same domain
questions as the diagrams (:mod:`generators.diagrams.matrix`); the roles are grouped as the swimlanes
group them (上级组织, 党委, 职能部门 …), so each table has columns wide enough for the roles' names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..diagrams.matrix import DUTY_LABELS, calendar_months, duties, emphasis_of
from ..diagrams.style import Style
from ..model.schema import EMPHASIS_LABELS, ROLE_GROUP_LABELS, WorkItem
from .tables import PAD, longest_word


@dataclass
class Matrix:
    """One table of a matrix: a heading above it (empty for the only table), its table, and a legend."""

    heading: str
    table: object  # book.Table
    legend: str


TableMaker = Callable[..., object]


def _chunks(names: list[str], first: float, total: float, size: float) -> list[list[int]]:
    """Columns in groups that fit ``total`` beside a first column ``first`` wide, each no narrower than its
    longest word."""
    groups: list[list[int]] = [[]]
    used = first
    for n, name in enumerate(names):
        width = max(longest_word(name, size), 2 * size) + PAD
        if groups[-1] and used + width > total:
            groups.append([])
            used = first
        groups[-1].append(n)
        used += width
    return groups


def role_tables(style: Style, items: list[WorkItem], table: TableMaker, total: float, size: float) -> list[Matrix]:
    """职责分工: a table per group of roles, each listing the items in which a role of the group has a duty."""
    model = style.model
    all_duties = {item.id: duties(item) for item in items}
    roles = style.role_order({rid for d in all_duties.values() for rid in d})
    by_group: dict[str, list[str]] = {}
    for rid in roles:
        group = model.roles[rid].group if rid in model.roles else ""
        by_group.setdefault(group, []).append(rid)
    first = min(total * 0.3, max(longest_word(i.title, size) for i in items) * 3 + PAD)
    legend = "主责：责任主体　配合：参与或配合的角色　参与：承担流程中某一步骤"
    found = []
    for group, members in by_group.items():
        names = [model.roles[r].name if r in model.roles else r for r in members]
        for chunk in _chunks(names, first, total, size):
            chosen = [members[n] for n in chunk]
            rows = [[item.title] + [DUTY_LABELS.get(all_duties[item.id].get(r, ""), "") for r in chosen]
                    for item in items if any(r in all_duties[item.id] for r in chosen)]
            heading = ROLE_GROUP_LABELS.get(group, "其他")
            found.append(Matrix(heading, table(["工作事项"] + [names[n] for n in chunk], rows,
                                               short=tuple(range(1, len(chunk) + 1))), legend))
    return found


def month_table(items: list[WorkItem], table: TableMaker) -> list[Matrix]:
    """年度工作日历: the items with calendar time nodes, a column per month."""
    rows = []
    for item in items:
        months = calendar_months(item)
        if months:
            rows.append([item.title] + [months.get(m, "") for m in range(1, 13)])
    if not rows:
        return []
    legend = "●：当月开展　N日：当月N日前完成　底：当月底前完成　（按需、按届和随事项开展的工作不列入）"
    return [Matrix("", table(["工作事项"] + [f"{m}月" for m in range(1, 13)], rows, short=tuple(range(1, 13))), legend)]


def type_table(style: Style, types: list, items: list[WorkItem], focus: str, table: TableMaker) -> list[Matrix]:
    """The branch type's items and their emphasis in every branch type (``types``: all of them)."""
    theme = style.theme
    rows = []
    for item in items:
        if not emphasis_of(item, focus):
            continue
        marks = []
        for bt in types:
            level = emphasis_of(item, bt.id)
            marks.append(theme.emphasis[level].symbol if level else "")
        rows.append([item.title] + marks)
    legend = "　".join(f"{theme.emphasis[k].symbol} {v}" for k, v in EMPHASIS_LABELS.items()) + "　空白：不适用"
    return [Matrix("", table(["工作事项"] + [bt.name for bt in types], rows, short=tuple(range(1, len(types) + 1))),
                   legend)]
