"""The 编写指南 page: its worked example is valid content, its time-node wordings are understood."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, validate_json
from generators.model import load_model
from generators.model.timenodes import parse_time_node
from generators.pages.writing import EXAMPLE, TIME_NODE_EXAMPLES


def test_the_worked_example_is_valid_and_has_a_decision_and_a_loop_back(minimal_project: Path, capsys):
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    sec.write_text(sec.read_text(encoding="utf-8") + EXAMPLE, encoding="utf-8")
    assert validate_json(capsys, minimal_project) == (0, [])
    item = load_model(minimal_project).items["committee-meeting-example"]
    assert item.owner == "secretary"  # written as 党支部书记
    decision = [s for s in item.procedure.steps if s.kind == "decision"][0]
    assert [(b.label, b.loop_back) for b in decision.branches] == [("齐备", False), ("退回修改", True)]
    assert {s.phase for s in item.procedure.steps} == {"prepare", "meet"}


def test_every_time_node_wording_shown_is_understood():
    for wordings, _ in TIME_NODE_EXAMPLES:
        for wording in wordings.split(" / "):
            assert parse_time_node(wording) is not None, wording


def test_the_guide_explains_every_field_of_an_item_and_a_step(tmp_path: Path):
    from generators.model.schema import Branch, Step, WorkItem
    from generators.site.build import build_markdown

    out = build_markdown(ROOT, tmp_path / "md")
    page = (out / "guide/writing/index.md").read_text(encoding="utf-8")
    for cls in (WorkItem, Step, Branch):
        for field in cls.model_fields:
            assert f"<code>{field.replace('_', '&#95;')}</code>" in page, field
    for words in ("退回修改", "loop_back: true", "每年1月底前", "HB153", "handbook fmt", "kind: decision"):
        assert words in page, words
    assert "guide/writing/" in (ROOT / "content/editing.md").read_text(encoding="utf-8")
    assert "编写指南" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_editor_half_explains_the_same():
    from generators.model.schema import Step, WorkItem

    editor_half = (ROOT / "README.md").read_text(encoding="utf-8").split("## For developers")[0]
    assert EXAMPLE in editor_half
    for cls in (WorkItem, Step):
        for field in cls.model_fields:
            assert f"`{field}`" in editor_half, field
    for wordings, _ in TIME_NODE_EXAMPLES:
        for wording in wordings.split(" / "):
            assert wording in editor_half, wording
