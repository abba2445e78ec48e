"""The handbook command as editors and CI call it: exit statuses, Chinese output, no tracebacks."""

from __future__ import annotations

import re

import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, validate_json

HANDBOOK = [sys.executable, "-m", "generators.cli"]


def handbook(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*HANDBOOK, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_shipped_content_validates_clean():
    result = handbook("validate")
    assert result.returncode == 0, result.stderr
    assert "检查通过" in result.stdout


def test_export_is_json_and_stable():
    first = handbook("export")
    second = handbook("export")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["schema_version"] == 1
    assert [h["id"] for h in data["handbooks"]] == ["committee", "project", "branch", "member"]
    tool = subprocess.run([sys.executable, "-m", "json.tool"], input=first.stdout, capture_output=True, text=True)
    assert tool.returncode == 0


def test_export_keys_are_sorted(capsys):
    status, out, _ = run_cli(capsys, "export", "--root", str(ROOT))
    assert status == 0
    data = json.loads(out)
    assert list(data) == sorted(data)
    item = data["handbooks"][0]["sections"][0]["items"][0]
    assert list(item) == sorted(item)


def test_bad_content_exits_1_with_chinese_text_and_no_traceback(minimal_project: Path):
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    sec.write_text(sec.read_text(encoding="utf-8").replace("owner: secretary", "owner: secretry"), encoding="utf-8")
    result = handbook("validate", "--root", str(minimal_project))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "modules/handbooks/hb/sec.yml:7:12: 错误 HB133: 找不到角色 `secretry`" in result.stderr
    assert "您是否想写 `secretary`（党支部书记）？" in result.stderr
    assert "    7 |     owner: secretry" in result.stderr


def test_json_format_on_clean_content_is_empty_list(capsys, minimal_project: Path):
    assert validate_json(capsys, minimal_project) == (0, [])


def test_errors_are_sorted_by_file_and_line(capsys, minimal_project: Path):
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    text = sec.read_text(encoding="utf-8")
    sec.write_text(text.replace("next: end", "next: ending").replace("owner: secretary", "owner: x"), encoding="utf-8")
    (minimal_project / "modules/roles.yml").write_text("roles:\n  - id: secretary\n    name: 书记\n    group: nobody\n", encoding="utf-8")
    status, found = validate_json(capsys, minimal_project)
    assert status == 1
    keys = [(d["file"], d["line"], d["column"]) for d in found]
    assert keys == sorted(keys)
    assert {d["file"] for d in found} == {"modules/roles.yml", "modules/handbooks/hb/sec.yml"}


@pytest.mark.parametrize(
    "args",
    [["frobnicate"], ["validate", "--format", "xml"], ["validate", "--nope"], ["new", "item", "--id", "x"], []],
)
def test_usage_errors_exit_2_in_chinese(args: list[str]):
    result = handbook(*args)
    assert result.returncode == 2
    assert "错误" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_command_suggests_the_right_one():
    result = handbook("valdate")
    assert result.returncode == 2
    assert "您是否想写 `validate`？" in result.stderr


@pytest.mark.parametrize("command", [[], ["validate"], ["export"], ["schema"], ["new"], ["new", "item"]])
def test_help_works_in_chinese(command: list[str]):
    result = handbook(*command, "--help")
    assert result.returncode == 0
    assert "用法：" in result.stdout and "显示本帮助并退出" in result.stdout
    english = re.findall(r"(?<![-\w])(?:show|exit|program|version|number|arguments?|options?|usage)\b", result.stdout, re.I)
    assert english == [], english


def test_version_help_and_output():
    assert "--version   显示版本号并退出" in handbook("--help").stdout
    result = handbook("--version")
    assert result.returncode == 0 and result.stdout.startswith("handbook ")


def test_missing_site_file_is_explained(tmp_path: Path, capsys):
    status, found = validate_json(capsys, tmp_path)
    assert status == 1
    assert [(d["code"], d["file"]) for d in found] == [("HB105", "modules/site.yml")]


def test_huge_file_is_rejected_quickly_with_bounded_memory(minimal_project: Path, capsys):
    huge = minimal_project / "modules/glossary.yml"
    line = "  - id: term\n    term: 术语\n    definition: " + "很长的释义" * 20 + "\n"
    with huge.open("w", encoding="utf-8") as handle:
        handle.write("terms:\n")
        while handle.tell() < 20 * 1024 * 1024:
            handle.write(line)
    tracemalloc.start()
    started = time.perf_counter()
    status, found = validate_json(capsys, minimal_project)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert status == 1
    assert [(d["code"], d["file"], d["line"]) for d in found] == [("HB102", "modules/glossary.yml", 1)]
    assert elapsed < 5
    assert peak < 50 * 1024 * 1024


def test_alias_bomb_is_rejected_with_bounded_memory(minimal_project: Path, capsys):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    (minimal_project / "modules/glossary.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tracemalloc.start()
    status, found = validate_json(capsys, minimal_project)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert status == 1
    assert [d["code"] for d in found] == ["HB117"]
    assert peak < 200 * 1024 * 1024


def test_recursive_alias_is_rejected(minimal_project: Path, capsys):
    (minimal_project / "modules/glossary.yml").write_text("terms: &a\n  - *a\n", encoding="utf-8")
    status, found = validate_json(capsys, minimal_project)
    assert status == 1
    assert [d["code"] for d in found] == ["HB117"]
