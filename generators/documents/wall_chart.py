"""The year wall chart (挂图): one A3 landscape sheet per branch type and one for the 党委.

Months across, work items down (grouped by section), each cell marking the deadline in that month; colour by
cadence, with a legend. Nothing is set below 8 pt: it is read from a metre away.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Model
from .monthly import COMMITTEE, Level, due_in, level_of
from .pdf import compile_pdf, env, typst_date

SMALLEST = 8.0  # pt
CADENCES = {  # months a node falls in → (label, fill)
    "monthly": ("每月", "#e8eef6"),
    "quarterly": ("每季度", "#c9daf0"),
    "half": ("每半年", "#f6e3b4"),
    "yearly": ("每年", "#f4c7c3"),
}


def cadence(months: tuple[int, ...]) -> str:
    if len(months) == 12:
        return "monthly"
    if len(months) >= 4:
        return "quarterly"
    if len(months) >= 2:
        return "half"
    return "yearly"


def mark(day: int | None, month: int) -> str:
    """What a cell says: 10日 (due by the 10th), 月底 (by the month's end), ● (some time in the month)."""
    if day is None:
        return "●"
    if day == -1:
        return "月底"
    return f"{day}日"


@dataclass
class ChartRow:
    title: str
    section: str
    cells: list[tuple[str, str]]  # per month: (text, cadence key or "")
    sample: bool


def chart_rows(model: Model, year: int, level_id: str, every=None) -> list[ChartRow]:
    found = due_in(model, year, level_id, None, every)
    ids = list(dict.fromkeys(o.item.id for o in sorted(found, key=lambda o: list(model.items).index(o.item.id))))
    rows = []
    for item_id in ids:
        cells: list[tuple[str, str]] = []
        for month in range(1, 13):
            here = [o for o in found if o.item.id == item_id and o.month == month]
            if not here:
                cells.append(("", ""))
                continue
            marks = list(dict.fromkeys(mark(o.node.day, month) for o in here))
            # The rarest cadence colours the cell: a quarterly meeting stands out from the monthly one.
            kinds = sorted((cadence(o.node.months) for o in here), key=list(CADENCES).index)
            cells.append((" ".join(marks), kinds[-1]))
        item = model.items[item_id]
        rows.append(ChartRow(item.title, model.section_of(item_id).title, cells, item.sample))
    return rows


def wall_chart_pdf(model: Model, year: int, level_id: str, date: dt.datetime) -> bytes:
    return compile_pdf(wall_chart_source(model, year, level_id, date), date)


def wall_chart_source(model: Model, year: int, level_id: str, date: dt.datetime, every=None) -> str:
    """The chart as Typst markup."""
    level: Level | None = level_of(model, level_id)
    if level is None:
        raise KeyError(level_id)
    rows = chart_rows(model, year, level_id, every)
    groups: list[tuple[str, list[ChartRow]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.section:
            groups.append((row.section, []))
        groups[-1][1].append(row)
    # Rows share the height left under the title and above the legend; never below the 8 pt floor.
    count = len(rows) + len(groups) + 1
    row_height = max(5.0, min(9.0, (297 - 2 * 10 - 20 - 16) / count))
    title = f"{year}年{level.name}党建工作挂图"
    return env().get_template("wall_chart.typ.j2").render(
        title=title, enterprise=model.site.enterprise, year=year, groups=groups, cadences=CADENCES,
        date=typst_date(date), row_height=f"{row_height:.2f}mm", smallest=SMALLEST,
        committee=level_id == COMMITTEE, version=model.site.version,
    )
