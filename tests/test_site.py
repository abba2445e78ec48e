"""The built site as readers get it: pages, search index, no outside hosts, safe builds."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from generators.errors import ContentError
from generators.model import load_model
from generators.site.build import BuildError, build_markdown, build_site

OUTSIDE = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!127\.0\.0\.1|localhost)[^"']+\.(?:js|css|woff2?|ttf|otf|png|jpe?g|svg|gif)""")


def test_a_page_for_everything_in_the_model(site: Path):
    model = load_model(ROOT)
    expected = ["index.html", "glossary/index.html", "rubric/index.html", "print/index.html", "guide/index.html",
                "forms/index.html", "branch-types/index.html", "roles/index.html", "documents/index.html"]
    expected += [f"handbooks/{h}/index.html" for h in model.handbooks]
    expected += [f"sections/{s.id}/index.html" for h in model.handbooks.values() for s in h.sections]
    expected += [f"items/{i}/index.html" for i in model.items]
    expected += [f"branch-types/{b}/index.html" for b in model.branch_types]
    expected += [f"roles/{r}/index.html" for r in model.roles]
    expected += [f"documents/{d}/index.html" for d in model.documents]
    missing = [p for p in expected if not (site / p).is_file()]
    assert missing == []


def test_item_page_shows_flowchart_first_then_the_detail(site: Path):
    html = (site / "items/three-meetings-one-lesson/index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):]
    order = [article.index(marker) for marker in ('class="hb-diagram"', "工作要求", "工作步骤", "依据")]
    assert order == sorted(order)
    assert "第十一条" in article and "党员大会" in article
    assert 'href="../../roles/branch-secretary/"' in article
    # Built for readers: no edit button, no source notes (those are for editors, see test_phone.py).
    assert "https://gitlab.example.com/party/handbook/-/edit/" not in html
    assert "内容来源" not in html and "modules/handbooks/" not in article


def test_every_section_and_branch_type_page_shows_its_diagram(site: Path):
    model = load_model(ROOT)
    for handbook in model.handbooks.values():
        for section in handbook.sections:
            html = (site / f"sections/{section.id}/index.html").read_text(encoding="utf-8")
            assert f'id="root-section-{section.id}"' in html
    for bt in model.branch_types:
        html = (site / f"branch-types/{bt}/index.html").read_text(encoding="utf-8")
        assert f'id="matrix-type-{bt}"' in html


def test_no_asset_from_any_outside_host(site: Path):
    offenders = []
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".js", ".json", ".xml") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for host in ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com", "cdn.jsdelivr.net", "cdnjs"):
                if host in text:
                    offenders.append(f"{path.relative_to(site)}: {host}")
            offenders += [f"{path.relative_to(site)}: {m}" for m in OUTSIDE.findall(text)]
    assert offenders == []


def test_search_index_is_segmented_with_project_terms_whole(site: Path):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    item = next(d for d in docs if d["location"] == "items/three-meetings-one-lesson/")
    assert "\u200b" in item["text"], "Chinese text is not segmented: is jieba importable?"
    words = set(re.split(r"[\s\u200b]+", " ".join(d["title"] + " " + d["text"] for d in docs)))
    for term in ("三会一课", "一岗双责", "三重一大"):
        assert term in words, term


def test_failed_build_leaves_the_previous_site_intact(minimal_project: Path, tmp_path: Path):
    target = tmp_path / "site"
    build_site(minimal_project, target)
    before = {p.relative_to(target): hashlib.sha256(p.read_bytes()).hexdigest() for p in target.rglob("*") if p.is_file()}
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    sec.write_text(sec.read_text(encoding="utf-8").replace("owner: secretary", "owner: nobody"), encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        build_site(minimal_project, target)
    assert "modules/handbooks/hb/sec.yml:7:12" in str(failure.value) and "找不到角色" in str(failure.value)
    after = {p.relative_to(target): hashlib.sha256(p.read_bytes()).hexdigest() for p in target.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_unknown_embed_in_a_hand_written_page_names_file_and_line(minimal_project: Path, tmp_path: Path):
    page = minimal_project / "content/index.md"
    page.write_text("# 首页\n\n正文\n\n[[diagram sytem-map]]\n", encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        build_site(minimal_project, tmp_path / "site")
    assert "content/index.md:5:11" in str(failure.value)
    assert "您是否想写 `system-map`？" in str(failure.value)


def test_embeds_expand_in_hand_written_pages(minimal_project: Path, tmp_path: Path):
    page = minimal_project / "content/index.md"
    page.write_text("# 首页\n\n[[steps meetings]]\n\n[[items sec]]\n\n```\n[[diagram not-expanded-in-code]]\n```\n", encoding="utf-8")
    html = (build_site(minimal_project, tmp_path / "site") / "index.html").read_text(encoding="utf-8")
    assert "<th>工作内容</th>" in html and "人数过半？" in html
    assert "<th>时间节点</th>" in html
    assert "[[diagram not-expanded-in-code]]" in html


def test_markdown_out_writes_pages_and_svgs_without_mkdocs(minimal_project: Path, tmp_path: Path):
    target = build_markdown(minimal_project, tmp_path / "md")
    assert (target / "items/meetings/index.md").read_text(encoding="utf-8").startswith("---\ntags:")
    assert (target / "diagrams/flow-meetings.svg").read_text(encoding="utf-8").startswith("<svg")
    assert "<svg" in (target / "index.md").read_text(encoding="utf-8")
    probe = "import sys, generators.pipeline, generators.pages.build; print(any(m.startswith('mkdocs') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT).stdout.strip() == "False"


PLAIN_MKDOCS = """\
site_name: 测试手册
docs_dir: {docs}
site_dir: {site}
theme:
  name: material
  language: zh
  font: false
plugins:
  - search
markdown_extensions:
  - attr_list
  - md_in_html
  - tables
"""


def test_markdown_out_builds_with_plain_mkdocs_and_no_handbook_plugin(minimal_project: Path, tmp_path: Path):
    """The generator core outlives the site engine: its Markdown builds in a stock MkDocs."""
    target = build_markdown(minimal_project, tmp_path / "md")
    config = tmp_path / "plain.yml"
    config.write_text(PLAIN_MKDOCS.format(docs=target, site=tmp_path / "plain"), encoding="utf-8")
    assert "handbook" not in config.read_text(encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 0, run.stderr
    site = tmp_path / "plain"
    item = (site / "items/meetings/index.html").read_text(encoding="utf-8")
    assert "三会一课" in item and "<svg" in item
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert "items/meetings/" in locations and any(doc["title"].replace("\u200b", "") == "三会一课" for doc in index["docs"])
    # Diagram files of their own link to pages that exist in the built site.
    svg = (target / "diagrams/flow-meetings.svg").read_text(encoding="utf-8")
    assert "@/" not in svg


def test_hostile_text_is_literal_in_html(minimal_project: Path, tmp_path: Path):
    hostile = '<script>alert(1)</script> {{ 7*7 }} "]; x [ | *a* _b_ `c`'
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    quoted = '"' + hostile.replace('"', '\\"') + '"'
    sec.write_text(sec.read_text(encoding="utf-8").replace("requirement: 按期开会。", f"requirement: {quoted}")
                   .replace("    title: 三会一课", f"    title: {quoted}"), encoding="utf-8")
    site = build_site(minimal_project, tmp_path / "site")
    for page in site.rglob("*.html"):
        assert "<script>alert(1)</script>" not in page.read_text(encoding="utf-8"), page
    html = (site / "items/meetings/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &quot;]; x [ | *a* _b_ `c`" in html.replace("&#34;", "&quot;")
    assert "49" not in re.sub(r"<[^>]+>", "", html.split("<article")[1]).split("内容来源")[0]


def test_two_builds_started_at_once_both_finish_with_a_whole_site(minimal_project: Path):
    handbook = str(Path(sys.executable).parent / "handbook")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    runs = [subprocess.Popen([handbook, "build", "--no-print"], cwd=minimal_project, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
    outputs = [r.communicate(timeout=300)[0].decode("utf-8", "replace") for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outputs
    site = minimal_project / "site"
    assert "三会一课" in (site / "items/meetings/index.html").read_text(encoding="utf-8")
    assert (site / "search/search_index.json").is_file() and (site / "sitemap.xml").is_file()
    # No half-built or replaced sites are left behind, and the shared diagram cache holds whole SVGs only.
    assert [p.name for p in minimal_project.iterdir() if p.name.startswith(".site")] == []
    cached = list((minimal_project / ".cache/diagrams").iterdir())
    assert cached and all(f.read_text(encoding="utf-8").rstrip().endswith("</svg>") for f in cached)


def test_theme_patches_apply_to_the_locked_theme(site: Path):
    scripts = site / "assets" / "javascripts"
    worker = next(scripts.glob("workers/search.*.js")).read_text(encoding="utf-8")
    assert "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e" in worker
    bundle = next(scripts.glob("bundle.*.js")).read_text(encoding="utf-8")
    assert "unpkg.com" not in bundle
    assert "hbLazyIndex(function(){return ze(" in bundle  # the search index waits for the search box


def test_a_theme_whose_index_fetch_changed_fails_the_build_loudly(tmp_path: Path, site: Path):
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from generators.site.plugin import _LAZY_INDEX_FETCH, HandbookPlugin

    scripts = tmp_path / "assets" / "javascripts"
    shutil.copytree(site / "assets" / "javascripts", scripts)
    bundle = next(scripts.glob("bundle.*.js"))
    # A theme that fetches its index some other way: neither the original nor the patched text is there.
    bundle.write_text(bundle.read_text(encoding="utf-8").replace(_LAZY_INDEX_FETCH, "fetchIndex()}"), encoding="utf-8")
    with pytest.raises(PluginError) as failed:
        HandbookPlugin()._patch_theme_scripts(SimpleNamespace(site_dir=str(tmp_path)))
    assert "找不到需要修正的代码" in str(failed.value) and "search_index.json" in str(failed.value)


def test_a_theme_whose_scripts_changed_fails_the_build_loudly(tmp_path: Path, site: Path):
    """After a theme upgrade the patched code may be gone: the build stops instead of shipping it unpatched."""
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from generators.site.plugin import HandbookPlugin

    scripts = tmp_path / "assets" / "javascripts"
    shutil.copytree(site / "assets" / "javascripts", scripts)
    worker = next(scripts.glob("workers/search.*.js"))
    # What a changed worker looks like: the loop this project patches is written differently.
    worker.write_text(worker.read_text(encoding="utf-8").replace("o<=t.length;o++)t.slice(s,o)in e", "o<t.length;o+=1)t.slice(s,o)in e"), encoding="utf-8")
    with pytest.raises(PluginError) as failed:
        HandbookPlugin()._patch_theme_scripts(SimpleNamespace(site_dir=str(tmp_path)))
    assert "找不到需要修正的代码" in str(failed.value) and "mkdocs-material" in str(failed.value)
