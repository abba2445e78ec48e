"""Time limits of procedure steps: the Chinese wording parsed into event, minimum, maximum and unit."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ROOT
from generators.model import load_model
from generators.model.timelimits import Span, add_span, parse_time_limit, timeline, timeline_steps


def _label(span):
    return span.label if span else None


@pytest.mark.parametrize(
    ("text", "kind", "event", "minimum", "maximum", "extended"),
    [
        ("收到入党申请书后1个月内", "after", "收到入党申请书", None, "1个月", None),
        ("会后5个工作日内（示例）", "after", "会", None, "5个工作日", None),
        ("经过1年以上培养考察", "after", None, "1年", None, None),
        ("每半年考察1次，培养期1年以上", "after", None, "1年", None, None),
        ("支部大会通过后3个月内；特殊情况可延长，最长不超过6个月", "after", "支部大会通过", None, "3个月", "6个月"),
        ("党委3个月内审批，特殊情况不超过6个月", "after", None, None, "3个月", "6个月"),
        ("预备期1年，自支部大会通过之日算起", "period", "支部大会通过", "1年", "1年", None),
        ("预备期满时", "at", "预备期满", None, None, None),
        ("届满前1个月（示例）", "before", "届满", None, "1个月", None),
        ("一般不少于3天或不少于24个学时", "duration", None, "3日", None, None),
        ("每季度至少1次（示例）", "recurring", None, None, None, None),
        ("党委审批后及时组织", "promptly", "党委审批", None, None, None),
        ("按上级巡视巡察反馈要求的时限", "external", None, None, None, None),
        ("试用期一年", "period", None, "1年", "1年", None),
        ("半年内", "after", None, None, "6个月", None),
    ],
)
def test_understood_limits(text, kind, event, minimum, maximum, extended):
    limit = parse_time_limit(text)
    assert limit is not None
    assert (limit.kind, limit.event, _label(limit.minimum), _label(limit.maximum), _label(limit.extended)) == (
        kind, event, minimum, maximum, extended)


@pytest.mark.parametrize("text", ["尽快", "收到后若干天内", "经常", "3个月", "每月相对固定1天", "预备期满前后"])
def test_not_understood_limits(text):
    assert parse_time_limit(text) is None


def test_every_limit_of_the_reference_content_is_understood():
    model = load_model(ROOT)
    limits = [s.time_limit for i in model.items.values() if i.procedure for s in i.procedure.steps if s.time_limit]
    assert len(limits) > 100
    assert [t for t in limits if parse_time_limit(t) is None] == []


@pytest.mark.parametrize(
    ("start", "span", "end"),
    [
        ("2026-01-10", Span(1, "month"), "2026-02-10"),
        ("2026-01-31", Span(1, "month"), "2026-02-28"),
        ("2024-02-29", Span(1, "year"), "2025-02-28"),
        ("2026-11-30", Span(3, "month"), "2027-02-28"),
        ("2026-03-06", Span(5, "workday"), "2026-03-13"),  # a Friday: the next five weekdays
        ("2026-03-07", Span(1, "workday"), "2026-03-09"),  # a Saturday: the Monday
        ("2026-03-01", Span(24, "hour"), "2026-03-02"),
        ("2026-03-01", Span(2, "week"), "2026-03-15"),
    ],
)
def test_add_span(start, span, end):
    assert add_span(dt.date.fromisoformat(start), span) == dt.date.fromisoformat(end)


def test_member_development_timeline():
    model = load_model(ROOT)
    steps = timeline_steps(model.items["member-development"].procedure)
    assert len(steps) == 25
    rows = {r.step: r for r in timeline(steps, {"submit-application": dt.date(2026, 1, 10),
                                                "determine-activist": dt.date(2026, 3, 2)}, dt.date(2026, 3, 1))}
    assert rows["application-talk"].deadline == dt.date(2026, 2, 10)
    assert rows["application-talk"].status == "overdue"
    assert rows["determine-candidate"].earliest == dt.date(2027, 3, 2)
    assert rows["committee-approval"].base == rows["assembly-vote"].earliest
