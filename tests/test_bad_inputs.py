"""The bad-input corpus: every kind of editor mistake gives its code, file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import validate_json

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def test_corpus_is_large_enough():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case: str, minimal_project: Path, capsys):
    shutil.copytree(CORPUS / case / "modules", minimal_project / "modules", dirs_exist_ok=True)
    expected = yaml.safe_load((CORPUS / case / "expected.yml").read_text(encoding="utf-8"))["expected"]

    status, found = validate_json(capsys, minimal_project)

    assert status == (1 if expected else 0)
    assert sorted((d["code"], d["file"], d["line"]) for d in found) == sorted(
        (e["code"], e["file"], e["line"]) for e in expected
    )
    for want in expected:
        if want.get("hint"):
            match = [d for d in found if (d["code"], d["line"]) == (want["code"], want["line"])][0]
            assert want["hint"] in match["message"] + match["hint"]
    for d in found:
        assert d["column"] >= 1 and d["message"] and d["hint"]
        assert set(d) == {"file", "line", "column", "path", "code", "message", "hint"}
