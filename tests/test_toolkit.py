"""The branch secretary's tools in a real Chromium: 发展党员 dates, 党费, the score sheet.

Each tool computes in the page's own script; these tests hold the script to the model's Python
arithmetic on the same cases, and read what a user sees.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import ROOT
from generators.model import load_model
from generators.model.dues import monthly_dues
from generators.model.scoring import score
from generators.model.timelimits import Span, add_span, timeline, timeline_steps
from test_browser import CHROMIUM, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (make test installs it)")


@pytest.fixture(scope="module")
def model():
    return load_model(ROOT)


def _row(page, step: str) -> dict:
    tr = page.locator(f'table.hb-timeline tr[data-step="{step}"]')
    return {
        "earliest": tr.locator(".hb-earliest").inner_text(),
        "deadline": tr.locator(".hb-deadline").inner_text(),
        "status": tr.locator(".hb-status").inner_text(),
    }


def test_member_development_dates(browser, server):
    page = browser.new_page()
    page.goto(server + "items/member-development/", wait_until="networkidle")
    assert page.locator("table.hb-timeline tbody tr").count() == 25
    page.fill("input[name=today]", "2026-03-01")
    page.fill("input[name=start]", "2026-01-10")
    talk = _row(page, "application-talk")
    assert talk["deadline"] == "2026-02-10"
    assert talk["status"] == "已逾期"
    assert "hb-status-overdue" in page.locator('tr[data-step="application-talk"]').get_attribute("class")
    # 列为积极分子 on 2026-02-20: 列为发展对象 no earlier than one year later.
    page.fill('input[name="done-application-talk"]', "2026-02-05")
    page.fill('input[name="done-determine-activist"]', "2026-02-20")
    assert _row(page, "application-talk")["status"] == "已完成"
    assert _row(page, "determine-candidate")["earliest"] == "2027-02-20"
    # 支部大会通过后3个月内，特殊情况最长6个月.
    page.fill('input[name="done-assembly-vote"]', "2027-05-31")
    approval = _row(page, "committee-approval")
    assert approval["deadline"].startswith("2027-08-31") and "2027-11-30" in approval["deadline"]
    assert _row(page, "apply-full")["earliest"] == "2028-05-31"
    page.close()


def test_timeline_script_and_model_agree(browser, server, model):
    steps = timeline_steps(model.items["member-development"].procedure)
    cases = [
        ({"submit-application": "2026-01-10"}, "2026-03-01"),
        ({"submit-application": "2026-01-31", "determine-activist": "2026-03-31"}, "2026-04-01"),
        ({"submit-application": "2025-08-29", "assembly-vote": "2026-02-28", "full-vote": "2027-02-28"}, "2027-06-01"),
        ({"submit-application": "2024-02-29", "application-talk": "2024-04-01"}, "2024-12-31"),
    ]
    page = browser.new_page()
    page.goto(server + "items/member-development/", wait_until="networkidle")
    for reached, today in cases:
        expected = [
            [r.step, _iso(r.earliest), _iso(r.deadline), _iso(r.extended), r.status]
            for r in timeline(steps, {k: dt.date.fromisoformat(v) for k, v in reached.items()}, dt.date.fromisoformat(today))
        ]
        got = page.evaluate(
            """([steps, reached, today]) => {
                const T = window.hbTimeline, r = {};
                Object.keys(reached).forEach(k => { r[k] = T.parse(reached[k]); });
                return T.timeline(steps, r, T.parse(today)).map(x =>
                    [x.step, T.format(x.earliest), T.format(x.deadline), T.format(x.extended), x.status]);
            }""",
            [steps, reached, today],
        )
        assert got == expected
    spans = [(n, u) for u in ("day", "workday", "week", "month", "year", "hour") for n in (1, 3, 5, 12, 24)]
    starts = ["2026-01-31", "2026-02-28", "2024-02-29", "2026-12-31", "2026-03-06", "2026-03-07"]
    expected = [_iso(add_span(dt.date.fromisoformat(s), Span(n, u))) for s in starts for n, u in spans]
    got = page.evaluate(
        """([starts, spans]) => {
            const T = window.hbTimeline, out = [];
            starts.forEach(s => spans.forEach(([n, u]) => out.push(T.format(T.addSpan(T.parse(s), {amount: n, unit: u})))));
            return out;
        }""",
        [starts, spans],
    )
    assert got == expected
    page.close()


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _dues(page, category: str, pay: str, **deductions: str) -> str:
    page.select_option("select[name=category]", category)
    page.fill("input[name=pay]", pay)
    for name, value in deductions.items():
        page.fill(f'input[name="deduction-{name.replace("_", "-")}"]', value)
    return page.locator(".hb-dues-amount").inner_text()


@pytest.mark.parametrize(
    ("category", "pay", "shown"),
    [
        ("in-service", "4000", "40.00"),    # 1 %
        ("in-service", "12000", "240.00"),  # 2 %
        ("retired", "4000", "20.00"),       # 0.5 %
        ("in-service", "3000", "15.00"),    # 3000 is in the 0.5 % band
        ("in-service", "3000.01", "30.00"),
        ("in-service", "5000", "50.00"),
        ("in-service", "5000.01", "75.00"),
        ("in-service", "10000", "150.00"),
        ("in-service", "10000.01", "200.00"),
        ("retired", "5000", "25.00"),
        ("retired", "5000.01", "50.00"),
        ("annual-salary", "8000", "120.00"),
    ],
)
def test_dues_by_band(browser, server, model, category, pay, shown):
    page = browser.new_page()
    page.goto(server + "dues/", wait_until="networkidle")
    assert _dues(page, category, pay) == f"每月应交党费：{shown} 元"
    rules = {c.id: c for c in model.dues.categories}
    assert f"{monthly_dues(rules[category], float(pay)).dues:.2f}" == shown
    result = page.locator(".hb-dues-result").inner_text()
    assert "《关于中国共产党党费收缴、使用和管理的规定》" in result and "第" in result
    page.close()


def test_dues_deductions_and_fixed_amounts(browser, server, model):
    page = browser.new_page()
    page.goto(server + "dues/", wait_until="networkidle")
    # 12,000 less 1,500 tax and 1,200 social insurance: 9,300 in the 1.5 % band.
    assert _dues(page, "in-service", "12000", income_tax="1500", social_insurance="1200") == "每月应交党费：139.50 元"
    rules = {c.id: c for c in model.dues.categories}
    assert monthly_dues(rules["in-service"], 12000, {"income-tax": 1500, "social-insurance": 1200}).dues_fen == 13950
    page.select_option("select[name=category]", "retired")
    assert not page.locator('label[data-deduction="income-tax"]').is_visible()
    page.select_option("select[name=category]", "hardship")
    assert page.locator(".hb-dues-amount").inner_text() == "每月应交党费：0.20 元"
    assert "第六条" in page.locator(".hb-dues-result").inner_text()
    page.close()


def test_dues_script_and_model_agree(browser, server, model):
    page = browser.new_page()
    page.goto(server + "dues/", wait_until="networkidle")
    data = json.loads(page.locator("#hb-dues-data").text_content())
    pays = [0, 0.01, 1234.56, 2999.99, 3000, 3000.005, 4999.99, 5000, 7777.77, 9999.99, 10000, 10000.01, 25000.5, 123456.78]
    for category in model.dues.categories:
        script_category = next(c for c in data["categories"] if c["id"] == category.id)
        for pay in pays:
            got = page.evaluate("([c, p, d]) => window.hbDues.monthlyDues(c, p, d).dues_fen",
                                [script_category, pay, {"income-tax": 100.1}])
            assert got == monthly_dues(category, pay, {"income-tax": 100.1}).dues_fen, (category.id, pay)
    page.close()


def _fill_sheet(page) -> None:
    page.fill("input[name=branch]", "第一党支部")
    page.fill("input[name=period]", "2026年第一季度")
    page.fill('input[name="count-three-meetings-held-0"]', "1")   # 缺开一次 −2
    page.fill('input[name="count-three-meetings-held-2"]', "3")   # 记录不完整三次 −1.5
    page.fill('input[name="score-branch-setup"]', "3")
    page.fill('input[name="score-theme-day-held"]', "9")          # above its 5 points: counts as 5
    page.fill('input[name="note-branch-setup"]', "分工未公布, 扣1分")
    page.fill('input[name="bonus-model-branch"]', "5")
    page.fill('input[name="bonus-member-honour"]', "3")
    page.fill('input[name="bonus-brand-innovation"]', "3")        # 11 in all: the cap is 10


def test_score_sheet_adds_up(browser, server, model):
    page = browser.new_page()
    page.goto(server + "rubric/score-sheet/", wait_until="networkidle")
    assert page.locator(".hb-total").inner_text() == "100"
    _fill_sheet(page)
    page.locator('input[name="score-theme-day-held"]').blur()
    assert page.locator('input[name="score-three-meetings-held"]').input_value() == "4.5"
    assert page.locator('input[name="score-theme-day-held"]').input_value() == "5"
    assert page.locator(".hb-base").inner_text() == "95.5"
    assert page.locator(".hb-bonus-total").inner_text() == "10"
    assert page.locator(".hb-total").inner_text() == "105.5"
    assert page.locator(".hb-grade").inner_text() == "一类"
    page.check('input[name="veto-falsified-records"]')
    assert page.locator(".hb-total").inner_text() == "105.5"  # a veto caps the grade, not the score
    assert page.locator(".hb-grade").inner_text().startswith("不合格")
    page.close()


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_score_sheet_save_and_load(browser, server, model, kind, tmp_path):
    page = browser.new_page()
    page.goto(server + "rubric/score-sheet/", wait_until="networkidle")
    _fill_sheet(page)
    page.check('input[name="veto-major-accident"]')
    with page.expect_download() as info:
        page.click(f".hb-save-{kind}")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == f"考核评分表-第一党支部-2026年第一季度.{kind}"
    text = saved.read_text(encoding="utf-8-sig")
    if kind == "json":
        sheet = json.loads(text)
        result = score(model.rubric, sheet)
        assert (sheet["total"], sheet["grade"]) == (result.total, result.final_grade) == (105.5, "不合格")
        assert sheet["lines"]["branch-setup"]["note"] == "分工未公布, 扣1分"
    else:
        assert '"分工未公布, 扣1分"' in text and "105.5" in text
    page.close()

    fresh = browser.new_page()
    fresh.goto(server + "rubric/score-sheet/", wait_until="networkidle")
    fresh.set_input_files(".hb-load input", str(saved))
    fresh.wait_for_selector(".hb-load-message:has-text('已载入')")
    assert fresh.locator(".hb-total").inner_text() == "105.5"
    assert fresh.locator("input[name=branch]").input_value() == "第一党支部"
    assert fresh.locator('input[name="count-three-meetings-held-2"]').input_value() == "3"
    assert fresh.locator('input[name="note-branch-setup"]').input_value() == "分工未公布, 扣1分"
    assert fresh.locator('input[name="veto-major-accident"]').is_checked()
    assert fresh.locator(".hb-grade").inner_text().startswith("不合格")
    fresh.close()


def test_score_sheet_script_and_model_agree(browser, server, model):
    page = browser.new_page()
    page.goto(server + "rubric/score-sheet/", wait_until="networkidle")
    data = json.loads(page.locator("#hb-sheet-data").text_content())
    sheets = [
        {},
        {"lines": {"three-meetings-held": {"counts": [5, 0, 0]}, "heart-talks-done": {"counts": [3]}}},
        {"lines": {"branch-setup": {"score": -2}, "central-task": {"score": 3.5}}, "bonus": {"model-branch": 9, "publicity-adopted": 1.5}},
        {"lines": {k: {"score": 0} for k in model.rubric_lines}, "bonus": {"member-honour": 3}, "veto": ["serious-violation"]},
        {"lines": {k: {"score": 2.5} for k in model.rubric_lines}},
    ]
    for sheet in sheets:
        got = page.evaluate("([d, s]) => window.hbScoreSheet.score(d, s)", [data, sheet])
        want = score(model.rubric, sheet)
        assert (got["base"], got["bonus"], got["total"], got["grade"], got["final_grade"]) == (
            want.base, want.bonus, want.total, want.grade, want.final_grade)
    page.close()


@pytest.mark.parametrize("path", ["items/member-development/", "dues/", "rubric/score-sheet/"])
def test_tools_fit_a_phone(browser, server, path):
    page = browser.new_page()
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(server + path, wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.close()


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("items/member-development/", "收到入党申请书后1个月内"),
        ("dues/", "10000 元以上"),
        ("rubric/score-sheet/", "缺开一次扣 2 分"),
    ],
)
def test_tools_read_without_javascript(browser, server, path, text):
    # Every script file fails to load, as when an old in-app browser cannot run them.
    page = browser.new_page()
    blocked: list[str] = []
    page.route("**/*.js", lambda route: (blocked.append(route.request.url), route.abort()))
    page.goto(server + path, wait_until="networkidle")
    assert any("javascripts/handbook/" in url for url in blocked)
    assert text in page.locator("article").inner_text()
    assert not page.locator(".hb-tool-form").first.is_visible()  # no inputs that would do nothing
    page.close()


def _titles(page, server: str, words: str) -> list[tuple[str, str]]:
    from urllib.parse import urlparse

    from test_browser import _search

    links = _search(page, server, words)
    page.wait_for_timeout(300)  # results arrive as the worker answers
    return [(urlparse(a.get_attribute("href")).path, a.locator("h1, h2").first.inner_text().replace("\u200b", ""))
            for a in links.all()]


def test_pinyin_initials_find_three_meetings_first(browser, server):
    page = browser.new_page()
    found = _titles(page, server, "shyk")
    assert found[0] == ("/items/three-meetings-one-lesson/", "三会一课")
    # The pinyin words are in the results, and hidden.
    assert page.locator(".md-search-result span[data-pinyin]").count() >= 1
    assert "sanhuiyike" not in page.locator(".md-search-result").inner_text()
    page.close()


def test_pinyin_finds_member_development_in_the_top_three(browser, server):
    page = browser.new_page()
    found = _titles(page, server, "fzdy")
    assert any(title.startswith("发展党员") for _, title in found[:3]), found[:5]
    page.close()


def test_full_pinyin_finds_party_dues(browser, server):
    page = browser.new_page()
    found = _titles(page, server, "dangfei")
    assert found and all("党费" in title for _, title in found[:3]), found[:5]
    page.close()


def test_pinyin_words_use_the_overrides(model):
    from generators.pinyin import pinyin_words

    assert pinyin_words("三会一课", {}, [])[:2] == ["shyk", "sanhuiyike"]
    assert pinyin_words("会计", model.search.pinyin, []) == ["kj", "kuaiji"]
    assert pinyin_words("“三重一大”决策", model.search.pinyin, ["三重一大"])[2:] == ["szyd", "sanzhongyida"]
    assert pinyin_words("3. 推荐和确定入党积极分子", {}, [])[0] == "tjhqdrdjjfz"
