"""Check one file's shape against its class and explain every mismatch in Chinese."""

from __future__ import annotations

import difflib
import re
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Collector, Diagnostic, diagnostic
from .hints import explain_id
from .source import LogicalPath, SourceFile, format_path

_TYPE_EXPECTED = {
    "string_type": "文字",
    "int_type": "整数",
    "int_parsing": "整数",
    "int_from_float": "整数",
    "float_type": "数字",
    "float_parsing": "数字",
    "bool_type": "true 或 false",
    "bool_parsing": "true 或 false",
    "list_type": "列表（每项一行，以“- ”开头）",
    "dict_type": "若干“字段: 值”",
    "model_type": "若干“字段: 值”",
    "model_attributes_type": "若干“字段: 值”",
}


def validate_shape(source: SourceFile, cls: type[BaseModel], errors: Collector) -> BaseModel | None:
    """Validate ``source.data`` as ``cls``; on mistakes add diagnostics and return ``None``."""
    if not isinstance(source.data, dict):
        example = next(iter(cls.model_fields))
        errors.add(
            diagnostic("not-a-mapping", file=source.rel, line=1, column=1, example=example, found=describe(source.data))
        )
        return None
    try:
        return cls.model_validate(source.data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            errors.add(_explain(err, source, cls))
        return None


def describe(value: Any) -> str:
    """What an editor wrote, in words: 文字“…”, 数字 3, 列表, …"""
    if value is None:
        return "空值（什么也没写）"
    if isinstance(value, bool):
        return f"是非值 {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:20] + "…"
        return f"文字“{shown}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "若干“字段: 值”"
    return type(value).__name__


def suggest(word: str, choices: list[str] | tuple[str, ...], *, what: str = "") -> str:
    """'您是否想写 `steps`？' for a near miss, else the list of choices."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f"您是否想写 `{close[0]}`？"
    if not choices:
        return f"目前还没有任何{what}。" if what else ""
    shown = "、".join(f"`{c}`" for c in list(choices)[:12])
    more = " 等" if len(choices) > 12 else ""
    return f"可以写的有：{shown}{more}。"


@cache
def _json_schema(cls: type[BaseModel]) -> dict[str, Any]:
    return cls.model_json_schema()


def schema_at(cls: type[BaseModel], path: LogicalPath) -> dict[str, Any]:
    """The JSON Schema node that describes ``path`` inside a file of class ``cls``."""
    root = _json_schema(cls)
    node = root
    for part in path:
        node = _resolve(root, node)
        if isinstance(part, int):
            node = node.get("items", {})
        elif part in node.get("properties", {}):
            node = node["properties"][part]
        elif isinstance(node.get("additionalProperties"), dict):
            node = node["additionalProperties"]
        else:
            return {}
    return _resolve(root, node)


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while True:
        if "$ref" in node:
            node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node:
            options = [o for o in node["anyOf"] if o.get("type") != "null"]
            node = {**{k: v for k, v in node.items() if k != "anyOf"}, **options[0]} if options else {}
        else:
            return node


def _explain(err: dict[str, Any], source: SourceFile, cls: type[BaseModel]) -> Diagnostic:
    loc: LogicalPath = tuple(err["loc"])
    kind = err["type"]
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        loc = loc[:-1]
    key = _name(loc)
    here = {"file": source.rel, "path": format_path(loc)}

    if kind == "missing":
        mark = source.mark(loc[:-1], key=True)
        meaning = schema_at(cls, loc).get("description", "").rstrip("。") or "必填"
        return diagnostic("missing-field", line=mark.line, column=mark.column, key=key, meaning=meaning, **here)

    if kind == "extra_forbidden":
        mark = source.mark(loc, key=True)
        allowed = tuple(schema_at(cls, loc[:-1]).get("properties", {}))
        return diagnostic(
            "unknown-key", line=mark.line, column=mark.column, key=key, suggestion=suggest(str(loc[-1]), allowed), **here
        )

    mark = source.mark(loc, key=is_key)
    value = loc[-1] if is_key else err.get("input")
    if kind == "string_pattern_mismatch":
        if "issued" == key:
            return diagnostic(
                "bad-value", line=mark.line, column=mark.column, key=key, value=value,
                hint="日期请写成 \"2018-10-28\"、\"2018-10\" 或 \"2018\"。", **here,
            )
        slip = explain_id(key, value) if isinstance(value, str) else None
        if slip is not None:
            name, fields, offset = slip
            return diagnostic(name, line=mark.line, column=mark.column + offset, **fields, **here)
        return diagnostic("bad-id", line=mark.line, column=mark.column, value=value, **here)

    if kind in _TYPE_EXPECTED:
        expected = _TYPE_EXPECTED[kind]
        return diagnostic(
            "wrong-type", line=mark.line, column=mark.column, key=key, expected=expected,
            found=describe(value), hint=_type_hint(expected, value), **here,
        )

    if kind in ("literal_error", "enum"):
        allowed = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        description = schema_at(cls, loc).get("description", "")
        hint = suggest(str(value), allowed)
        if description and not hint.startswith("您是否"):
            hint = description
        return diagnostic("bad-value", line=mark.line, column=mark.column, key=key, value=value, hint=hint, **here)

    return diagnostic(
        "bad-value", line=mark.line, column=mark.column, key=key, value=_short(value),
        hint=_constraint_hint(kind, err.get("ctx", {})), **here,
    )


def _name(loc: LogicalPath) -> str:
    """The field an editor would call it: ``steps[2]`` for list entries, else the key."""
    if not loc:
        return "（文件）"
    if isinstance(loc[-1], int):
        return format_path(loc[-2:]) if len(loc) > 1 else f"[{loc[-1]}]"
    return str(loc[-1])


def _short(value: Any) -> str:
    text = "（空）" if value is None else str(value)
    return text if len(text) <= 30 else text[:30] + "…"


def _type_hint(expected: str, value: Any) -> str:
    if value is None:
        return "这里不能留空：请在冒号后填写内容，或删除这一行。"
    if expected == "文字" and isinstance(value, bool):
        return "YAML 会把 yes、no、on、off、true、false 当成是非值；要写文字请加引号，如 \"否\"。"
    if expected == "文字" and isinstance(value, (int, float)):
        return f"要写成文字请加引号，如 \"{value}\"。"
    if expected == "文字" and isinstance(value, (list, dict)):
        return "这里只写一段文字；如果文字里有冒号加空格或以“- ”开头，请给整段文字加引号。"
    if expected.startswith("列表"):
        return "请写成列表：下一行缩进后，每项以“- ”开头。"
    if expected.startswith("若干"):
        return "这里应换行缩进，写成若干行“字段: 值”；如果只写了一段文字，可能是冒号后漏了空格或用了全角冒号。"
    if expected in ("整数", "数字"):
        return "请只写阿拉伯数字，不加单位、不加引号。"
    if expected == "true 或 false":
        return "请写 true（是）或 false（否）。"
    return ""


def _constraint_hint(kind: str, ctx: dict[str, Any]) -> str:
    if kind == "string_too_short":
        return "不能为空，请填写内容。"
    if kind == "too_short":
        return f"至少要写 {ctx.get('min_length', 1)} 项。"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字符。"
    if kind == "greater_than":
        return f"应大于 {ctx.get('gt')}。"
    if kind == "greater_than_equal":
        return f"应不小于 {ctx.get('ge')}。"
    if kind == "less_than":
        return f"应小于 {ctx.get('lt')}。"
    if kind == "less_than_equal":
        return f"应不大于 {ctx.get('le')}。"
    return "请对照编辑指南检查这一项的写法。"
