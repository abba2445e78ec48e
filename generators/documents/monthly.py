"""What the 《月度党建工作安排》 of one month says, for the 党委 or one branch type.

The rows come from :func:`generators.calendar.occurrences`, so the notice, the month page, the record book and
the wall chart list the same work. The Word and PDF writers only lay this out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..calendar import Occurrence, due_label, occurrences
from ..model import emphasis_of
from ..model import Model
from ..overview import role_name

COMMITTEE = "committee"


@dataclass(frozen=True)
class Level:
    """Who a month's arrangement is for: the 党委 (``committee``) or one branch type (its id)."""

    id: str
    name: str  # 党委 / 项目型党支部
    recipients: str  # 主送


def levels(model: Model) -> list[Level]:
    found = [Level(COMMITTEE, "党委", "党委委员，党委各部门")]
    found += [Level(bt.id, f"{bt.name}党支部", f"各{bt.name}党支部") for bt in model.branch_types.values()]
    return found


def level_of(model: Model, level_id: str) -> Level | None:
    return next((lv for lv in levels(model) if lv.id == level_id), None)


def due_in(model: Model, year: int, level_id: str, months: tuple[int, ...] | None = None,
           every: list[Occurrence] | None = None) -> list[Occurrence]:
    """The occurrences of a level's work in the given months of ``year`` (all months when ``None``);
    ``every`` is :func:`occurrences` of that year when the caller has it already."""
    found = []
    for o in every if every is not None else occurrences(model, year):
        if months is not None and o.month not in months:
            continue
        if level_id == COMMITTEE:
            if o.level == "committee":
                found.append(o)
        elif o.level == "branch" and emphasis_of(o.item, level_id):
            found.append(o)
    return found


@dataclass(frozen=True)
class Row:
    """One work item due in the month: the 附件's row."""

    item_id: str
    title: str
    requirement: str
    deadline: str
    owner: str
    records: str
    nodes: tuple[str, ...]
    forms: tuple[str, ...]
    routine: bool  # due every month (not a quarterly or yearly node)
    sample: bool


@dataclass(frozen=True)
class Arrangement:
    year: int
    month: int
    level: Level
    issuer: str  # 中共……委员会
    enterprise: str
    title: str
    rows: list[Row]
    general: list[str]  # 总体要求
    focus: list[str]  # 重点工作
    tips: list[str]  # 操作提示
    date: dt.date

    @property
    def attachment_title(self) -> str:
        return f"{self.year}年{self.month}月{self.level.name}工作安排表"

    @property
    def filename(self) -> str:
        return f"{self.year}-{self.month:02d}-{self.level.id}"


def _rows(model: Model, found: list[Occurrence], year: int, month: int) -> list[Row]:
    by_item: dict[str, list[Occurrence]] = {}
    for o in found:
        by_item.setdefault(o.item.id, []).append(o)

    def last_due(os_: list[Occurrence]) -> dt.date:
        return max(o.due or dt.date(year, month, 28) for o in os_)

    rows = []
    for item_id, os_ in sorted(by_item.items(), key=lambda kv: (last_due(kv[1]), list(model.items).index(kv[0]))):
        item = os_[0].item
        labels = list(dict.fromkeys(due_label(o) for o in os_))
        nodes = tuple(o.node.text for o in os_)
        summary = item.summary or item.requirement
        rows.append(Row(item_id, item.title, f"{summary}\n本月：{'；'.join(nodes)}", "；".join(labels),
                        role_name(model, item.owner), "、".join(item.records),
                        nodes, tuple(model.forms[f].title for f in item.forms if f in model.forms),
                        all(len(o.node.months) == 12 for o in os_), item.sample))
    return rows


def arrangement(model: Model, year: int, month: int, level_id: str,
                every: list[Occurrence] | None = None) -> Arrangement:
    """The month's arrangement for the 党委 or one branch type."""
    level = level_of(model, level_id)
    if level is None:
        raise KeyError(level_id)
    rows = _rows(model, due_in(model, year, level_id, (month,), every), year, month)
    enterprise = model.site.enterprise
    routine = [r for r in rows if r.routine]
    periodic = [r for r in rows if not r.routine]
    general = [
        f"{year}年{month}月，{level.name}共有{len(rows)}项工作需按时完成，其中每月例行工作{len(routine)}项，"
        f"季度、半年和年度工作{len(periodic)}项，逐项列在附件中。",
        "请对照附件逐项落实：按“完成时限”办理，按“需留存的记录”如实记录、及时归档；工作要求以手册所列依据文件为准。",
    ]
    focus = [f"{r.title}：{'；'.join(r.nodes)}。完成时限：{r.deadline}；责任主体：{r.owner}。" for r in (periodic or rows)]
    forms = list(dict.fromkeys(f for r in rows for f in r.forms))
    tips = []
    if forms:
        tips.append(f"本月需填写的记录表：《{'》《'.join(forms)}》。空白表附在本级手册印刷版和党支部工作手册中，"
                    "也可在手册站点“记录表”页面下载 Word 版在电脑上填写。")
    tips.append("每项工作的流程、依据和注意事项见手册中该事项的页面；完成后按附件“需留存的记录”一栏整理归档。")
    if any(r.sample for r in rows):
        tips.append("标“示例”的事项或时限是本企业的做法，法规没有直接规定，可结合实际调整。")
    return Arrangement(year, month, level, f"中共{enterprise}委员会", enterprise,
                       f"关于印发{year}年{month}月{level.name}工作安排的通知", rows, general, focus, tips,
                       dt.date(year, month, 1))
