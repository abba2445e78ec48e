"""The 修订对照表 and revision history, on a git repository made in the test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, run_cli
from generators.model import load_model
from generators.model.compare import compare, revision_info, word_diff
from generators.model.history import model_history
from generators.model.revisions import Revision, RevisionContentError, RevisionError, load_revision, resolve

SECTION_ONE = """\
title: 组织管理
kind: element
items:
  - id: meetings
    title: 三会一课
    requirement: 按期开会。
    owner: secretary
    frequency: monthly
    procedure:
      steps:
        - id: start
          kind: start
          title: 开始
          next: check
        - id: check
          kind: decision
          title: 人数过半？
          branches:
            - label: 是
              next: hold
            - label: 否
              next: start
              loop_back: true
        - id: hold
          title: 开会
          role: committee
          next: end
        - id: end
          kind: end
          title: 结束
  - id: timed
    title: 支部委员会会议
    requirement: 研究支部工作。
    owner: committee
    frequency: monthly
    time_nodes: [每月10日前]
  - id: cited
    title: 党员大会
    requirement: 讨论决定支部重要事项。
    owner: secretary
    frequency: quarterly
    basis:
      - doc: branch-regulations
        articles: [第十一条]
  - id: mover
    title: 党员教育培训
    requirement: 组织党员学习。
    owner: secretary
    frequency: yearly
    applies_to:
      alpha: required
  - id: old-item
    title: 旧的事项
    requirement: 这一项将被删除。
    owner: secretary
    frequency: as_needed
"""

SECTION_TWO = """\
title: 第二部分
kind: element
items:
  - id: stay
    title: 不变的事项
    requirement: 这一项不变。
    owner: secretary
    frequency: yearly
"""

INSERTED_STEP = """\
        - id: sign-in
          title: 会前签到
          role: committee
          next: hold
"""

NEW_ITEM = """\
  - id: new-item
    title: 新的事项
    requirement: 本版新增的工作。
    owner: committee
    frequency: half_yearly
    applies_to:
      beta: emphasised
"""

def revised_sections() -> tuple[str, str]:
    """The second edition: 会前签到 inserted before 开会, a time node and an article changed,
    党员教育培训 moved to the second section, 旧的事项 removed, 新的事项 added."""
    one = SECTION_ONE.replace("[每月10日前]", "[每月15日前]").replace("[第十一条]", "[第十二条]")
    one = one.replace("""            - label: 是
              next: hold""", """            - label: 是
              next: sign-in""")
    one = one.replace("""        - id: hold
""", INSERTED_STEP + """        - id: hold
""")
    mover = one[one.index("  - id: mover"):one.index("  - id: old-item")]
    one = one[:one.index("  - id: mover")] + NEW_ITEM
    return one, SECTION_TWO + mover


GIT_ENV = {"GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "测试",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str, date: str = "2026-01-01T10:00:00") -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


def commit(root: Path, message: str, date: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)
    return git(root, "rev-parse", "HEAD").strip()


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> dict[str, object]:
    """Commit 1: the first edition (tag v1). Commit 2: one of each change the table must report.
    Commit 3: only reformatted (comments, key order, quoting). Commit 4: a mistake in the YAML."""
    root = tmp_path_factory.mktemp("repo") / "project"
    shutil.copytree(FIXTURES / "minimal", root)
    hb = "modules/handbooks/hb"
    write(root, f"{hb}/handbook.yml", (root / f"{hb}/handbook.yml").read_text(encoding="utf-8").replace(
        "sections: [sec]", "sections: [sec, sec2]"))
    write(root, f"{hb}/sec.yml", SECTION_ONE)
    write(root, f"{hb}/sec2.yml", SECTION_TWO)
    write(root, "content/index.md", (root / "content/index.md").read_text(encoding="utf-8") + "\n[[revisions]]\n")
    # The revision cites 第十二条 instead of 第十一条: both are listed from the start, as citations must be.
    documents = (root / "modules/documents.yml").read_text(encoding="utf-8")
    assert "      - number: 第十一条\n" in documents
    write(root, "modules/documents.yml", documents.replace(
        "      - number: 第十一条\n", "      - number: 第十二条\n        summary: 测试用的条款概要。\n      - number: 第十一条\n", 1))
    git(root, "init", "-q", "-b", "main")
    first = commit(root, "第一版", "2026-01-01T10:00:00")
    git(root, "tag", "v1")

    one, two = revised_sections()
    write(root, f"{hb}/sec.yml", one)
    write(root, f"{hb}/sec2.yml", two)
    rubric = (root / "modules/rubric.yml").read_text(encoding="utf-8")
    write(root, "modules/rubric.yml", rubric.replace("criteria: 每月开会。", "criteria: 每月开会，缺一次扣5分。"))
    second = commit(root, "2027 年修订：时间节点、依据条款和流程", "2027-01-05T10:00:00")

    for rel in (f"{hb}/sec.yml", f"{hb}/sec2.yml"):
        data = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
        write(root, rel, "# 只调整了格式和注释\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=True, width=40))
    third = commit(root, "整理格式", "2027-01-06T10:00:00")

    write(root, f"{hb}/sec2.yml", (root / f"{hb}/sec2.yml").read_text(encoding="utf-8").replace(
        "owner: secretary", "owner: nobody", 1))
    fourth = commit(root, "写错了责任主体", "2027-01-07T10:00:00")
    git(root, "revert", "--no-edit", "HEAD", date="2027-01-08T10:00:00")
    return {"root": root, "first": first, "second": second, "third": third, "fourth": fourth}


def article(path: Path) -> str:
    """The page's own content, without the navigation (which lists every item)."""
    html = path.read_text(encoding="utf-8")
    return html[html.index("<article"):html.index("</article>")]


def comparison_of(root: Path, old: str, new: str):
    a, b = resolve(root, old), resolve(root, new)
    ma, mb = load_revision(root, a), load_revision(root, b)
    return compare(ma, mb, revision_info(a, ma), revision_info(b, mb))


def test_each_change_is_reported_once_with_its_kind_and_texts(repo):
    comparison = comparison_of(repo["root"], "v1", repo["second"])
    items = {i.id: i for i in comparison.items()}
    assert [i.id for i in comparison.items()].count("meetings") == 1
    assert {i: c.kind for i, c in items.items()} == {
        "meetings": "changed", "timed": "changed", "cited": "changed", "new-item": "added",
        "mover": "moved", "old-item": "removed",
    }
    timed = items["timed"]
    assert [(f.field, f.old, f.new) for f in timed.fields] == [("time_nodes", "每月10日前", "每月15日前")]
    assert [s.text for s in timed.fields[0].old_spans if s.kind == "removed"] == ["10"]
    assert [s.text for s in timed.fields[0].new_spans if s.kind == "added"] == ["15"]

    cited = items["cited"]
    assert [f.field for f in cited.fields] == ["basis"]
    assert cited.fields[0].old == "《中国共产党支部工作条例（试行）》 第十一条"
    assert cited.fields[0].new == "《中国共产党支部工作条例（试行）》 第十二条"
    assert [s.text for s in cited.fields[0].new_spans if s.kind == "added"] == ["第十二条"]

    meetings = items["meetings"]
    assert meetings.fields == []
    assert [(s.kind, s.id, s.title, s.new_position) for s in meetings.steps] == [("added", "sign-in", "会前签到", 3)]
    assert [(f.label, f.old, f.new) for f in meetings.steps[0].fields] == [("承担角色", "", "支部委员会")]

    mover = items["mover"]
    assert (mover.old_place, mover.new_place, mover.fields, mover.steps) == ("测试 › 组织管理", "测试 › 第二部分", [], [])
    assert items["new-item"].new_place == "测试 › 组织管理"
    assert any(f.field == "requirement" and f.new == "本版新增的工作。" for f in items["new-item"].fields)
    assert any(f.field == "requirement" and f.old == "这一项将被删除。" for f in items["old-item"].fields)
    # Listed under the section they are in after the revision; the removed one where it was.
    sections = {s.id: [i.id for i in s.items] for h in comparison.handbooks for s in h.sections}
    assert sections == {"sec": ["meetings", "timed", "cited", "new-item", "old-item"], "sec2": ["mover"]}


def test_other_content_is_compared_too(repo):
    comparison = comparison_of(repo["root"], "v1", repo["second"])
    assert [(g.id, [(e.kind, e.id, e.title) for e in g.entries]) for g in comparison.registries] == [
        ("rubric", [("changed", "meetings-held", "考核子项：按期开会")])]
    (criteria,) = comparison.registries[0].entries[0].fields
    assert (criteria.old, criteria.new) == ("每月开会。", "每月开会，缺一次扣5分。")
    # A branch reads the rubric whatever its type.
    assert comparison.for_branch_type("beta").registries == comparison.registries


def test_filter_per_branch_type(repo):
    comparison = comparison_of(repo["root"], "v1", repo["second"])
    alpha = [i.id for i in comparison.for_branch_type("alpha").items()]
    beta = [i.id for i in comparison.for_branch_type("beta").items()]
    assert "new-item" not in alpha and "mover" in alpha  # new-item applies only to beta, mover only to alpha
    assert "new-item" in beta and "mover" not in beta


def test_self_and_reformatted_comparisons_are_empty(repo):
    assert comparison_of(repo["root"], repo["second"], repo["second"]).empty
    reformatted = comparison_of(repo["root"], repo["second"], repo["third"])
    assert reformatted.empty, reformatted.model_dump_json(indent=1)
    model = load_model(ROOT)
    worktree = revision_info(Revision("WORKTREE"), model)
    assert compare(model, load_model(ROOT), worktree, worktree).empty


def test_unknown_revision_is_a_chinese_error_naming_it(repo, capsys):
    status, _, err = run_cli(capsys, "diff", "v9", "--root", str(repo["root"]))
    assert status == 1
    assert "HB181 找不到版本 `v9`" in err
    with pytest.raises(RevisionError):
        resolve(repo["root"], "--output=/tmp/x")  # never passed to git as an option


def test_invalid_model_at_a_revision_names_the_revision(repo, capsys):
    status, _, err = run_cli(capsys, "diff", repo["fourth"][:7], "v1", "--root", str(repo["root"]))
    assert status == 1
    assert f"错误 HB182：版本 {repo['fourth'][:7]} 的内容没有通过检查（1 处错误）" in err
    assert f"{repo['fourth'][:7]}:modules/handbooks/hb/sec2.yml:" in err
    assert "owner: nobody" in err  # the line as it was at that revision, not as it is now
    with pytest.raises(RevisionContentError):
        load_revision(repo["root"], resolve(repo["root"], repo["fourth"]))


def test_diff_command_formats(repo, capsys, tmp_path):
    status, out, _ = run_cli(capsys, "diff", "v1", repo["second"], "--root", str(repo["root"]))
    assert status == 0
    assert "[修改] 支部委员会会议（timed）" in out and "原文：每月[-10-]日前" in out and "修订：每月{+15+}日前" in out
    assert "步骤 3「会前签到」新增" in out
    status, out, _ = run_cli(capsys, "diff", "v1", repo["second"], "--format", "json", "--root", str(repo["root"]))
    data = json.loads(out)
    assert data["old"]["spec"] == "v1" and data["new"]["commit"] == repo["second"]
    status, out, _ = run_cli(capsys, "diff", "v1", repo["second"], "--branch-type", "beta", "--root", str(repo["root"]))
    assert "新的事项" in out and "党员教育培训" not in out
    status, _, err = run_cli(capsys, "diff", "v1", "--branch-type", "gamma", "--root", str(repo["root"]))
    assert status == 2 and "找不到支部类型 `gamma`" in err


def test_history_follows_items_by_id_across_files(repo):
    history = model_history(repo["root"])
    subjects = {c.short: c.subject for c in history.changes}
    assert list(subjects.values())[:3] == ['Revert "写错了责任主体"', "写错了责任主体", "整理格式"]
    mover = [(e.change.subject, e.kind) for e in history.items["mover"]]
    # Reformatting (commit 3) is no change of the item; the move between files keeps its history.
    assert mover == [("2027 年修订：时间节点、依据条款和流程", "moved"), ("第一版", "added")]
    assert [(e.change.subject, e.kind) for e in history.items["stay"]][:2] == [
        ('Revert "写错了责任主体"', "changed"), ("写错了责任主体", "changed")]
    # The comparison of each change is there where both sides validate; formatting alone lists nothing.
    assert history.comparisons[repo["second"]].counts()["moved"] == 1
    assert history.comparisons[repo["third"]].empty
    assert repo["fourth"] not in history.comparisons
    assert history.dates["modules/handbooks/hb/sec.yml"] == "2027-01-06"


@pytest.fixture(scope="module")
def published(repo, tmp_path_factory) -> Path:
    """The fixture project's site, its edition naming v1 as its predecessor."""
    from generators.site.build import build_site

    root = repo["root"]
    site_yml = root / "modules/site.yml"
    write(root, "modules/site.yml", site_yml.read_text(encoding="utf-8") + 'previous: "v1"\n')
    try:
        # The fixture has no print editions: printing makes only the comparison's PDF.
        return build_site(root, tmp_path_factory.mktemp("published") / "site", print_editions=True)
    finally:
        git(root, "checkout", "--", "modules/site.yml")


def test_site_publishes_the_comparison_and_item_histories(repo, published):
    site = published
    page = article(site / "revisions/index.html")
    assert "修订对照表（与 v1 相比）" in page
    assert "<del>10</del>" in page and "<ins>15</ins>" in page and "<ins>第十二条</ins>" in page
    assert "其他内容" in page and "考核子项：按期开会" in page and "<ins>，缺一次扣5分</ins>" in page
    assert 'id="item-mover"' in page and "原在“测试 › 组织管理”，现移至“测试 › 第二部分”。" in page
    assert 'href="comparison.pdf"' in page and (site / "revisions/comparison.pdf").read_bytes().startswith(b"%PDF")
    published = json.loads((site / "revisions/comparison.json").read_text(encoding="utf-8"))
    assert published["old"]["spec"] == "v1"
    import jsonschema

    jsonschema.validate(published, json.loads((site / "revisions/comparison.schema.json").read_text(encoding="utf-8")))
    beta = article(site / "revisions/type-beta/index.html")
    assert "新的事项" in beta and "党员教育培训" not in beta
    home = article(site / "index.html")
    assert 'href="revisions/"' in home and "新增 1 项、删除 1 项、修改 3 项、移动 1 项" in home

    item = article(site / "items/timed/index.html")
    short = repo["second"][:7]
    assert "修订记录" in item and "2027 年修订：时间节点、依据条款和流程" in item
    assert f'href="../../changes/{short}/#item-timed"' in item
    assert "整理格式" not in item  # git saw the file change, but the item's content is the same
    change = (site / f"changes/{short}/index.html").read_text(encoding="utf-8")
    assert 'id="item-timed"' in change
    changes = (site / "changes/index.html").read_text(encoding="utf-8")
    assert "写错了责任主体" in changes


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is not installed (make test installs it)")
def test_comparison_page_in_chromium_marks_removed_and_added_words(published):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto((published / "revisions/index.html").as_uri())
        removed = page.locator("article td del", has_text="第十一条")
        added = page.locator("article td ins", has_text="第十二条")
        assert removed.count() == 1 and added.count() == 1
        assert "line-through" in removed.evaluate("e => getComputedStyle(e).textDecorationLine")
        assert "underline" in added.evaluate("e => getComputedStyle(e).textDecorationLine")
        # Old and new text side by side in one row of the item's table.
        row = page.locator("article tr", has=page.locator("del", has_text="第十一条"))
        assert row.locator("td").nth(0).inner_text() == "依据"
        (ROOT / "test-output").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "test-output" / "revisions.png"), full_page=True)
        browser.close()


def test_missing_predecessor_is_a_note_not_a_failure(repo, tmp_path):
    from generators.site.build import build_site

    root = repo["root"]
    write(root, "modules/site.yml", (root / "modules/site.yml").read_text(encoding="utf-8") + 'previous: "v2025"\n')
    try:
        site = build_site(root, tmp_path / "site", print_editions=False)
    finally:
        git(root, "checkout", "--", "modules/site.yml")
    page = (site / "revisions/index.html").read_text(encoding="utf-8")
    assert "HB184" in page and "v2025" in page and "git fetch --tags --unshallow" in page


def test_a_folder_without_git_still_builds(minimal_project, tmp_path):
    from generators.site.build import build_site

    site = build_site(minimal_project, tmp_path / "site", print_editions=False)
    item = (site / "items/meetings/index.html").read_text(encoding="utf-8")
    assert "修订记录" in item and "不在 git 仓库中" in item


def test_comparison_pdf(repo, tmp_path):
    from pypdf import PdfReader

    from generators.print.comparison import print_comparison

    comparison = comparison_of(repo["root"], "v1", repo["second"])
    pdf = print_comparison(comparison, load_model(repo["root"]).site, tmp_path / "comparison.pdf")
    reader = PdfReader(pdf)
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in ("修订对照表", "支部委员会会议", "每月15日前", "会前签到", "新增 1 项、删除 1 项、修改 3 项、移动 1 项"):
        # Typst spaces Latin digits from CJK characters, which text extraction reads as a space.
        assert "".join(expected.split()) in "".join(text.split()), expected
    fonts = {str(f.get("/BaseFont")) for page in reader.pages for f in (page["/Resources"].get("/Font") or {}).values()}
    assert any("CJK" in f for f in fonts)


# ---------------------------------------------------------------- the 发展党员 procedure (reference content)


def _with_steps(model, item_id: str, steps):
    import copy

    changed = copy.deepcopy(model)
    item = changed.items[item_id]
    item.procedure.steps[:] = steps
    return changed


def _step_changes(model, changed, item_id: str):
    info = revision_info(Revision("WORKTREE"), model)
    comparison = compare(model, changed, info, info)
    assert [i.id for i in comparison.items()] == [item_id]
    return next(iter(comparison.items())).steps


def test_member_development_step_inserted_midway_is_one_added_step():
    model = load_model(ROOT)
    item_id = "branch-member-development"
    steps = list(model.items[item_id].procedure.steps)
    assert len(steps) >= 20
    middle = len(steps) // 2
    before = steps[middle - 1]
    assert before.next == steps[middle].id  # a plain sequential step to insert after
    new = before.model_copy(update={"id": "extra-review", "title": "上级党委预审", "next": steps[middle].id,
                                    "kind": "task", "branches": [], "basis": []})
    inserted = steps[:middle - 1] + [before.model_copy(update={"next": "extra-review"}), new] + steps[middle:]
    changes = _step_changes(model, _with_steps(model, item_id, inserted), item_id)
    assert [(c.kind, c.id, c.new_position) for c in changes] == [("added", "extra-review", middle + 1)]


def test_member_development_step_removed_reordered_and_changed():
    model = load_model(ROOT)
    item_id = "branch-member-development"
    steps = list(model.items[item_id].procedure.steps)
    ids = [s.id for s in steps]
    # 指定培养联系人 removed: 党员推荐 now leads straight to 培养教育.
    at = ids.index("assign-contact")
    assert steps[at - 1].next == "assign-contact" and steps[at].next == ids[at + 1]
    removed = steps[:at - 1] + [steps[at - 1].model_copy(update={"next": ids[at + 1]})] + steps[at + 1:]
    changes = _step_changes(model, _with_steps(model, item_id, removed), item_id)
    assert [(c.kind, c.id, c.old_position) for c in changes] == [("removed", "assign-contact", at + 1)]

    # 谈话 and 推荐 swapped (each step's next follows the new order): one step moved, no "next" changes.
    start, talk, recommend = steps[0], steps[ids.index("talk")], steps[ids.index("recommend")]
    assert [start.next, talk.next, recommend.next] == ["talk", "recommend", "assign-contact"]
    swapped = [start.model_copy(update={"next": "recommend"}), recommend.model_copy(update={"next": "talk"}),
               talk.model_copy(update={"next": "assign-contact"})] + steps[3:]
    changes = _step_changes(model, _with_steps(model, item_id, swapped), item_id)
    assert len(changes) == 1 and changes[0].kind == "moved" and changes[0].fields == []
    assert {changes[0].id} <= {"talk", "recommend"}

    # A changed time limit is one change of one field, with the words that changed.
    middle = len(steps) // 2
    limited = list(steps)
    limited[middle] = steps[middle].model_copy(update={"time_limit": "收到后一个月内"})
    changes = _step_changes(model, _with_steps(model, item_id, limited), item_id)
    assert [(c.kind, c.id, [f.field for f in c.fields]) for c in changes] == [("changed", ids[middle], ["time_limit"])]


def test_word_diff_marks_words_not_characters():
    old, new = word_diff("支部委员会每月召开一次会议", "支部委员会每季度召开一次会议")
    assert [s.text for s in old if s.kind == "removed"] == ["每月"]
    assert [s.text for s in new if s.kind == "added"] == ["每季度"]


def test_shallow_clone_has_a_note_and_no_predecessor(repo, tmp_path):
    from generators.model.history import compare_with_previous

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", repo["root"].as_uri(), str(clone))
    history = model_history(clone)
    assert "浅克隆" in history.note
    assert len(history.changes) == 1 and history.comparisons == {}
    assert history.items == {}  # what the one commit changed is unknown without its parent
    model = load_model(clone)
    model.site.previous = "v1"
    predecessor = compare_with_previous(clone, model)
    assert predecessor.comparison is None and "HB184" in predecessor.problem


def test_project_terms_stay_whole():
    from generators.model.compare import keep_whole

    from generators.model.compare import words

    keep_whole(load_model(ROOT))
    assert "三会一课" in words("按期召开三会一课")
    old, new = word_diff("按期召开三会一课", "按期召开支部委员会")
    assert [s.text for s in old if s.kind == "removed"] == ["三会一课"]
