"""The editor guide: every field of every kind of file, from the same JSON Schema editors' tools use."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..model.editor_schema import KIND_TITLES, file_schema
from ..model.project import FILE_CLASSES, FILE_GLOBS
from ..model.schema import REF_PATTERN, SLUG_PATTERN


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str
    required: bool
    description: str
    example: str


@dataclass(frozen=True)
class ObjectDoc:
    name: str
    anchor: str
    description: str
    fields: list[FieldDoc]


@dataclass(frozen=True)
class KindDoc:
    kind: str
    title: str
    globs: list[str]
    objects: list[ObjectDoc]


def _type(node: dict[str, Any], defs: dict[str, str]) -> str:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return f"{defs.get(name, name)}（见下）"
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        return _type(options[0], defs) if options else "空值"
    if "enum" in node:
        return "可选值之一：" + "、".join(f"`{v}`" for v in node["enum"])
    kind = node.get("type")
    if isinstance(kind, list):  # an optional value: [string, null]
        kind = next((k for k in kind if k != "null"), None)
    if kind == "array":
        return "列表，每项为" + _type(node.get("items", {}), defs)
    if kind == "object":
        return "若干“标识: 值”，值为" + _type(node.get("additionalProperties", {}), defs)
    if kind == "string" and node.get("pattern") == SLUG_PATTERN:
        return "标识（小写英文、数字、连字符）"
    if kind == "string" and node.get("pattern") == REF_PATTERN:
        return "标识或中文名称"
    return {"string": "文字", "integer": "整数", "number": "数字", "boolean": "是非（true 或 false）"}.get(kind, "值")


def _example(node: dict[str, Any]) -> str:
    for key in ("examples",):
        if node.get(key):
            return json.dumps(node[key][0], ensure_ascii=False)
    if "default" in node and node["default"] not in (None, [], {}):
        return f"默认 {json.dumps(node['default'], ensure_ascii=False)}"
    return ""


def _object(name: str, anchor: str, node: dict[str, Any], defs: dict[str, str]) -> ObjectDoc:
    required = set(node.get("required", []))
    fields = [
        FieldDoc(field, _type(prop, defs), field in required, prop.get("description", ""), _example(prop))
        for field, prop in node.get("properties", {}).items()
    ]
    return ObjectDoc(name, anchor, node.get("description", ""), fields)


@cache  # the fields are the code's, not the content's: worked out once per process
def guide_context() -> tuple[KindDoc, ...]:
    kinds = []
    for kind in FILE_CLASSES:
        schema = file_schema(kind)
        defs = {name: sub.get("description", name).split("：")[0].rstrip("。") for name, sub in schema.get("$defs", {}).items()}
        objects = [_object(KIND_TITLES[kind], f"{kind}", schema, defs)]
        objects += [_object(defs[name], f"{kind}-{name.lower()}", sub, defs) for name, sub in schema.get("$defs", {}).items()]
        kinds.append(KindDoc(kind, KIND_TITLES[kind], FILE_GLOBS[kind], objects))
    return tuple(kinds)
