"""Time nodes: the Chinese wording editors write (每月, 每季度首月, 每年1月底前, 会后5个工作日内 …)
parsed into something a program can schedule, the wording kept for display.

A calendar node names the months it falls in and, when the wording sets one, the day of the
month it is due by (``-1`` for the month's end). An event node (``收到申请后1个月内``) and the
``按需`` / ``每届`` nodes fall on no fixed date.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

ALL_MONTHS = tuple(range(1, 13))
QUARTER_FIRST = (1, 4, 7, 10)
QUARTER_LAST = (3, 6, 9, 12)
_CN_ORDINAL = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4, "最后一": -1}
_CN_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_MONTH_SETS = {"每月": ALL_MONTHS, "每季度首月": QUARTER_FIRST, "每季度末月": QUARTER_LAST}
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_NOTE = re.compile(r"^(?P<core>.+?)(?:（(?P<note>[^（）]+)）)?$")
_EVENT = re.compile(r"^.{1,30}?(?:时|后\d+(?:个)?(?:工作日|日|天|个月|周)内|前\d+(?:个)?(?:工作日|日|天|个月|周))$")

Kind = Literal["calendar", "event", "as_needed", "per_term"]

SHAPES = (
    "每月、每月10日前、每月上旬/中旬/下旬、每月底前、每月第二个星期五、每月最后一个星期五、每季度、每季度首月、"
    "每季度末月、每季度末月25日前、每季度首月第一个星期一、每半年、"
    "每年上半年、每年下半年、每年、每年3月、每年1月底前、每年6月30日前、每年第一季度…第四季度、"
    "每年年初、每年年底、每届、按需，或事件写法如“项目开工时”“会后5个工作日内”“收到申请后1个月内”"
    "“换届前3个月”；末尾可加全角括号说明，如“每月（支部委员会会议）”"
)


@dataclass(frozen=True)
class TimeNode:
    """One time node: what was written, and when it falls in a year.

    ``weekday`` is set for a weekday rule (每月第二个星期五): (which one in the month, 1-4 or -1
    for the last; the weekday, 0 = Monday); ``day`` is then ``None``.
    """

    text: str
    kind: Kind
    months: tuple[int, ...] = ()
    day: int | None = None
    note: str | None = None
    weekday: tuple[int, int] | None = None

    def date_in(self, year: int, month: int) -> dt.date | None:
        """The day it falls on or is due by in one of its months; ``None`` when only the month is known."""
        if self.weekday is not None:
            ordinal, weekday = self.weekday
            days = [d for d in range(1, cal.monthrange(year, month)[1] + 1) if dt.date(year, month, d).weekday() == weekday]
            return dt.date(year, month, days[ordinal - 1 if ordinal > 0 else ordinal])
        if self.day is None:
            return None
        last = cal.monthrange(year, month)[1]
        return dt.date(year, month, last if self.day == -1 else min(self.day, last))

    @property
    def is_calendar(self) -> bool:
        return self.kind == "calendar"


def parse_time_node(text: str) -> TimeNode | None:
    """The parsed node, or ``None`` when the wording is not one of the understood shapes."""
    text = text.strip()
    match = _NOTE.match(text)
    if not match:
        return None
    core, note = match.group("core").strip(), match.group("note")
    if m := re.fullmatch(r"(每月|每季度首月|每季度末月)(?:第([一二三四1-4])|(最后一))个(?:星期|周)([一二三四五六日天])", core):
        ordinal, weekday = _CN_ORDINAL[m.group(2) or m.group(3)], _CN_WEEKDAY[m.group(4)]
        return TimeNode(text, "calendar", _MONTH_SETS[m.group(1)], None, note, (ordinal, weekday))
    found = _calendar(core)
    if found is not None:
        months, day = found
        return TimeNode(text, "calendar", months, day, note)
    if core in ("按需", "随时"):
        return TimeNode(text, "as_needed", note=note)
    if core in ("每届", "每届届满时"):
        return TimeNode(text, "per_term", note=note)
    if _EVENT.match(core):
        return TimeNode(text, "event", note=note)
    return None


def _calendar(core: str) -> tuple[tuple[int, ...], int | None] | None:
    fixed = {
        "每月": (ALL_MONTHS, None),
        "每月上旬": (ALL_MONTHS, 10),
        "每月中旬": (ALL_MONTHS, 20),
        "每月下旬": (ALL_MONTHS, -1),
        "每月底前": (ALL_MONTHS, -1),
        "每季度": (QUARTER_LAST, -1),
        "每季度首月": (QUARTER_FIRST, None),
        "每季度末月": (QUARTER_LAST, None),
        "每半年": ((6, 12), -1),
        "每年上半年": ((6,), -1),
        "每年下半年": ((12,), -1),
        "每年": ((12,), -1),
        "每年年初": ((1,), None),
        "每年年底": ((12,), None),
    }
    if core in fixed:
        return fixed[core]
    if m := re.fullmatch(r"(每月|每季度首月|每季度末月)(\d{1,2})日前", core):
        day = int(m.group(2))
        return (_MONTH_SETS[m.group(1)], day) if 1 <= day <= 28 else None
    if m := re.fullmatch(r"每年第([一二三四1-4])季度", core):
        quarter = _CN_QUARTER[m.group(1)]
        return (quarter * 3,), -1
    if m := re.fullmatch(r"每年(\d{1,2})月(?:(底前)|(\d{1,2})日前)?", core):
        month = int(m.group(1))
        if not 1 <= month <= 12:
            return None
        if m.group(2):
            return (month,), -1
        if m.group(3):
            day = int(m.group(3))
            return ((month,), day) if 1 <= day <= 31 else None
        return (month,), None
    return None
