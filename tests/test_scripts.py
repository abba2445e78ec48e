"""Our own browser scripts parse as ES2017: 企业微信 and 钉钉 in-app browsers run older Chromium
(75–86 is common), which rejects `?.`, `??` and other newer syntax — and then the whole file.

The parser is acorn, pinned in tests/js/package-lock.json and installed there (git-ignored) on
first use with `npm ci`.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

JS = ROOT / "tests" / "js"
SCRIPTS = sorted((ROOT / "generators" / "pages" / "scripts").glob("*.js")) + sorted((ROOT / "content" / "javascripts").glob("*.js"))


@pytest.fixture(scope="module")
def check():
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("需要 npm 来安装 JavaScript 语法检查器：请运行 make test（会安装 nodejs 和 npm），或 sudo apt-get install nodejs npm")
    if not (JS / "node_modules" / "acorn").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=JS, check=True, capture_output=True)

    def run(*files: Path) -> subprocess.CompletedProcess:
        return subprocess.run(["node", str(JS / "check-es2017.mjs"), *map(str, files)], capture_output=True, text=True)

    return run


def test_our_scripts_are_es2017(check):
    assert len(SCRIPTS) >= 4
    result = check(*SCRIPTS)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("newer", ["var a = b?.c;", "var a = b ?? c;", "var o = {...p};", "try { f(); } catch { g(); }"])
def test_newer_syntax_is_rejected(check, tmp_path, newer):
    script = tmp_path / "newer.js"
    script.write_text(newer, encoding="utf-8")
    result = check(script)
    assert result.returncode == 1 and f"{script}:1:" in result.stdout


def test_the_pages_load_only_local_scripts():
    from generators.pipeline import prepare

    prepared = prepare(ROOT)
    published = {path for path in prepared.assets if path.endswith(".js")}
    assert published == {f"javascripts/handbook/{p.name}" for p in SCRIPTS if "pages/scripts" in p.as_posix()}
    for page in prepared.pages.values():
        for src in __import__("re").findall(r'<script src="([^"]+)"', page.markdown):
            assert not src.startswith(("http:", "https:", "//")), (page.path, src)


def test_embedded_data_cannot_close_its_element():
    import json

    from generators.pages.build import data_script

    text = str(data_script("x", {"title": "</script><script>alert(1)</script> & <!--"}))
    body = text.removeprefix('<script type="application/json" id="x">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == {"title": "</script><script>alert(1)</script> & <!--"}
