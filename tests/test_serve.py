"""The live preview: saving a YAML file rebuilds only the pages it changes, and the nav when titles change."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

HANDBOOK = str(Path(sys.executable).parent / "handbook")


def get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def served(page: str) -> str:
    """The page as built: without the reload script's build and request numbers the server adds."""
    return re.sub(r"reload\(\d+, \d+\)", "reload()", page)


def wait_for(url: str, needle: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = get(url)
        if needle in page:
            return page
        time.sleep(0.05)
    pytest.fail(f"{needle!r} did not appear at {url} within {seconds} s")


@pytest.fixture
def server(minimal_project: Path, tmp_path: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([HANDBOOK, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=minimal_project,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=out, stderr=out)
    try:
        wait_for(f"http://127.0.0.1:{port}/items/meetings/", "<html")
        time.sleep(1.0)  # the watcher's first look at the files
        yield f"http://127.0.0.1:{port}/", minimal_project, log
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_saving_yaml_rebuilds_the_changed_pages_only(server):
    url, root, _ = server
    sec = root / "modules/handbooks/hb/sec.yml"
    original = sec.read_text(encoding="utf-8")
    glossary_before = get(url + "glossary/")
    sec.write_text(re.sub(r"requirement: 按期开会。", "requirement: 按期开会，会前通知到人。", original), encoding="utf-8")
    page = wait_for(url + "items/meetings/", "会前通知到人")
    assert "三会一课" in page
    # An untouched page is served as it was built before, byte for byte (it was not rebuilt).
    assert served(get(url + "glossary/")) == served(glossary_before)
    # Search still knows every page, not only the rebuilt ones.
    index = json.loads(get(url + "search/search_index.json"))["docs"]
    locations = [doc["location"].partition("#")[0] for doc in index]
    assert "glossary/" in locations and "" in locations
    assert any("会前通知到人" in doc["text"].replace("\u200b", "") for doc in index if doc["location"].startswith("items/meetings/"))
    # Each page once: the rebuilt pages replace their old entries.
    assert locations.count("items/meetings/") == len({d["location"] for d in index if d["location"].startswith("items/meetings/")})


def test_a_new_title_reaches_the_nav_of_every_page(server):
    url, root, _ = server
    glossary = get(url + "glossary/")
    assert "测试版" not in glossary
    handbook = root / "modules/handbooks/hb/handbook.yml"
    handbook.write_text(handbook.read_text(encoding="utf-8").replace("short: 测试", "short: 测试版"), encoding="utf-8")
    # The glossary's text is unchanged, but its tabs name the handbook: it is rebuilt too.
    wait_for(url + "glossary/", "测试版")


def test_a_mistake_is_explained_and_the_fix_is_served(server):
    url, root, log = server
    sec = root / "modules/handbooks/hb/sec.yml"
    good = sec.read_text(encoding="utf-8")
    sec.write_text(good.replace("    title: 三会一课", "    title: [三会一课"), encoding="utf-8")
    deadline = time.monotonic() + 30
    while "modules/handbooks/hb/sec.yml" not in log.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
        time.sleep(0.1)
    assert "站点没有生成" in log.read_text(encoding="utf-8")
    sec.write_text(good.replace("    title: 三会一课", "    title: 三会一课（改正后）"), encoding="utf-8")
    wait_for(url + "items/meetings/", "三会一课（改正后）")


def test_every_page_shows_the_mistake_and_reloads_when_it_is_fixed(server, tmp_path: Path):
    """In Chromium: an open page shows the error overlay by itself, every other page too, and the fix reloads it."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    url, root, log = server
    sec = root / "modules/handbooks/hb/sec.yml"
    good = sec.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = browser.new_page()
        page.goto(url + "items/meetings/")
        assert page.locator("#handbook-errors").count() == 0

        sec.write_text(good.replace("    requirement: 按期开会。", "     requirement: 按期开会。"), encoding="utf-8")
        start = time.monotonic()
        overlay = page.locator("#handbook-errors")
        overlay.wait_for(timeout=3000)  # the open tab reloads by itself
        shown_after = time.monotonic() - start
        text = overlay.inner_text()
        assert "modules/handbooks/hb/sec.yml 第 6 行" in text
        assert "HB155" in text and "缩进" in text and "requirement: 按期开会。" in text
        page.screenshot(path=str(ROOT / "test-output" / "preview-error-overlay.png"))

        # Any other page, opened now, answers at once with the same overlay: no request waits.
        other = browser.new_page()
        start = time.monotonic()
        other.goto(url + "glossary/", timeout=5000)
        assert time.monotonic() - start < 2
        assert "第 6 行" in other.locator("#handbook-errors").inner_text()

        sec.write_text(good.replace("    title: 三会一课", "    title: 三会一课（改正后）"), encoding="utf-8")
        page.locator("h1", has_text="三会一课（改正后）").wait_for(timeout=10000)
        assert page.locator("#handbook-errors").count() == 0
        # The other open page reloads by itself too, without the overlay.
        other.locator("#handbook-errors").wait_for(state="detached", timeout=10000)
        assert "术语表" in other.title()
        browser.close()
    print(f"overlay shown {shown_after:.2f} s after the save")
    console = log.read_text(encoding="utf-8")
    # MkDocs' English notes are said in Chinese or not at all.
    for english in ("The server will appear stuck", "Building documentation", "Serving on", "Browser connected",
                    "Aborted with a BuildError"):
        assert english not in console, english
    assert "发现文件有改动" in console and "页面上已显示错误说明" in console


def test_start_up_serves_every_page_asked_for_before_all_are_built(minimal_project: Path, tmp_path: Path):
    """The preview serves its first page before it has built the others; a page asked for meanwhile is
    built first and served whole, never missing, and the start-up says nothing about changed files."""
    from concurrent.futures import ThreadPoolExecutor

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    pages = {"items/meetings/": "三会一课", "glossary/": "术语", "roles/secretary/": "党支部书记", "calendar/": "日历"}
    with log.open("wb") as out:
        proc = subprocess.Popen([HANDBOOK, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=minimal_project,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 60
        while "<html" not in get(url):  # the home page: the first one served
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.02)
        with ThreadPoolExecutor(len(pages)) as pool:
            served_now = dict(zip(pages, pool.map(lambda path: get(url + path), pages)))
        for path, needle in pages.items():
            assert "</html>" in served_now[path] and needle in served_now[path], path
            assert "找不到这个页面" not in served_now[path], path
        time.sleep(1.0)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    console = log.read_text(encoding="utf-8")
    assert "Traceback" not in console
    assert "发现文件有改动" not in console and "Detected file changes" not in console


def test_a_missing_page_asked_for_during_a_rebuild_does_not_stop_it(server):
    """MkDocs' preview logs a request it answers with 404 as a warning, which fails a strict build under way."""
    url, root, log = server
    handbook = root / "modules/handbooks/hb/handbook.yml"
    handbook.write_text(handbook.read_text(encoding="utf-8").replace("short: 测试", "short: 测试二"), encoding="utf-8")
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:  # through the rebuild and the pass that gives every page the new nav
        get(url + "no-such-page/")
        time.sleep(0.02)
    wait_for(url + "glossary/", "测试二")
    console = log.read_text(encoding="utf-8")
    assert "页面上已显示错误说明" not in console and "#handbook-errors" not in get(url + "glossary/")
    assert "找不到页面：/no-such-page/" in console and "code 404" not in console


def test_a_broken_link_in_a_written_page_is_explained_in_chinese_on_the_page(server):
    url, root, log = server
    usage = root / "content/usage.md"
    good = usage.read_text(encoding="utf-8")
    usage.write_text(good + "\n[坏链接](missing.md)\n", encoding="utf-8")
    page = wait_for(url + "usage/", "handbook-errors", seconds=30)
    assert "content/usage.md 中的链接“missing.md”指向的页面不存在" in page
    assert "strict mode" not in page and "Doc file" not in page
    usage.write_text(good + "\n改好了。\n", encoding="utf-8")
    page = wait_for(url + "usage/", "改好了", seconds=30)
    assert "handbook-errors" not in page
    console = log.read_text(encoding="utf-8")
    assert "content/usage.md 中的链接“missing.md”" in console and "Doc file" not in console
