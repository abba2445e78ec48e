"""handbook new item: a commented skeleton appended without disturbing the rest of the file."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, validate_json
from generators.model import load_model


def _added_lines(before: str, after: str) -> list[str]:
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    assert not [line for line in diff if line.startswith("- ")], "an existing line changed"
    return [line[2:] for line in diff if line.startswith("+ ")]


def test_new_item_appends_a_valid_commented_skeleton(minimal_project: Path, capsys):
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    sec.write_text("# 编辑的注释要保留\n" + sec.read_text(encoding="utf-8") + "# 文件末尾的注释\n", encoding="utf-8")
    before = sec.read_text(encoding="utf-8")

    status, out, err = run_cli(capsys, "new", "item", "--section", "sec", "--id", "talks", "--title", '谈心谈话: "每年"',
                               "--root", str(minimal_project))

    assert status == 0, err
    assert "modules/handbooks/hb/sec.yml" in out and "`talks`" in out
    after = sec.read_text(encoding="utf-8")
    added = _added_lines(before, after)
    assert added[0].startswith("  - id: talks  # ")
    assert any("# 责任主体" in line for line in added)
    assert after.endswith("# 文件末尾的注释\n")
    # Every field of a work item is in the template, each with a Chinese comment.
    from generators.model.schema import WorkItem

    for field in WorkItem.model_fields:
        line = next(line for line in added if line.strip().startswith(f"{field}:") or line.strip().startswith(f"- {field}:"))
        assert "  # " in line, line
    # Its placeholders fail validation, each with its own code, until they are replaced.
    status, found = validate_json(capsys, minimal_project)
    assert status == 1
    assert {d["code"] for d in found} == {"HB156"}
    assert "【请填写：一句话概述这项工作】" in [d for d in found if d["path"] == "items[1].summary"][0]["message"]
    # An editor fills in a time limit the date calculator can read, and the rest as text.
    filled = re.sub(r"【请填写：时限[^】]*】", "会前3天", after)
    sec.write_text(re.sub(r"【请填写：[^】]*】", "已填写", filled), encoding="utf-8")
    model = load_model(minimal_project)
    assert model.items["talks"].title == '谈心谈话: "每年"'
    assert model.items["talks"].owner == "secretary"
    assert list(model.items) == ["meetings", "talks"]


def test_new_item_into_empty_items(minimal_project: Path, capsys):
    sec = minimal_project / "modules/handbooks/hb/other.yml"
    sec.write_text("title: 附录\nkind: appendix  # 注释\nitems: []\n", encoding="utf-8")
    hb = minimal_project / "modules/handbooks/hb/handbook.yml"
    hb.write_text(hb.read_text(encoding="utf-8").replace("sections: [sec]", "sections: [sec, other]"), encoding="utf-8")

    status, _, err = run_cli(capsys, "new", "item", "--section", "other", "--id", "forms-list", "--root", str(minimal_project))

    assert status == 0, err
    text = sec.read_text(encoding="utf-8")
    assert text.startswith("title: 附录\nkind: appendix  # 注释\nitems:\n  - id: forms-list  # ")
    sec.write_text(re.sub(r"【请填写：[^】]*】", "已填写", re.sub(r"【请填写：时限[^】]*】", "会前3天", text)), encoding="utf-8")
    assert "forms-list" in load_model(minimal_project).items


def test_new_item_on_the_shipped_content(tmp_path: Path, capsys):
    project = tmp_path / "p"
    shutil.copytree(ROOT / "modules", project / "modules")
    status, _, err = run_cli(capsys, "new", "item", "--section", "organization-management", "--id", "heart-talks",
                             "--owner", "branch-secretary", "--root", str(project))
    assert status == 0, err
    status, found = validate_json(capsys, project)
    assert status == 1 and found and {d["code"] for d in found} == {"HB156"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--section", "sec", "--id", "meetings"], "已在 modules/handbooks/hb/sec.yml 中使用"),
        (["--section", "sex", "--id", "new-one"], "您是否想写 `sec`？"),
        (["--section", "sec", "--id", "新事项"], "不符合要求"),
        (["--section", "sec", "--id", "new-one", "--owner", "secretry"], "您是否想写 `secretary`？"),
        (["--section", "组织管", "--id", "new-one"], "您是否想写 `组织管理`？"),
        (["--section", "组织", "--id", "new-one"], "测试手册：组织管理（sec）"),
        (["--section", "sec", "--id", "new-one", "--owner", "支部书纪"], "您是否想写 `党支部书记`（secretary）？"),
    ],
)
def test_new_item_refuses_bad_arguments_and_changes_nothing(minimal_project: Path, capsys, args, message):
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    before = sec.read_bytes()
    status, _, err = run_cli(capsys, "new", "item", *args, "--root", str(minimal_project))
    assert status == 2
    assert message in err
    assert sec.read_bytes() == before


def test_new_item_refuses_when_content_has_errors(minimal_project: Path, capsys):
    roles = minimal_project / "modules/roles.yml"
    roles.write_text(roles.read_text(encoding="utf-8").replace("group: branch", "group: nowhere", 1), encoding="utf-8")
    status, _, err = run_cli(capsys, "new", "item", "--section", "sec", "--id", "new-one", "--root", str(minimal_project))
    assert status == 1
    assert "HB124" in err


def test_new_item_by_chinese_section_and_owner_names(minimal_project: Path, capsys):
    status, out, err = run_cli(capsys, "new", "item", "--section", "组织管理", "--id", "talks", "--title", "谈心谈话",
                               "--owner", "支部委员会", "--root", str(minimal_project))
    assert status == 0, err
    assert "还有 6 处“【请填写：…】”要改写" in out
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    assert "    owner: 支部委员会  # 责任主体" in sec.read_text(encoding="utf-8")
    sec.write_text(re.sub(r"【请填写：[^】]*】", "已填写", re.sub(r"【请填写：时限[^】]*】", "会前3天", sec.read_text(encoding="utf-8"))), encoding="utf-8")
    assert load_model(minimal_project).items["talks"].owner == "committee"


def test_two_new_items_in_a_row_each_report_their_own_placeholders(minimal_project: Path, capsys):
    # An editor adds two items before writing either out: the first item's placeholders do not stop the second.
    for ident in ("talks", "visits"):
        status, out, err = run_cli(capsys, "new", "item", "--section", "sec", "--id", ident, "--title", ident,
                                   "--root", str(minimal_project))
        assert status == 0, err
        assert "还有 6 处“【请填写：…】”要改写" in out
    # A real mistake elsewhere still stops it, and nothing is written.
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    before = sec.read_text(encoding="utf-8")
    roles = minimal_project / "modules/roles.yml"
    roles.write_text(roles.read_text(encoding="utf-8").replace("group: branch", "group: nowhere", 1), encoding="utf-8")
    status, _, err = run_cli(capsys, "new", "item", "--section", "sec", "--id", "third", "--root", str(minimal_project))
    assert status == 1 and "HB124" in err
    assert sec.read_text(encoding="utf-8") == before
    # The build still refuses both items' placeholders.
    roles.write_text(roles.read_text(encoding="utf-8").replace("group: nowhere", "group: branch", 1), encoding="utf-8")
    status, found = validate_json(capsys, minimal_project)
    assert status == 1 and {d["code"] for d in found} == {"HB156"}
    assert {d["path"].split(".")[0] for d in found} == {"items[1]", "items[2]"}
