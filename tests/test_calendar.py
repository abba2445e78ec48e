"""The work calendar, checklists, iCalendar feeds, exported standard, score sheet and blank forms."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import jsonschema
from dateutil.rrule import rrulestr
from icalendar import Calendar

from conftest import ROOT
from generators.calendar import occurrences
from generators.diagrams.matrix import emphasis_of
from generators.model import load_model
from generators.model.timenodes import parse_time_node

MODEL = load_model(ROOT)
YEAR = MODEL.site.edition_year
ITEM_LINK = re.compile(r'href="\.\./\.\./items/([a-z0-9-]+)/"')


def month_page(site: Path, month: int) -> str:
    html = (site / f"calendar/{month:02d}/index.html").read_text(encoding="utf-8")
    return html[html.index("<article"):html.index("</article>")]


def test_month_pages_list_every_item_the_right_number_of_times(site: Path):
    listed = Counter()
    for month in range(1, 13):
        listed.update(ITEM_LINK.findall(month_page(site, month)))
    expected = Counter(o.item.id for o in occurrences(MODEL, YEAR))
    assert listed == expected
    # Items with a single calendar time node: a monthly one 12 times, a quarterly one 4 times, …
    single = {}
    for item in MODEL.items.values():
        nodes = [n for n in map(parse_time_node, item.time_nodes) if n and n.is_calendar]
        if len(nodes) == 1:
            single[item.id] = len(nodes[0].months)
    assert 12 in single.values() and 4 in single.values()
    for item_id, times in single.items():
        assert listed[item_id] == times, item_id


def test_month_page_groups_levels_and_shows_deadlines(site: Path):
    html = month_page(site, 1)
    assert re.search(r"<h2[^>]*>党委（\d+ 项）", html) and re.search(r"<h2[^>]*>党支部（\d+ 项）", html)
    assert "<th>适用支部类型</th>" in html
    assert "1月底前" in html


def _event_days(ics: str) -> list[tuple[str, object]]:
    days = []
    for event in Calendar.from_ical(ics).walk("VEVENT"):
        start = event.decoded("dtstart")
        uid = str(event.get("uid"))
        if uid.startswith("remind-"):
            continue
        if event.get("rrule"):
            rule = rrulestr(event.get("rrule").to_ical().decode(), dtstart=dt.datetime.combine(start, dt.time()))
            days += [(uid, d.date()) for d in rule]
        else:
            days.append((uid, start))
    return days


def test_ics_feeds_parse_and_fall_on_the_month_pages_dates(site: Path):
    found = occurrences(MODEL, YEAR)
    feeds = {"committee": [o for o in found if o.level == "committee"]}
    for bt in MODEL.branch_types:
        feeds[f"branch-{bt}"] = [o for o in found if o.level == "branch" and emphasis_of(o.item, bt)]
    for name, expected in feeds.items():
        ics = (site / f"calendar/{name}.ics").read_text(encoding="utf-8")
        days = _event_days(ics)
        assert len(days) == len(expected), name
        for uid, day in days:
            item_id = uid.rsplit("-", 3)[0]
            assert day.year == YEAR
            assert f'href="../../items/{item_id}/"' in month_page(site, day.month), (name, uid, day)
        wanted = sorted((o.item.id, (o.due or dt.date(YEAR, o.month, 1))) for o in expected)
        assert sorted((uid.rsplit("-", 3)[0], day) for uid, day in days) == wanted


def test_published_export_validates_against_its_published_schema(site: Path):
    data = json.loads((site / "export/handbook.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "export/handbook.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    item = next(i for h in data["handbooks"] for s in h["sections"] for i in s["items"] if i["id"] == "theme-party-day")
    assert item["schedule"][0]["months"] == list(range(1, 13))


def article(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return html[html.index("<article"):html.index("</article>")]


def test_checklists_per_handbook_and_branch_type(site: Path):
    for handbook in MODEL.handbooks.values():
        html = article(site / f"checklist/{handbook.id}/index.html")
        assert len(ITEM_LINK.findall(html)) == sum(len(s.items) for s in handbook.sections)
    for bt in MODEL.branch_types:
        html = article(site / f"checklist/type-{bt}/index.html")
        expected = [i for s in MODEL.handbooks["branch"].sections for i in s.items if emphasis_of(i, bt)]
        assert len(ITEM_LINK.findall(html)) == len(expected)


def test_score_sheet_and_blank_forms(site: Path):
    html = (site / "rubric/score-sheet/index.html").read_text(encoding="utf-8")
    assert "<th>得分</th>" in html and "<th>考评方式／佐证材料</th>" in html and "出现时最高等次" in html
    for aspect in MODEL.rubric.aspects:
        for line in aspect.lines:
            assert line.title.replace("“", "&ldquo;")[:4] in html or line.title[:4] in html
    for form in MODEL.forms.values():
        page = (site / f"forms/{form.id}/index.html").read_text(encoding="utf-8")
        assert 'class="hb-form-table"' in page and page.count("<tr") >= len(form.fields)


def _expanded(ics: str, start: dt.date, end: dt.date) -> list:
    import recurring_ical_events

    return recurring_ical_events.of(Calendar.from_ical(ics)).between(start, end)


def test_theme_party_day_falls_on_the_second_friday_of_every_month(site: Path):
    ics = (site / "calendar/branch-decision.ics").read_text(encoding="utf-8")
    assert "RRULE:FREQ=MONTHLY;COUNT=12;BYDAY=2FR" in ics
    events = _expanded(ics, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    days = sorted(e.decoded("dtstart") for e in events
                  if str(e["uid"]).startswith("theme-party-day-") and "第二个星期五" in str(e["summary"]))
    assert days == [dt.date(2026, m, d) for m, d in [
        (1, 9), (2, 13), (3, 13), (4, 10), (5, 8), (6, 12), (7, 10), (8, 14), (9, 11), (10, 9), (11, 13), (12, 11)]]
    reminders = sorted(e.decoded("dtstart") for e in events if str(e["uid"]).startswith("remind-theme-party-day-0-"))
    assert reminders == [d - dt.timedelta(days=MODEL.site.reminder_days) for d in days]
    page = (site / "calendar/index.html").read_text(encoding="utf-8")
    for client in ("Outlook", "WPS", "企业微信", "iPhone", "安卓", "默认提醒"):
        assert client in page, client


def test_quarter_end_day_rule_becomes_bymonth_and_bymonthday():
    from generators.calendar import Occurrence
    from generators.ical import feed

    item = MODEL.items["theme-party-day"]
    node = parse_time_node("每季度末月25日前（示例）")
    found = [Occurrence(item, "branch", "branch", node, 0, m, node.date_in(2026, m)) for m in node.months]
    ics = feed("测试", found, 2026, None, reminder_days=5)
    rule = next(line for line in ics.splitlines() if line.startswith("RRULE:"))
    assert set(rule.removeprefix("RRULE:").split(";")) == {"FREQ=YEARLY", "COUNT=4", "BYMONTH=3,6,9,12", "BYMONTHDAY=25"}
    events = _expanded(ics, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    due = sorted(e.decoded("dtstart") for e in events if not str(e["uid"]).startswith("remind-"))
    assert due == [dt.date(2026, 3, 25), dt.date(2026, 6, 25), dt.date(2026, 9, 25), dt.date(2026, 12, 25)]
    reminders = sorted(e.decoded("dtstart") for e in events if str(e["uid"]).startswith("remind-"))
    assert reminders == [dt.date(2026, 3, 20), dt.date(2026, 6, 20), dt.date(2026, 9, 20), dt.date(2026, 12, 20)]
