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


@pytest.fixture(scope="module")
def model():
    from generators.model import load_model

    return load_model(ROOT)


def test_committed_schemas_are_current(model):
    assert stale_schemas(model) == [], "run: handbook schema --write"


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
def test_shipped_files_satisfy_their_schema(path: Path, kind: str, model):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, file_schema(kind))
    jsonschema.validate(data, file_schema(kind, model))


def _nodes(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key not in ("examples", "default", "enum"):
                yield from _nodes(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _nodes(value, path + (i,))


@pytest.mark.parametrize("kind", list(FILE_CLASSES))
def test_every_reference_lists_its_ids_with_chinese_names_and_no_message_is_a_regex(kind: str, model):
    from generators.model.schema_lists import REFERENCE_FIELDS

    schema = json.loads((ROOT / f"generators/schemas/{kind}.schema.json").read_text(encoding="utf-8"))
    classes = {FILE_CLASSES[kind].__name__: schema, **schema.get("$defs", {})}
    for (cls, field), ref_kind in REFERENCE_FIELDS.items():
        if cls not in classes:
            continue
        prop = classes[cls]["properties"][field]
        listed = prop.get("items") or prop
        if prop.get("type") == "object":  # branch types as the keys of applies_to
            assert "alpha" not in prop["properties"] and prop["additionalProperties"] is False
            assert all(CJK.search(p["description"]) for p in prop["properties"].values())
            continue
        assert listed["enum"], (cls, field)
        assert len(listed["enumDescriptions"]) == len(listed["markdownEnumDescriptions"]) == len(listed["enum"])
        assert all(CJK.search(d) for d in listed["enumDescriptions"]), (cls, field)
        assert CJK.search(listed["errorMessage"])
    if kind == "section":
        owner = schema["$defs"]["WorkItem"]["properties"]["owner"]
        roles = model.roles
        assert [v for v in owner["enum"] if v in roles] == list(roles)  # every role, in the editors' order
        assert owner["enumDescriptions"][0] == next(iter(roles.values())).name
        assert "党支部书记" in owner["enum"]  # names may be written too
        related = schema["$defs"]["WorkItem"]["properties"]["related"]["items"]
        assert set(related["enum"]) == set(model.items)  # item references in sections are ids only
        rules = schema["$defs"]["WorkItem"]["properties"]["rules"]["items"]
        assert set(rules["enum"]) == set(model.rules) and "pattern" not in rules
    if kind == "meetings":
        meeting = schema["$defs"]["Meeting"]["properties"]
        assert "党委书记" in meeting["convener"]["enum"] and "党委书记" in meeting["attendees"]["items"]["enum"]
        item = next(i for i in model.items.values() if i.id == "committee-meeting")
        assert {item.id, item.title} <= set(meeting["item"]["enum"])
    for path, node in _nodes(schema):
        if "pattern" in node:
            assert CJK.search(node.get("patternErrorMessage", "")), (kind, path)
        if "enum" in node:
            assert CJK.search(node.get("errorMessage", "")), (kind, path)
        if isinstance(node.get("required"), list) and path[-1:] != ("if",):  # a condition reports nothing itself
            pytest.fail(f"{kind} {path}: a required list gives an English message in the editor")


def test_editor_reads_yaml_1_1_like_the_loader():
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.yamlVersion"] == "1.1"


def test_schema_rejects_what_the_loader_rejects():
    bad = {"title": "x", "kind": "element", "items": [{"id": "Bad_Id", "setps": 1}]}
    errors = list(jsonschema.Draft202012Validator(file_schema("section")).iter_errors(bad))
    messages = " ".join(e.message for e in errors)
    assert "Bad_Id" in messages and "setps" in messages
