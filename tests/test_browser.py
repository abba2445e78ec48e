"""The site in a real headless Chromium, served on loopback, as a reader uses it."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
OUTPUT = ROOT / "test-output"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (make test installs it)")


@pytest.fixture(scope="module")
def server(site: Path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *args: None
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield context
        context.close()


def _search(page, server: str, words: str):
    page.goto(server)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.type("input.md-search__input", words)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    return page.locator(".md-search-result__item > a")


def test_search_finds_the_three_meetings_item_first(browser, server):
    page = browser.new_page()
    results = _search(page, server, "三会一课")
    assert urlparse(results.first.get_attribute("href")).path == "/items/three-meetings-one-lesson/"
    assert "三会一课" in results.first.inner_text()
    page.close()


def test_search_finds_a_glossary_term(browser, server):
    page = browser.new_page()
    _search(page, server, "一岗双责")
    hrefs = page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    landing = [(urlparse(h).path, urlparse(h).fragment) for h in hrefs]
    assert ("/glossary/", "term-one-post-two-duties") in landing, hrefs
    page.close()


def test_clicking_an_item_in_a_root_diagram_opens_its_page(browser, server):
    page = browser.new_page()
    page.goto(server + "sections/organization-management/")
    link = ("xpath=//*[local-name()='svg'][@id='root-section-organization-management']//*[local-name()='a']"
            "[contains(@*[local-name()='href'], 'items/three-meetings-one-lesson/')]")
    page.locator(link).first.click()
    page.wait_for_url("**/items/three-meetings-one-lesson/")
    assert page.locator("article h1").first.inner_text().startswith("三会一课")
    page.close()


@pytest.mark.parametrize("path", ["", "items/member-development/", "handbooks/committee/", "glossary/"])
def test_pages_request_nothing_from_other_hosts(browser, server, path):
    page = browser.new_page()
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlparse(request.url).netloc))
    page.goto(server + path, wait_until="networkidle")
    assert set(hosts) == {urlparse(server).netloc}
    page.close()


def test_item_page_fits_a_phone_without_sideways_scrolling(browser, server):
    page = browser.new_page()
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(server + "items/member-development/", wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.close()


def test_screenshots_for_people(browser, server):
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    for name, path in (("home", ""), ("item-three-meetings", "items/three-meetings-one-lesson/")):
        page.goto(server + path, wait_until="networkidle")
        target = OUTPUT / f"site-{name}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
    page.close()


def test_checklist_sorts_by_a_column(browser, server):
    page = browser.new_page()
    page.goto(server + "checklist/committee/", wait_until="networkidle")
    column = "table thead th:nth-child(5)"
    page.click(column)
    cells = page.locator("table tbody tr td:nth-child(5)").all_inner_texts()
    assert len(set(cells)) > 1
    assert cells == page.evaluate("cells => cells.slice().sort((a, b) => a.localeCompare(b, 'zh-CN'))", cells)
    assert page.locator(column).get_attribute("aria-sort") == "ascending"
    page.click(column)
    reversed_cells = page.locator("table tbody tr td:nth-child(5)").all_inner_texts()
    assert reversed_cells == list(reversed(cells))
    page.close()
