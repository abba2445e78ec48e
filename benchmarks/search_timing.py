"""Search as a reader meets it: milliseconds from the search index's arrival to the first result shown.

Measured inside the page (no test-driver round trips): an item page is opened, the search box is used for
the first time while the link is slowed to 8 Mbit/s, so the query waits for the index; the worker builds its
index from the JSON, runs the query, and the page shows the results. Used by ``make bench`` (the figure) and
by the phone tests (a loose bound, since the tests share the machine with everything else).
"""

from __future__ import annotations

from urllib.parse import urlparse

QUERY = "三会一课"
PAGE = "items/three-meetings-one-lesson/"

_WATCH_RESULTS = """() => { window.hbShown = null; window.hbTyped = null;
    new MutationObserver(() => { if (window.hbShown === null && document.querySelector('.md-search-result__item'))
        window.hbShown = performance.now(); }).observe(document.body, {subtree: true, childList: true});
    document.addEventListener('input', () => { window.hbTyped = performance.now(); }, true); }"""
_INDEX_ARRIVED = """() => performance.getEntriesByType('resource').filter(e => e.name.endsWith('search_index.json'))
    .map(e => e.responseEnd)[0]"""


def answer_after_arrival(browser, site_url: str) -> float:
    """One visit: milliseconds from the index's arrival to the first result; the index must not load before
    the search box is used, and the query must have been typed before the index arrived."""
    page = browser.new_page()
    fetched: list[str] = []
    page.on("requestfinished", lambda r: fetched.append(urlparse(r.url).path))
    page.goto(site_url + PAGE, wait_until="networkidle")
    if any(path.endswith("/search/search_index.json") for path in fetched):
        raise AssertionError("the search index loaded before the search box was used")
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", {"offline": False, "latency": 50, "downloadThroughput": 1_000_000,
                                                      "uploadThroughput": 1_000_000})
    page.evaluate(_WATCH_RESULTS)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.fill("input.md-search__input", QUERY)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    arrived, typed, shown = page.evaluate(_INDEX_ARRIVED), page.evaluate("window.hbTyped"), page.evaluate("window.hbShown")
    page.close()
    if not any(path.endswith("/search/search_index.json") for path in fetched) or not typed < arrived:
        raise AssertionError("the query did not wait for the index")
    return shown - arrived
