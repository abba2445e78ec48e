"""The JSON Schema editors' tools use: current, complete, in Chinese, and agreeing with the loader."""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

import jsonschema
import pytest
import yaml

from conftest import ROOT
from generators.model.editor_schema import file_schema, stale_schemas, vscode_mapping
from generators.model.project import FILE_CLASSES, classify, yaml_files

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_committed_schemas_are_current():
    assert stale_schemas() == [], "run: handbook schema --write"


def test_vscode_maps_every_kind_to_its_schema():
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == vscode_mapping(ROOT)
    for schema_file in settings["yaml.schemas"]:
        assert (ROOT / schema_file).is_file()


def _schemas_with_properties(node):
    if isinstance(node, dict):
        if "properties" in node:
            yield node
        for key, value in node.items():
            if key not in ("examples", "default"):
                yield from _schemas_with_properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas_with_properties(value)


@pytest.mark.parametrize("kind", list(FILE_CLASSES))
def test_every_field_has_a_chinese_description(kind: str):
    schema = file_schema(kind)
    assert CJK.search(schema["title"])
    checked = 0
    for node in _schemas_with_properties(schema):
        assert CJK.search(node.get("description", "")), node
        for name, prop in node["properties"].items():
            assert CJK.search(prop.get("description", "")), f"{kind}: {name}"
            checked += 1
    assert checked > 0


def _shipped_files():
    for path in yaml_files(ROOT):
        kind, _ = classify(PurePosixPath(path.relative_to(ROOT).as_posix()))
        yield pytest.param(path, kind, id=path.relative_to(ROOT).as_posix())


@pytest.mark.parametrize(("path", "kind"), list(_shipped_files()))
def test_shipped_files_satisfy_their_schema(path: Path, kind: str):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, file_schema(kind))


def test_schema_rejects_what_the_loader_rejects():
    bad = {"title": "x", "kind": "element", "items": [{"id": "Bad_Id", "setps": 1}]}
    errors = list(jsonschema.Draft202012Validator(file_schema("section")).iter_errors(bad))
    messages = " ".join(e.message for e in errors)
    assert "Bad_Id" in messages and "setps" in messages
