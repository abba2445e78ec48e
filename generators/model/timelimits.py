"""Time limits of procedure steps: the Chinese wording (收到入党申请书后1个月内, 经过1年以上培养考察,
支部大会通过后3个月内；特殊情况可延长，最长不超过6个月 …) parsed into what a date calculator needs:
the event it counts from, a minimum and/or maximum span, and a unit.

The wording stays what editors wrote; :func:`parse_time_limit` reads it clause by clause
(clauses are separated by “，” or “；”), and wording none of whose clauses is understood is a
validation error listing :data:`SHAPES`. Which step a limit counts from is the step before it,
unless the step names another in ``time_from``.

:func:`add_span` and :func:`timeline` are the date arithmetic of the 发展党员 calculator; the
page's script repeats them, and a browser test holds the two to the same answers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from .timenodes import parse_time_node

Unit = Literal["hour", "day", "workday", "week", "month", "year", "lesson"]
Kind = Literal["after", "before", "at", "period", "duration", "recurring", "promptly", "external"]
UNIT_LABELS: dict[str, str] = {
    "hour": "小时", "day": "日", "workday": "个工作日", "week": "周", "month": "个月", "year": "年", "lesson": "学时",
}

SHAPES = (
    "“收到入党申请书后1个月内”“会后5个工作日内”“党委3个月内审批”（从某事起最多多久）、"
    "“经过1年以上培养考察”“培养期1年以上”（至少多久）、“届满前1个月”“会前3个工作日”（某事之前）、"
    "“预备期满时”“项目开工时”“谈话当天”（某事发生时）、“预备期1年，自支部大会通过之日算起”（持续多久）、"
    "“不少于5个工作日”“一般不少于3天或不少于24个学时”（本步骤至少持续多久）、"
    "“每月”“每季度至少1次”“每半年考察1次”（定期）、“发现后立即”“会后及时”（立即、及时）、"
    "“按上级要求的时限”（按其他规定）；可用“，”或“；”连写几项，"
    "并可加“特殊情况可延长，最长不超过6个月”；末尾可加全角括号说明，如“（示例）”"
)

_NUM = r"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十半]+)"
_UNIT = r"(?P<u>小时|个工作日|工作日|日|天|周|个月|月|年|学时)"
_UNITS = {
    "小时": "hour", "个工作日": "workday", "工作日": "workday", "日": "day", "天": "day", "周": "week",
    "个月": "month", "月": "month", "年": "year", "学时": "lesson",
}
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NOTE = re.compile(r"^(?P<core>.+?)(?:（(?P<note>[^（）]+)）)?$")


@dataclass(frozen=True)
class Span:
    """An amount of time: 1个月, 5个工作日, 1年."""

    amount: float
    unit: Unit

    @property
    def label(self) -> str:
        return f"{self.amount:g}{UNIT_LABELS[self.unit]}"

    def to_json(self) -> dict[str, object]:
        return {"amount": self.amount, "unit": self.unit}


@dataclass(frozen=True)
class TimeLimit:
    """One step's time limit: what was written, and what it means for dates."""

    text: str
    kind: Kind
    event: str | None = None  # the wording of what it counts from, e.g. 收到入党申请书
    minimum: Span | None = None
    maximum: Span | None = None
    extended: Span | None = None  # 特殊情况可延长，最长不超过…
    note: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text, "kind": self.kind, "event": self.event,
            "minimum": self.minimum.to_json() if self.minimum else None,
            "maximum": self.maximum.to_json() if self.maximum else None,
            "extended": self.extended.to_json() if self.extended else None,
        }


def _number(text: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text == "半":
        return 0.5
    if text == "十":
        return 10
    if m := re.fullmatch(r"([一二两三四五六七八九])?十([一二三四五六七八九])?", text):
        return _CN_DIGITS.get(m.group(1) or "一", 1) * 10 + _CN_DIGITS.get(m.group(2) or "", 0)
    return float(_CN_DIGITS[text]) if text in _CN_DIGITS else None


def _span(n: str, u: str) -> Span | None:
    amount = _number(n)
    if amount is None or amount <= 0:
        return None
    if n == "半" and u == "年":  # 半年 is six months, which the calendar can count exactly
        return Span(6, "month")
    return Span(amount, _UNITS[u])  # type: ignore[arg-type]


_AFTER = re.compile(rf"^(?P<event>.{{1,16}}?)后{_NUM}{_UNIT}内(?P<rest>.{{0,8}})$")
_WITHIN = re.compile(rf"^(?P<who>.{{0,6}}?)(?:在)?{_NUM}{_UNIT}内(?P<rest>.{{0,8}})$")
_NOT_OVER = re.compile(rf"^(?:限期|期限|一般)?不超过{_NUM}{_UNIT}$")
_AT_LEAST = re.compile(rf"^(?P<lead>经过|培养期|培养教育|考察期)?{_NUM}{_UNIT}以上(?P<rest>.{{0,8}})$")
_NOT_LESS = re.compile(rf"^(?P<what>.{{0,4}}?)(?:一般)?不少于{_NUM}{_UNIT}(?:或不少于\d+(?:个)?(?:学时|小时|天|日))?$")
_BEFORE = re.compile(rf"^(?P<event>.{{1,10}}?)前(?:{_NUM}{_UNIT}(?P<rest>[^前后]{{0,6}}))?$")
_AT = re.compile(r"^(?P<event>.{1,12}?)(?:时|当天|当日|当周)$")
_PROMPT = re.compile(r"^(?P<event>.{1,10}?)(?:后)?(?:立即|及时)(?P<rest>.{0,6})$")
_EXTERNAL = re.compile(r"^按.{2,30}(?:时限|期限|要求|规定)$")
_SINCE = re.compile(r"^自(?P<event>.{1,16}?)之日(?:起)?算起$")
_PERIOD = re.compile(rf"^(?P<what>预备期|试用期|培养期|考察期|任期)(?:为)?{_NUM}{_UNIT}$")
_EXTEND = re.compile(rf"^(?:特殊情况|情况特殊的?)?(?:可)?(?:延长)?(?:[，,]?)(?:至|最长)?(?:不超过)?(?:{_NUM}{_UNIT})?$")
_RECURRING = re.compile(r"^(?:每(?:周|月|季度|半年|年).{0,4}?(?:至少)?\d+次|次月\d{1,2}日前|每周)$")


def parse_time_limit(text: str) -> TimeLimit | None:
    """The parsed limit, or ``None`` when some clause of the wording is not one of :data:`SHAPES`."""
    text = text.strip()
    match = _NOTE.match(text)
    if not match:
        return None
    core, note = match.group("core").strip(), match.group("note")
    clauses = [c.strip() for c in re.split(r"[，；,;]", core) if c.strip()]
    if not clauses:
        return None
    found: dict[str, object] = {}
    for position, clause in enumerate(clauses):
        if not _clause(clause, found, first=position == 0):
            return None
    kind = found.get("kind")
    if kind is None:
        return None
    return TimeLimit(
        text, kind, found.get("event"), found.get("minimum"), found.get("maximum"), found.get("extended"), note  # type: ignore[arg-type]
    )


def _set_kind(found: dict[str, object], kind: str) -> None:
    # The first clause that says something about dates decides the kind; a later recurring
    # clause (每半年考察1次，培养期1年以上) gives way to a minimum.
    if found.get("kind") in (None, "recurring", "duration"):
        found["kind"] = kind


def _clause(clause: str, found: dict[str, object], *, first: bool) -> bool:
    if not first and (m := _EXTEND.fullmatch(clause)) and ("特殊" in clause or "延长" in clause or "最长" in clause):
        if m.group("n"):
            found["extended"] = _span(m.group("n"), m.group("u"))
        return True
    if m := _SINCE.match(clause):
        found["event"] = m.group("event")
        return "kind" in found
    if m := _AFTER.match(clause):
        span = _span(m.group("n"), m.group("u"))
        if span is None:
            return False
        found.update(event=m.group("event"), maximum=span)
        _set_kind(found, "after")
        return True
    if m := _NOT_OVER.match(clause):
        span = _span(m.group("n"), m.group("u"))
        if span is None:
            return False
        if found.get("maximum") is not None:
            found["extended"] = span
        else:
            found["maximum"] = span
            _set_kind(found, "after")
        return True
    if m := _AT_LEAST.match(clause):
        span = _span(m.group("n"), m.group("u"))
        if span is None:
            return False
        found["minimum"] = span
        found["kind"] = "after"
        return True
    if m := _PERIOD.match(clause):
        span = _span(m.group("n"), m.group("u"))
        if span is None:
            return False
        found.update(minimum=span, maximum=span)
        _set_kind(found, "period")
        return True
    if m := _NOT_LESS.match(clause):
        span = _span(m.group("n"), m.group("u"))
        if span is None:
            return False
        found.setdefault("minimum", span)
        _set_kind(found, "duration")
        return True
    if _RECURRING.match(clause) or ((node := parse_time_node(clause)) is not None and node.is_calendar):
        _set_kind(found, "recurring")
        return True
    if m := _EXTERNAL.match(clause):
        _set_kind(found, "external")
        return True
    if m := _PROMPT.match(clause):
        found.setdefault("event", m.group("event").removesuffix("后"))
        _set_kind(found, "promptly")
        return True
    if m := _WITHIN.match(clause):
        span = _span(m.group("n"), m.group("u"))
        if span is None:
            return False
        found["maximum"] = span
        _set_kind(found, "after")
        return True
    if m := _AT.match(clause):
        found.setdefault("event", m.group("event").removesuffix("后"))
        _set_kind(found, "at")
        return True
    if m := _BEFORE.match(clause):
        if m.group("n"):
            span = _span(m.group("n"), m.group("u"))
            if span is None:
                return False
            found["maximum"] = span
        found.setdefault("event", m.group("event"))
        _set_kind(found, "before")
        return True
    return False


# ---------------------------------------------------------------- date arithmetic


def add_span(start: dt.date, span: Span) -> dt.date:
    """``start`` plus ``span``: months and years keep the day of the month (31 January + 1 month is
    the last day of February); work days skip Saturdays and Sundays (public holidays are not known
    here); hours and 学时 count as whole days begun."""
    amount = span.amount
    if span.unit in ("month", "year"):
        months = round(amount * (12 if span.unit == "year" else 1))
        index = start.month - 1 + months
        year, month = start.year + index // 12, index % 12 + 1
        return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    if span.unit == "workday":
        day, left = start, int(amount)
        while left > 0:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day
    days = {"day": amount, "week": amount * 7, "hour": -(-amount // 24), "lesson": -(-amount // 24)}[span.unit]
    return start + dt.timedelta(days=int(days))


@dataclass(frozen=True)
class TimelineRow:
    """One step of a procedure on the calendar of one case."""

    step: str
    base: dt.date | None  # the date the limit counts from
    earliest: dt.date | None
    deadline: dt.date | None
    extended: dt.date | None
    done: dt.date | None
    status: str  # done / done-late / overdue / due / open / early


def timeline(steps: list[dict], reached: dict[str, dt.date], today: dt.date) -> list[TimelineRow]:
    """Each step's earliest date, deadline and status, from the dates already reached.

    ``steps`` are the structured steps a page embeds (see :func:`timeline_steps`): id, from, limit.
    A step not yet reached is projected to happen on its earliest date, and later steps count from there.
    """
    dates: dict[str, dt.date] = {}
    rows = []
    for step in steps:
        base = dates.get(step["from"]) if step["from"] else None
        limit = step["limit"]
        earliest = deadline = extended = None
        if base is not None:
            earliest = base
            kind = limit["kind"] if limit else None
            if kind in ("after", "period") and limit["minimum"]:
                earliest = add_span(base, Span(**limit["minimum"]))
            if kind in ("after", "period") and limit["maximum"]:
                deadline = add_span(base, Span(**limit["maximum"]))
            if kind == "after" and limit["extended"]:
                extended = add_span(base, Span(**limit["extended"]))
            if kind == "at":
                deadline = base
        done = reached.get(step["id"])
        dates[step["id"]] = done or earliest or today
        last = deadline  # a special extension is shown, but the normal deadline is what is due
        if done is not None:
            status = "done-late" if last is not None and done > last else "early" if earliest and done < earliest else "done"
        elif last is not None and today > last:
            status = "overdue"
        elif deadline is not None:
            status = "due"
        else:
            status = "open"
        rows.append(TimelineRow(step["id"], base, earliest, deadline, extended, done, status))
    return rows


def timeline_steps(procedure) -> list[dict]:
    """The steps of a procedure a date calculator walks, in order, as plain data for a page:
    id, title, phase, the step the limit counts from, and the parsed limit.

    End steps are left out, and the start step unless a limit counts from it; a limit counts from
    ``time_from`` when the step names one, else from the first step that leads to it.
    """
    from .procedures import edges

    before: dict[str, str] = {}
    for step in procedure.steps:
        for target, loop_back in edges(step):
            if not loop_back:
                before.setdefault(target, step.id)
    rows = []
    counted = {s.id for s in procedure.steps if s.kind not in ("start", "end")}
    # A start step is a row only when a limit counts from it (收到申请书后1个月内 right after the start).
    counted |= {
        before[s.id] for s in procedure.steps
        if s.id in counted and s.time_limit and not s.time_from and s.id in before
        and next(x for x in procedure.steps if x.id == before[s.id]).kind == "start"
    }
    for step in procedure.steps:
        if step.id not in counted:
            continue
        source = step.time_from or before.get(step.id)
        limit = parse_time_limit(step.time_limit) if step.time_limit else None
        rows.append({
            "id": step.id, "title": step.title, "phase": step.phase,
            "from": source if source in counted else None,
            "limit": limit.to_json() if limit else None,
        })
    return rows
