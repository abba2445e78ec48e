"""Mutated YAML never makes the loader raise anything but a positioned ContentError."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from generators.errors import ContentError
from generators.model import load_model

SECTION = "modules/handbooks/hb/sec.yml"
ORIGINAL = (FIXTURES / "minimal" / SECTION).read_text(encoding="utf-8")
TRICKY = list(":：-\t\u3000\"'[]{}|>&*!%@`#,?\n ") + ["\ufeff", "\x00", "\x85", "\u2028", "\udcff", "是", "否", "…"]


@st.composite
def mutated(draw) -> str:
    text = ORIGINAL
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "truncate", "duplicate-line", "swap-lines", "retype"]))
        if op == "insert":
            piece = draw(st.one_of(st.sampled_from(TRICKY), st.text(max_size=6)))
            text = text[:pos] + piece + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)):]
        elif op == "truncate":
            text = text[:pos]
        else:
            lines = text.splitlines(keepends=True) or [""]
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if op == "duplicate-line":
                lines.insert(j, lines[i])
            elif op == "swap-lines":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                key, sep, _ = lines[i].partition(": ")
                value = draw(st.sampled_from(["[]", "{}", "~", "1.5", "yes", "-3", "[a, [b]]", '"x"', "&a x", "*a"]))
                lines[i] = f"{key}{sep or ': '}{value}\n"
            text = "".join(lines)
    return text


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutated())
def test_mutated_yaml_gives_positioned_errors_or_a_model(tmp_path_factory, text: str):
    project = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(FIXTURES / "minimal", project, dirs_exist_ok=True)
    (project / SECTION).write_bytes(text.encode("utf-8", "surrogateescape"))
    try:
        load_model(project)
    except ContentError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert d.file.startswith("modules/") and d.line >= 1 and d.column >= 1
            assert d.code.startswith("HB") and d.message and d.hint
