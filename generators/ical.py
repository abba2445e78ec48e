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

_VERSION = "2"  # change when _feed writes differently
NATURE = {
    "regulation": "法规规定",
    "sample": "示例（本手册设计的做法，法规没有直接规定）",
    "enterprise": "示例（本企业制度，法规没有直接规定）",
    "open": "依据待补",
}


def _series(months: list[int]) -> tuple[int, int] | None:
    """(interval, count) when the months are evenly spaced, else None."""
    if len(months) < 2:
        return None
    steps = {b - a for a, b in zip(months, months[1:])}
    return (steps.pop(), len(months)) if len(steps) == 1 else None


def feed(name: str, found: list[Occurrence], year: int, base_url: str | None, cache_dir: Path | None = None) -> str:
    """The feed of these occurrences as iCalendar text (stable: same input, same bytes).

    Writing a feed is slow and most builds leave it as it was: with ``cache_dir``, a feed is kept
    there under a digest of everything it is made from.
    """
    if cache_dir is None:
        return _feed(name, found, year, base_url)
    material = repr([_VERSION, name, year, base_url] + [
        (o.item.id, o.item.title, o.item.requirement, o.node_index, o.node.text, o.node.day, o.month, o.due, o.status)
        for o in found
    ])
    path = cache_dir / f"{hashlib.sha256(material.encode('utf-8')).hexdigest()}.ics"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    text = _feed(name, found, year, base_url)
    write_atomic(path, text)
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
            mark = "［示例］" if first.sample else ""
            event.add("summary", f"{mark}{first.item.title}（{first.node.text}）")
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
            nature = NATURE[first.status]
            event.add("description", f"性质：{nature}\n{first.item.requirement}\n详见：{link}")
            if base_url:
                event.add("url", link)
            calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
