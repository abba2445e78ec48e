"""iCalendar (RFC 5545) feeds of the work calendar, one event per time node.

A time node that falls on evenly spaced months becomes one event with a recurrence rule
(每月 → monthly ×12, 每季度 → every 3 months ×4 …); others become one event per month.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict

from icalendar import Calendar, Event, vRecur

from . import urls
from .calendar import Occurrence, first_day


def _series(months: list[int]) -> tuple[int, int] | None:
    """(interval, count) when the months are evenly spaced, else None."""
    if len(months) < 2:
        return None
    steps = {b - a for a, b in zip(months, months[1:])}
    return (steps.pop(), len(months)) if len(steps) == 1 else None


# The last feed made under each name, by a digest of all it was made from. Writing a feed is
# slow and a preview rebuild usually leaves the feeds as they were.
_made: dict[str, tuple[str, str]] = {}


def feed(name: str, found: list[Occurrence], year: int, base_url: str | None) -> str:
    """The feed of these occurrences as iCalendar text (stable: same input, same bytes)."""
    material = repr([name, year, base_url] + [
        (o.item.id, o.item.title, o.item.requirement, o.node_index, o.node.text, o.node.day, o.month, o.due)
        for o in found
    ])
    key = hashlib.sha256(material.encode("utf-8")).hexdigest()
    if name in _made and _made[name][0] == key:
        return _made[name][1]
    text = _feed(name, found, year, base_url)
    _made[name] = (key, text)
    return text


def _feed(name: str, found: list[Occurrence], year: int, base_url: str | None) -> str:
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
        series = _series([o.month for o in group])
        batches = [group] if series else [[o] for o in group]
        for batch in batches:
            first = batch[0]
            event = Event()
            event.add("uid", f"{item_id}-{index}-{year}-{first.month if not series else 0}@handbook")
            event.add("dtstamp", stamp)
            event.add("summary", f"{first.item.title}（{first.node.text}）")
            start = first_day(first, year)
            event.add("dtstart", start)
            event.add("dtend", start + dt.timedelta(days=1))
            if series and len(batch) > 1:
                interval, count = series
                rule = {"freq": "monthly", "count": count}
                if interval > 1:
                    rule["interval"] = interval
                rule["bymonthday"] = -1 if first.node.day == -1 else start.day
                event.add("rrule", vRecur(rule))
            link = (base_url.rstrip("/") + "/" if base_url else "") + urls.item(item_id)
            event.add("description", f"{first.item.requirement}\n详见：{link}")
            if base_url:
                event.add("url", link)
            calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
