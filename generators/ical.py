"""iCalendar (RFC 5545) feeds of the work calendar, one event per time node.

A time node that falls on evenly spaced months becomes one event with a recurrence rule
(每月 → monthly ×12, 每季度 → every 3 months ×4 …); others become one event per month.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from pathlib import Path

from icalendar import Calendar, Event, vRecur

from . import urls
from .fsutil import write_atomic
from .calendar import Occurrence, first_day
from .model.timenodes import TimeNode

_VERSION = "3"  # change when _feed writes differently
NATURE = {
    "regulation": "法规规定",
    "sample": "示例（本手册设计的做法，法规没有直接规定）",
    "enterprise": "示例（本企业制度，法规没有直接规定）",
    "open": "依据待补",
}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def recurrence(node: TimeNode, months: list[int], start: dt.date) -> vRecur | None:
    """The rule repeating one time node over its months of the year, or None for a single month.

    Every month: ``FREQ=MONTHLY``; some months: ``FREQ=YEARLY`` with ``BYMONTH``. The day is
    ``BYDAY`` for a weekday rule (每月第二个星期五 → ``BYDAY=2FR``), else ``BYMONTHDAY`` (the
    due day, ``-1`` for the month's end, the first when only the month is known).
    """
    if len(months) < 2:
        return None
    rule: dict[str, object] = {"freq": "monthly"} if len(months) == 12 else {"freq": "yearly", "bymonth": months}
    rule["count"] = len(months)
    if node.weekday is not None:
        ordinal, weekday = node.weekday
        rule["byday"] = f"{ordinal}{_WEEKDAYS[weekday]}"
    else:
        rule["bymonthday"] = -1 if node.day == -1 else start.day
    return vRecur(rule)


def feed(name: str, found: list[Occurrence], year: int, base_url: str | None, cache_dir: Path | None = None,
         reminder_days: int | None = None) -> str:
    """The feed of these occurrences as iCalendar text (stable: same input, same bytes).

    With ``reminder_days``, every occurrence that falls on a day gets a second event that many days
    before it (calendar clients mostly ignore alarms in subscribed feeds, so the reminder is an event).
    Writing a feed is slow and most builds leave it as it was: with ``cache_dir``, a feed is kept
    there under a digest of everything it is made from.
    """
    if cache_dir is None:
        return _feed(name, found, year, base_url, reminder_days)
    material = repr([_VERSION, name, year, base_url, reminder_days] + [
        (o.item.id, o.item.title, o.item.requirement, o.node_index, o.node.text, o.node.day, o.node.weekday, o.month, o.due, o.status)
        for o in found
    ])
    path = cache_dir / f"{hashlib.sha256(material.encode('utf-8')).hexdigest()}.ics"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    text = _feed(name, found, year, base_url, reminder_days)
    write_atomic(path, text)
    return text


def _feed(name: str, found: list[Occurrence], year: int, base_url: str | None, reminder_days: int | None) -> str:
    calendar = Calendar()
    calendar.add("prodid", "-//handbook//党建标准化工作手册//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    grouped: dict[tuple[str, int], list[Occurrence]] = defaultdict(list)
    for occurrence in found:
        grouped[(occurrence.item.id, occurrence.node_index)].append(occurrence)
    stamp = dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc)
    for (item_id, index), group in sorted(grouped.items()):
        group.sort(key=lambda o: o.month)
        first = group[0]
        months = [o.month for o in group]
        start = first_day(first, year)
        rule = recurrence(first.node, months, start)
        batches = [group] if rule is not None or len(group) == 1 else [[o] for o in group]
        link = (base_url.rstrip("/") + "/" if base_url else "") + urls.item(item_id)
        for batch in batches:
            event = Event()
            event.add("uid", f"{item_id}-{index}-{year}-{batch[0].month if rule is None else 0}@handbook")
            event.add("dtstamp", stamp)
            mark = "［示例］" if first.sample else ""
            event.add("summary", f"{mark}{first.item.title}（{first.node.text}）")
            day = first_day(batch[0], year)
            event.add("dtstart", day)
            event.add("dtend", day + dt.timedelta(days=1))
            if rule is not None:
                event.add("rrule", rule)
            event.add("description", f"性质：{NATURE[first.status]}\n{first.item.requirement}\n详见：{link}")
            if base_url:
                event.add("url", link)
            calendar.add_component(event)
        dated = [o.due for o in group if o.due is not None]
        if reminder_days and dated:
            calendar.add_component(_reminder(first, index, year, dated, reminder_days, link, stamp, base_url))
    return calendar.to_ical().decode("utf-8")


def _reminder(first: Occurrence, index: int, year: int, dates: list[dt.date], days: int, link: str,
              stamp: dt.datetime, base_url: str | None) -> Event:
    """One event on each day ``days`` before the occurrences: the first as DTSTART, the others as RDATE."""
    before = [d - dt.timedelta(days=days) for d in dates]
    event = Event()
    event.add("uid", f"remind-{first.item.id}-{index}-{year}@handbook")
    event.add("dtstamp", stamp)
    event.add("summary", f"提醒：{days}天后 {first.item.title}（{first.node.text}）")
    event.add("dtstart", before[0])
    event.add("dtend", before[0] + dt.timedelta(days=1))
    if len(before) > 1:
        event.add("rdate", before[1:])
    event.add("categories", ["提醒"])
    event.add("description", f"{days}天后：{first.item.title}（{first.node.text}）\n详见：{link}")
    if base_url:
        event.add("url", link)
    return event
