"""Chinese names in place of ids: resolved by the loader, rendered as the id would be, rewritten only when asked."""

from __future__ import annotations

import shutil
from pathlib import Path

import subprocess
import sys

from conftest import FIXTURES, run_cli

HANDBOOK = str(Path(sys.executable).parent / "handbook")

SEC = "modules/handbooks/hb/sec.yml"
BY_NAME = {
    "    owner: secretary\n": "    owner: 党支部书记  # 责任主体\n",
    "    participants: [committee]\n": "    participants: [支部委员会]\n",
    "      - doc: branch-regulations\n": "      - doc: 《中国共产党支部工作条例（试行）》\n",
    "    forms: [meeting-record]\n": "    forms: [会议记录表]\n",
    "    terms: [three-meetings]\n": "    terms: [三会一课]\n",
    "      alpha: required\n": "      甲型: required\n",
    "          role: committee\n": "          role: 支部委员会\n",
}


def _project(tmp_path: Path, name: str, *, by_name: bool) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / "minimal", root)
    if by_name:
        path = root / SEC
        text = path.read_text(encoding="utf-8")
        for old, new in BY_NAME.items():
            assert old in text
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return root


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_names_render_exactly_as_the_ids(tmp_path: Path, capsys):
    by_id = _project(tmp_path, "by-id", by_name=False)
    by_name = _project(tmp_path, "by-name", by_name=True)
    assert run_cli(capsys, "validate", "--root", str(by_name))[0] == 0
    # Each in a fresh process: Graphviz numbers its anchors per process.
    for root, out in ((by_id, "out-id"), (by_name, "out-name")):
        subprocess.run([HANDBOOK, "build", "--markdown-out", str(tmp_path / out)], cwd=root, check=True)
    pages_by_id, pages_by_name = _files(tmp_path / "out-id"), _files(tmp_path / "out-name")
    assert "items/meetings/index.md" in pages_by_id
    # Only the "last changed" dates could differ, and neither project is in git.
    assert pages_by_name == pages_by_id
    assert "党支部书记".encode() in pages_by_name["items/meetings/index.md"]


def test_fmt_rewrites_names_to_ids_and_keeps_everything_else(tmp_path: Path, capsys):
    root = _project(tmp_path, "p", by_name=True)
    status, out, _ = run_cli(capsys, "fmt", "--check", "--root", str(root))
    assert status == 1
    assert f"{SEC}:7:12: 党支部书记 → secretary" in out
    assert f"{SEC}:16:7: 甲型 → alpha" in out
    before = (root / SEC).read_text(encoding="utf-8")
    assert run_cli(capsys, "fmt", "--root", str(root))[0] == 0
    after = (root / SEC).read_text(encoding="utf-8")
    expected = before
    for old, new in BY_NAME.items():
        expected = expected.replace(new, old.replace("secretary\n", "secretary  # 责任主体\n"))
    assert after == expected
    status, out, _ = run_cli(capsys, "fmt", "--check", "--root", str(root))
    assert status == 0 and "没有需要改写的名称" in out


MEETINGS_BY_ID = """meetings:
  - id: branch-meeting
    name: 支部委员会会议
    level: branch
    item: meetings
    convener: secretary
    attendees: [committee, secretary]
    frequency: 一般每月1次
"""
MEETINGS_BY_NAME = """meetings:
  - id: branch-meeting
    name: 支部委员会会议
    level: branch
    item: 三会一课  # 事项标题
    convener: 党支部书记
    attendees: [支部委员会, secretary]
    frequency: 一般每月1次
"""


def test_meetings_name_their_item_and_roles_by_name_like_every_other_reference(tmp_path: Path, capsys):
    roots = {}
    for name, text in (("by-id", MEETINGS_BY_ID), ("by-name", MEETINGS_BY_NAME)):
        roots[name] = _project(tmp_path, name, by_name=False)
        (roots[name] / "modules/meetings.yml").write_text(text, encoding="utf-8")
    assert run_cli(capsys, "validate", "--root", str(roots["by-name"]))[0] == 0
    for name, root in roots.items():
        subprocess.run([HANDBOOK, "build", "--markdown-out", str(tmp_path / f"out-{name}")], cwd=root, check=True)
    by_id, by_name = _files(tmp_path / "out-by-id"), _files(tmp_path / "out-by-name")
    assert by_name == by_id
    assert any("支部委员会会议".encode() in page for page in by_name.values())
    # handbook fmt writes the ids, and leaves the comment and the id already there alone.
    status, out, _ = run_cli(capsys, "fmt", "--check", "--root", str(roots["by-name"]))
    assert status == 1
    assert "modules/meetings.yml:5:11: 三会一课 → meetings" in out
    assert "modules/meetings.yml:6:15: 党支部书记 → secretary" in out
    assert "modules/meetings.yml:7:17: 支部委员会 → committee" in out
    assert run_cli(capsys, "fmt", "--root", str(roots["by-name"]))[0] == 0
    fixed = (roots["by-name"] / "modules/meetings.yml").read_text(encoding="utf-8")
    assert fixed == MEETINGS_BY_ID.replace("item: meetings\n", "item: meetings  # 事项标题\n")


def test_a_meeting_with_an_unknown_role_name_gets_the_closest_names(tmp_path: Path, capsys):
    root = _project(tmp_path, "p", by_name=False)
    (root / "modules/meetings.yml").write_text(MEETINGS_BY_NAME.replace("党支部书记", "支部书记"), encoding="utf-8")
    status, out, err = run_cli(capsys, "validate", "--root", str(root))
    assert status == 1
    text = out + err
    assert "modules/meetings.yml:6:" in text
    assert "您是否想写 `党支部书记`（secretary）" in text
