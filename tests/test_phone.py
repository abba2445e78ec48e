"""The site as staff use it, often on a phone: search, first-visit weight, accessibility, diagrams."""

from __future__ import annotations

import json
import time

import pytest

import functools
import http.server
import threading
from pathlib import Path

from conftest import ROOT
from search_timing import answer_after_arrival
from test_browser import CHROMIUM

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (make test installs it)")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium; each test opens its own context (a phone's has touch)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


def _phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 812}, has_touch=True, is_mobile=True,
                                  device_scale_factor=2)
    return context.new_page()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The reference site without its printed editions (nothing here reads them), on loopback."""
    from generators.site.build import build_site

    site = build_site(ROOT, tmp_path_factory.mktemp("phone") / "site", print_editions=False)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def _search(page, server: str, words: str, *, everything: bool = False) -> list[dict]:
    """Type ``words`` into the theme's search box; the results as the reader sees them (all of
    them with ``everything``: the theme shows ten pages at first and more as one scrolls)."""
    page.goto(server)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.fill("input.md-search__input", words)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.wait_for_timeout(200)  # the worker answers once; let the list settle
    shown = -1
    while everything and shown != page.locator(".md-search-result__item").count():
        shown = page.locator(".md-search-result__item").count()
        page.locator(".md-search-result__item").first.hover()
        page.mouse.wheel(0, 20000)  # the theme adds results as the reader scrolls the list
        page.wait_for_timeout(400)
    return page.locator(".md-search-result__item > a").evaluate_all(
        "els => els.map(e => ({path: new URL(e.href).pathname, hash: new URL(e.href).hash, text: e.innerText}))"
    )


def test_a_branch_type_is_found_first_by_its_name(browser, server):
    page = browser.new_page()
    results = _search(page, server, "项目型")
    assert results[0]["path"] == "/branch-types/project/", [r["path"] for r in results[:5]]
    page.close()


@pytest.mark.parametrize("words", ["项目型", "预备党员转正", "积极分子", "发展党员", "三会一课"])
def test_search_snippets_hold_only_what_readers_read(browser, server, words):
    page = browser.new_page()
    results = _search(page, server, words)
    assert results
    for result in results:
        assert "lane-" not in result["text"] and "phase-" not in result["text"], result
        assert "modules/" not in result["text"] and "内容来源" not in result["text"], result
    page.close()


def test_a_compound_word_finds_the_pages_that_use_its_parts(browser, server):
    page = browser.new_page()
    paths = {r["path"] for r in _search(page, server, "预备党员转正", everything=True)}
    # The committee's procedure says 预备党员转正 in one word, the branch's says 预备期 … 转正 and 预备党员 apart.
    assert {"/items/member-development/", "/items/branch-member-development/"} <= paths, sorted(paths)
    page.close()


def test_a_part_of_a_compound_word_finds_the_compound(browser, server):
    page = browser.new_page()
    paths = {r["path"] for r in _search(page, server, "积极分子", everything=True)}
    # 入党积极分子 is one word of the dictionary; its form and the member-development items must still be found.
    assert {"/forms/activist-training-register/", "/items/member-development/"} <= paths, sorted(paths)
    page.close()


@pytest.mark.parametrize("words", ["3月", "三月"])
def test_month_pages_are_found_by_the_month(browser, server, words):
    page = browser.new_page()
    results = _search(page, server, words)
    assert results[0]["path"].endswith("/calendar/03/"), [r["path"] for r in results[:5]]
    page.close()


def _first_visit(browser, url: str, width: int = 375) -> tuple[int, list[str]]:
    """Bytes transferred (headers and bodies, as Chromium counts them) by loading ``url`` in a fresh cache."""
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 812})
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    session.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    session.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(500)
    page.close()
    return sum(sizes.values()), [urls.get(r, r) for r in sizes]


@pytest.mark.parametrize("path", ["", "items/member-development/", "calendar/03/", "branch-types/project/"])
def test_a_first_visit_transfers_at_most_600_kb(browser, server, path):
    total, fetched = _first_visit(browser, server + path)
    print(f"first visit of /{path}: {total} bytes in {len(fetched)} requests")
    assert not any("search_index" in u for u in fetched), fetched
    assert total <= 600_000, (total, fetched)


# When the first search result shows, and when the index finished arriving, on the page's own clock.
def test_the_index_loads_when_the_search_box_is_first_used_and_answers_soon_after(browser, server):
    # The figure (target: within 1 s of the index arriving) is measured by `make bench` on a quiet machine; the
    # tests share the two cores with everything else, so here the bound is loose and the budget below is what
    # keeps the time down (the worker's build is proportional to the words indexed).
    answers = sorted(answer_after_arrival(browser, server) for _ in range(3))
    print(f"search answered {', '.join(f'{a:.0f}' for a in answers)} ms after the index arrived")
    assert answers[1] < 3000, answers


def test_the_search_index_keeps_to_its_word_budget(server):
    """What the worker must index on arrival: about 100,000 words and 1.4 MB once only what readers read is in
    (4.5 MB and 239,000 words before). A page that starts indexing its tables again breaks this budget."""
    import re
    from urllib.request import urlopen

    from generators.site.search import SEPARATOR

    raw = urlopen(server + "search/search_index.json").read()
    data = json.loads(raw)
    words = sum(len([w for w in re.split(SEPARATOR, f"{doc.get('title', '')} {doc.get('text', '')}") if w])
                for doc in data["docs"])
    print(f"search index: {len(raw):,} bytes, {words:,} words")
    assert len(raw) < 1_700_000 and words < 125_000, (len(raw), words)


def test_search_leads_to_the_item_not_to_the_lists_that_repeat_it(browser, server):
    """Checklists, month lists, overviews and role pages repeat each item's words row by row; they are
    found by their own names (3月), and a search for an item's words leads to the item."""
    page = browser.new_page()
    paths = [r["path"] for r in _search(page, server, "三会一课", everything=True)]
    assert paths[0] == "/items/three-meetings-one-lesson/", paths[:5]
    repeats = [p for p in paths if p.startswith(("/checklist/", "/calendar/", "/roles/"))]
    assert not repeats, repeats
    page.close()


AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_PAGES = ["", "items/member-development/", "calendar/03/", "rubric/", "branch-types/project/"]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make test runs npm ci in tests/axe)")
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_accessibility_violations(browser, server, path, width):
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server + path, wait_until="networkidle")
    page.add_script_tag(path=str(AXE))  # the pinned copy from npm, not a CDN
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]]
    # Not only serious and critical: no violation of any impact (unique landmarks are a moderate one).
    assert not found, found
    page.close()


def test_the_search_dialog_has_a_name(browser, server):
    page = browser.new_page()
    page.goto(server)
    assert page.get_by_role("dialog", name="搜索").count() == 1
    page.close()


def test_checklist_sorts_by_keyboard(browser, server):
    page = browser.new_page()
    page.goto(server + "checklist/committee/", wait_until="networkidle")
    button = page.locator("table thead th:nth-child(5) button")
    button.focus()
    page.keyboard.press("Enter")
    cells = page.locator("table tbody tr td:nth-child(5)").all_inner_texts()
    assert len(set(cells)) > 1
    assert cells == page.evaluate("cells => cells.slice().sort((a, b) => a.localeCompare(b, 'zh-CN'))", cells)
    assert page.locator("table thead th:nth-child(5)").get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Space")
    assert page.locator("table thead th:nth-child(5)").get_attribute("aria-sort") == "descending"
    page.close()


_TEXT_SIZES = """svg => Array.from(svg.querySelectorAll('text')).map(
    t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""


@pytest.mark.parametrize("item", ["member-development", "three-meetings-one-lesson"])  # the longest, the most branched
def test_flowchart_text_is_at_least_12_px_on_a_phone(browser, server, item):
    page = _phone(browser)
    page.goto(server + f"items/{item}/", wait_until="networkidle")
    shown = [svg for svg in page.locator("figure.hb-figure svg.hb-diagram").all() if svg.is_visible()]
    assert len(shown) == 1
    sizes = shown[0].evaluate(_TEXT_SIZES)
    assert len(sizes) > 50
    assert min(sizes) >= 12, min(sizes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.context.close()


def _lane_top(page) -> float:
    return page.evaluate("""() => Array.from(document.querySelectorAll('.hb-viewer__svg g.node'))
        .find(g => g.querySelector('title').textContent === 'lane-0').getBoundingClientRect().top""")


def _scale(page) -> float:
    return page.evaluate("new DOMMatrix(getComputedStyle(document.querySelector('.hb-viewer__svg')).transform).a")


def test_the_viewer_opens_zooms_and_closes_by_touch(browser, server):
    page = _phone(browser)
    page.goto(server + "items/member-development/", wait_until="networkidle")
    chart = page.locator("figure.hb-figure .hb-narrow svg")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    page.touchscreen.tap(box["x"] + 10, max(box["y"], 0) + 100)
    page.wait_for_selector(".hb-viewer", timeout=3000)
    before = _scale(page)
    session = page.context.new_cdp_session(page)
    session.send("Input.synthesizePinchGesture", {"x": 180, "y": 400, "scaleFactor": 2.0, "gestureSourceType": "touch"})
    assert _scale(page) > before * 1.5
    # Dragging down the chart keeps the lane headers in sight.
    stage_top = page.locator(".hb-viewer__stage").bounding_box()["y"]
    session.send("Input.synthesizeScrollGesture", {"x": 180, "y": 600, "yDistance": -300, "gestureSourceType": "touch"})
    assert abs(_lane_top(page) - stage_top) < 2
    page.locator(".hb-viewer__close").tap()
    assert page.locator(".hb-viewer").count() == 0
    page.context.close()


def test_the_viewer_opens_zooms_pans_and_closes_by_keyboard(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "items/member-development/", wait_until="networkidle")
    opener = page.locator("figure.hb-figure .hb-viewer__open").first
    opener.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".hb-viewer", timeout=3000)
    assert page.get_by_role("dialog", name="发展党员（五个阶段二十五个步骤）流程图（全屏）").count() == 1
    before = _scale(page)
    page.keyboard.press("+")
    assert _scale(page) > before
    top = _lane_top(page)
    for _ in range(5):
        page.keyboard.press("ArrowDown")
    assert abs(_lane_top(page) - top) < 2  # panned down; the lane headers stay at the top
    page.keyboard.press("Escape")
    assert page.locator(".hb-viewer").count() == 0
    assert page.evaluate("document.activeElement.classList.contains('hb-viewer__open')")  # focus goes back
    page.close()


def test_the_branch_type_switch_shows_what_applies_to_that_type_in_march(browser, server):
    from generators.calendar import occurrences
    from generators.diagrams.matrix import emphasis_of
    from generators.model import load_model

    model = load_model(ROOT)
    year = model.site.edition_year
    march = [o for o in occurrences(model, year) if o.month == 3 and o.level == "branch"]  # one row per time node
    expected = sorted(o.item.id for o in march if emphasis_of(o.item, "project"))
    every = [o.item.id for o in march]
    assert expected and len(expected) < len(every)  # the test would show nothing if every item applied

    page = browser.new_page()
    page.goto(server + "calendar/03/", wait_until="networkidle")
    branch_rows = "xpath=//h2[starts-with(normalize-space(.), '党支部')]/following-sibling::*[1]//tbody/tr"
    assert page.locator(branch_rows).count() == len(every)
    page.locator(".hb-type-switch a[data-hb-type='project']").click()
    visible = page.locator(branch_rows).evaluate_all(
        "rows => rows.filter(r => !r.hidden).map(r => new URL(r.querySelector('a').href).pathname.split('/')[2])")
    assert sorted(visible) == expected
    assert "项目型" in page.locator(".hb-type-status").inner_text()

    # Remembered: another page opens already filtered to 项目型.
    page.goto(server + "checklist/branch/", wait_until="networkidle")
    hidden = page.locator("table tbody tr[hidden]").count()
    assert hidden == sum(1 for s in model.handbooks["branch"].sections for i in s.items if not emphasis_of(i, "project"))
    page.close()


def test_the_branch_type_switch_filters_the_handbook_overview_and_the_matrix(browser, server):
    from generators.model import emphasis_of, load_model

    model = load_model(ROOT)
    items = [i for h in model.handbooks.values() if h.spec.kind == "branch" for s in h.sections for i in s.items]
    expected = sorted(i.id for i in items if emphasis_of(i, "project"))
    stressed = sorted(i.id for i in items if emphasis_of(i, "project") == "emphasised")
    assert expected and stressed and len(expected) < len(items)

    page = browser.new_page()
    page.goto(server + "handbooks/branch/", wait_until="networkidle")
    page.locator(".hb-type-switch a[data-hb-type='project']").click()
    rows = page.locator(".hb-overview tbody tr:has(.hb-applies)")
    assert rows.count() == len(items)
    shown = rows.evaluate_all("""rows => rows.filter(r => !r.hidden).map(r => [
        new URL(r.querySelector('.hb-applies + a').href).pathname.split('/')[2], r.classList.contains('hb-emphasised')])""")
    assert sorted(i for i, _ in shown) == expected
    assert sorted(i for i, marked in shown if marked) == stressed  # emphasis marked

    # The matrix of items × types on the branch types' page: the remembered choice dims what does not apply.
    page.goto(server + "branch-types/", wait_until="networkidle")
    cells = page.evaluate("""() => Array.from(document.querySelectorAll("svg.hb-diagram g[id^='a_hbm.']"))
        .map(g => [g.id.split('.')[1], g.id.split('.')[2], getComputedStyle(g).opacity, g.classList.contains('hb-matrix-chosen')])""")
    rows = {item for item, column, _, _ in cells if column == "_"}
    assert rows == {i.id for i in items}
    assert sorted(item for item, column, opacity, _ in cells if column == "_" and float(opacity) == 1) == expected
    assert {item for item, column, _, chosen in cells if chosen} == rows  # the 项目型 column outlined, every row
    assert all(column == "project" for _, column, _, chosen in cells if chosen)
    assert "项目型" in page.locator(".hb-type-status").inner_text()
    page.close()


def test_the_branch_type_switch_is_plain_links_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "calendar/03/")
    page.locator(".hb-type-switch a", has_text="项目型").click()
    page.wait_for_url("**/branch-types/project/")
    hub = page.locator(".hb-hub")
    assert hub.locator("a[href$='checklist/type-project/']").count() == 1
    assert hub.locator("a[href$='calendar/branch-project.ics']").count() == 1
    assert hub.locator("a[href$='calendar/03/']").count() == 1
    assert hub.locator("a[href$='print/']").count() >= 1
    context.close()


@pytest.mark.parametrize("path", ["items/member-development/", "calendar/03/", "checklist/branch/", "branch-types/project/",
                                  "sections/organization-management/"])
def test_tables_become_cards_on_a_phone_and_nothing_scrolls_sideways(browser, server, path):
    page = _phone(browser)
    page.goto(server + path, wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    scrolling = page.evaluate("""() => Array.from(document.querySelectorAll('.md-content *'))
        .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
        .map(e => e.className)""")
    assert not scrolling, scrolling
    cards = page.locator(".hb-cards tbody tr").first
    assert cards.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert page.locator(".hb-cards thead").first.is_hidden()
    page.context.close()


def test_editor_affordances_only_in_a_build_for_editors(server, tmp_path):
    from urllib.request import urlopen

    from generators.site.build import build_site

    editors = build_site(ROOT, tmp_path / "editors", print_editions=False, for_editors=True)
    edit = "https://gitlab.example.com/party/handbook/-/edit/main/modules/handbooks/branch/organization-management.yml"
    for_readers = urlopen(server + "items/three-meetings-one-lesson/").read().decode("utf-8")
    for_editors = (editors / "items/three-meetings-one-lesson/index.html").read_text(encoding="utf-8")
    assert edit in for_editors and "内容来源" in for_editors
    assert edit not in for_readers and "内容来源" not in for_readers


def test_the_404_page_is_chinese_and_leads_home_and_to_search_under_a_sub_path(browser, tmp_path):
    """Served, as web servers do, at whatever address was missing, on a site that lives under /handbook/."""
    from generators.site.build import build_site

    site = build_site(ROOT, tmp_path / "site", print_editions=False, site_url="https://intranet.example.com/handbook/")
    missing = (site / "404.html").read_bytes()

    class SubPath(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def translate_path(self, path):
            return super().translate_path(path.removeprefix("/handbook"))

        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(missing)))
            self.end_headers()
            self.wfile.write(missing)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SubPath)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/handbook/"
    page = browser.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and "no/such" not in r.url else None)
    response = page.goto(base + "no/such/page/", wait_until="networkidle")
    assert response.status == 404
    assert page.locator("article h1").inner_text() == "找不到这个页面"
    assert not failed, failed  # styles and scripts found from the sub-path
    page.get_by_role("link", name="搜索手册").click()
    page.wait_for_url(base + "?q=")
    page.fill("input.md-search__input", "三会一课")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.goto(base + "no/such/page/")
    page.get_by_role("link", name="返回首页").click()
    page.wait_for_url(base)
    assert page.locator("article h1").count() == 1
    page.close()
    httpd.shutdown()


@pytest.mark.parametrize("path", ["items/member-development/", "items/three-meetings-one-lesson/"])
def test_printing_an_item_page_starts_with_its_text_not_a_blank_page(browser, server, path):
    import io
    import unicodedata

    from pypdf import PdfReader

    page = browser.new_page()
    page.goto(server + path, wait_until="networkidle")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    texts = [unicodedata.normalize("NFKC", p.extract_text()) for p in pdf.pages]  # Kangxi radicals → characters
    assert len(texts[0]) > 400, texts[0]  # a full first page, not a title above a blank
    assert "工作要求" in texts[0]
    # The flowchart is still printed, on pages of its own after the text.
    title = page.locator("figure.hb-figure figcaption").first.inner_text()
    assert any(title[:4] in text for text in texts[1:]), title
    page.close()


def test_a_tall_flowchart_prints_in_legible_parts_under_its_lane_headers(browser, server):
    """The whole 发展党员 chart on one page would print its text 3 pt high; it prints in parts of a page each,
    cut where a phase begins, every part under the lane headers, at a scale that keeps the text legible."""
    import io
    import unicodedata

    from pypdf import PdfReader

    from generators.model import load_model

    body = load_model(ROOT).theme.font_size
    page = browser.new_page(viewport={"width": 794, "height": 1123})  # an A4 page's width
    page.goto(server + "items/member-development/", wait_until="networkidle")
    page.emulate_media(media="print")
    scales = page.evaluate("""() => Array.from(document.querySelectorAll('.hb-print-parts > svg'))
        .map(s => s.getBoundingClientRect().width / s.viewBox.baseVal.width)""")
    assert len(scales) >= 3
    assert min(scales) * body * 0.75 >= 7.0, min(scales)  # CSS px per chart point → the text in points
    assert page.evaluate("document.querySelector('figure.hb-parted .hb-wide').getBoundingClientRect().height") == 0
    pages = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    texts = [unicodedata.normalize("NFKC", p.extract_text()) for p in pages]  # Kangxi radicals → characters
    for k in range(1, len(scales) + 1):
        holding = [t for t in texts if unicodedata.normalize("NFKC", f"第 {k} 部分，共 {len(scales)} 部分") in t]
        assert len(holding) == 1, k
        assert "党员群众" in holding[0] and "党支部" in holding[0]  # the lane headers on every part's page
    page.close()
