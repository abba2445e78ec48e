"""Time-node wording parses into months and due days; unknown wording is rejected with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import validate_json
from generators.model.timenodes import ALL_MONTHS, parse_time_node


@pytest.mark.parametrize(
    ("text", "kind", "months", "day"),
    [
        ("每月", "calendar", ALL_MONTHS, None),
        ("每月10日前", "calendar", ALL_MONTHS, 10),
        ("每月底前", "calendar", ALL_MONTHS, -1),
        ("每月（支部委员会会议）", "calendar", ALL_MONTHS, None),
        ("每季度", "calendar", (3, 6, 9, 12), -1),
        ("每季度首月", "calendar", (1, 4, 7, 10), None),
        ("每半年", "calendar", (6, 12), -1),
        ("每年", "calendar", (12,), -1),
        ("每年1月底前", "calendar", (1,), -1),
        ("每年6月30日前", "calendar", (6,), 30),
        ("每年3月", "calendar", (3,), None),
        ("每年第四季度", "calendar", (12,), -1),
        ("每年第二季度", "calendar", (6,), -1),
        ("每年年初（制定计划）", "calendar", (1,), None),
        ("每季度末月25日前", "calendar", (3, 6, 9, 12), 25),
        ("每季度首月10日前（示例）", "calendar", (1, 4, 7, 10), 10),
        ("每月第二个星期五（主题党日，示例）", "calendar", ALL_MONTHS, None),
        ("按需", "as_needed", (), None),
        ("每届", "per_term", (), None),
        ("会后5个工作日内", "event", (), None),
        ("收到入党申请后1个月内", "event", (), None),
        ("项目开工时", "event", (), None),
        ("会前3个工作日", "event", (), None),
    ],
)
def test_understood_wording(text, kind, months, day):
    node = parse_time_node(text)
    assert node is not None
    assert (node.kind, node.months, node.day, node.text) == (kind, months, day, text)


@pytest.mark.parametrize("text", ["每月相对固定1天", "每年13月", "经常", "每月40日前", "党课按年度计划"])
def test_not_understood_wording(text):
    assert parse_time_node(text) is None


def test_validation_rejects_unknown_wording_with_hint(minimal_project: Path, capsys):
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    sec.write_text(sec.read_text(encoding="utf-8").replace("frequency: monthly\n", "frequency: monthly\n    time_nodes: [每月, 经常]\n"), encoding="utf-8")
    status, found = validate_json(capsys, minimal_project)
    assert status == 1
    assert [(d["code"], d["line"], d["column"]) for d in found] == [("HB126", 10, 22)]
    assert "每季度首月" in found[0]["hint"]


@pytest.mark.parametrize(
    ("text", "rule", "march_2026"),
    [
        ("每月第二个星期五", (2, 4), "2026-03-13"),
        ("每月第一个星期一", (1, 0), "2026-03-02"),
        ("每月最后一个星期五（示例）", (-1, 4), "2026-03-27"),
        ("每季度末月第三个周三", (3, 2), "2026-03-18"),
    ],
)
def test_weekday_rules(text, rule, march_2026):
    import datetime as dt

    node = parse_time_node(text)
    assert node is not None and node.weekday == rule and node.day is None
    assert node.date_in(2026, 3) == dt.date.fromisoformat(march_2026)
