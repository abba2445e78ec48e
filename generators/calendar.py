"""The work calendar: every time node of every item placed on the days of one year.

The month pages, the annual calendar and the iCalendar feeds are all drawn from
:func:`occurrences`, so they always show the same dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import emphasis_of
from .model import Model
from .model.review import is_sample, item_status
from .model.schema import WorkItem
from .model.timenodes import TimeNode, parse_time_node

LEVEL_NAMES = {"committee": "党委", "project": "项目党组织", "branch": "党支部", "member": "党员"}


@dataclass(frozen=True)
class Occurrence:
    """One item due in one month (by one day, when its time node sets one)."""

    item: WorkItem
    handbook_id: str
    level: str  # committee / project / branch / member: the handbook kind
    node: TimeNode
    node_index: int
    month: int
    due: dt.date | None  # None: some time within the month
    status: str = "regulation"  # regulation / sample / enterprise / open: see model.review

    @property
    def sample(self) -> bool:
        """The item is 示例 (enterprise practice), not regulation."""
        return is_sample(self.status)


def occurrences(model: Model, year: int | None = None) -> list[Occurrence]:
    """Every calendar time node of every item in ``year`` (the site's edition year by default)."""
    year = year or model.site.edition_year
    found = []
    for handbook in model.handbooks.values():
        for section in handbook.sections:
            for item in section.items:
                status = item_status(model, item)
                for index, text in enumerate(item.time_nodes):
                    node = parse_time_node(text)
                    if node is None or not node.is_calendar:
                        continue
                    for month in node.months:
                        found.append(
                            Occurrence(item, handbook.id, handbook.spec.kind, node, index, month,
                                       node.date_in(year, month), status)
                        )
    return found


def first_day(occurrence: Occurrence, year: int) -> dt.date:
    """The day a calendar shows it on: the due day, else the first of its month."""
    return occurrence.due or dt.date(year, occurrence.month, 1)


def branch_types_of(model: Model, item: WorkItem) -> list[str]:
    """Names of the branch types an item applies to (all of them when it applies to every type)."""
    return [bt.name for bt in model.branch_types.values() if emphasis_of(item, bt.id)]


def due_label(occurrence: Occurrence) -> str:
    """How a month page shows the deadline: 当月 / N日前 / 月底前."""
    node = occurrence.node
    if node.weekday is not None:
        return f"{occurrence.month}月{occurrence.due.day}日"
    if node.day is None:
        return "当月"
    if node.day == -1:
        return f"{occurrence.month}月底前"
    return f"{occurrence.month}月{occurrence.due.day}日前"
