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
    assert "自评得分" in html and "考核得分" in html
    for aspect in MODEL.rubric.aspects:
        for line in aspect.lines:
            assert line.title.replace("“", "&ldquo;")[:4] in html or line.title[:4] in html
    for form in MODEL.forms.values():
        page = (site / f"forms/{form.id}/index.html").read_text(encoding="utf-8")
        assert 'class="hb-form-table"' in page and page.count("<tr") >= len(form.fields)
