"""The lists an editor picks from: every id a field may refer to, with its Chinese name, in the JSON Schemas.

An editor's YAML extension completes a reference field (``owner:``, ``forms:``, a branch type in
``applies_to``…) from its ``enum`` and shows each value's Chinese name beside it
(``markdownEnumDescriptions``, ``enumDescriptions``). The names themselves are in the list too, since
the loader accepts them (:mod:`generators.model.names`). Every pattern and list carries a Chinese
message for when a value does not fit (``patternErrorMessage``, ``errorMessage``), so the editor never
shows a regular expression.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .model import Model
from .references import KINDS
from .schema import (
    EMPHASIS_LABELS,
    FREQUENCY_LABELS,
    REF_PATTERN,
    ROLE_GROUP_LABELS,
    SECTION_KIND_LABELS,
    SLUG_PATTERN,
    STEP_KIND_LABELS,
)

# (class, field) → the kind of id the field refers to.
REFERENCE_FIELDS: dict[tuple[str, str], str] = {
    ("Citation", "doc"): "document",
    ("SiteSettings", "handbooks"): "handbook",
    ("SiteSettings", "branch_types"): "branch-type",
    ("GlossaryTerm", "see_also"): "term",
    ("RubricLine", "assesses"): "item",
    ("KeyTask", "items"): "item",
    ("HandbookFile", "sections"): "section",
    ("Step", "role"): "role",
    ("Step", "procedure"): "item",
    ("WorkItem", "owner"): "role",
    ("WorkItem", "participants"): "role",
    ("WorkItem", "forms"): "form",
    ("WorkItem", "applies_to"): "branch-type",
    ("WorkItem", "terms"): "term",
    ("WorkItem", "related"): "item",
    ("Edition", "handbook"): "handbook",
    ("Edition", "branch_type"): "branch-type",
    ("SpecNode", "handbook"): "handbook",
    ("SpecNode", "section"): "section",
    ("SpecNode", "item"): "item",
    ("Meeting", "item"): "item",
    ("Meeting", "convener"): "role",
    ("Meeting", "attendees"): "role",
    ("WorkItem", "rules"): "rule",
    ("Step", "rules"): "rule",
    ("KeyTask", "rules"): "rule",
    ("WorkItem", "audiences"): "audience",
    ("Edition", "audience"): "audience",
}
# Kinds whose names are accepted only in some fields (elsewhere the list holds the ids alone).
NAMED_ONLY_IN: dict[str, set[tuple[str, str]]] = {
    "item": {("Meeting", "item")},  # other item references sit beside step ids in a procedure
    "rule": set(),
    "audience": set(),
}

# What a value that fits no pattern should have looked like, in words.
PATTERN_MESSAGES = {
    SLUG_PATTERN: "标识只能用小写英文字母、数字和连字符“-”，以字母开头，如 three-meetings；中文名称请写在 title 或 name 字段里。",
    REF_PATTERN: "请写标识（小写英文字母、数字和连字符）或中文名称；名称中不能有空格（注意全角空格）。",
    r"^\d{4}(-\d{2}(-\d{2})?)?$": "日期请写成 \"2018-10-28\"、\"2018-10\" 或 \"2018\"（加半角引号）。",
    r"^#[0-9a-fA-F]{6}$": "颜色请写成 # 加六位十六进制数，如 \"#a61b1b\"（加半角引号）。",
    r"^[a-z0-9][a-z0-9/_-]*/?$": "请写站内路径：小写英文字母、数字、“-”“_”和“/”，如 guide/。",
}
GENERIC_PATTERN_MESSAGE = "写法不符合要求，请对照字段说明修改。"


def choices(model: Model) -> dict[str, list[tuple[str, str]]]:
    """Kind → (value, its Chinese description) for every id and then every unambiguous name."""
    named: dict[str, list[tuple[str, list[str]]]] = {
        "role": [(r.id, [r.name, *r.aliases]) for r in model.roles.values()],
        "document": [(d.id, [d.title, *([d.short] if d.short else [])]) for d in model.documents.values()],
        "term": [(t.id, [t.term, *t.aliases]) for t in model.terms.values()],
        "form": [(f.id, [f.title, *f.aliases]) for f in model.forms.values()],
        "branch-type": [(b.id, [b.name, *b.spec.aliases]) for b in model.branch_types.values()],
        "handbook": [(h.id, [h.title, h.spec.short]) for h in model.handbooks.values()],
        "section": [(s.id, [s.title]) for h in model.handbooks.values() for s in h.sections],
        "item": [(i.id, [i.title]) for i in model.items.values()],
        "rule": [(r.id, [r.title]) for r in model.rules.values()],
        "audience": [(a.id, [a.name]) for h in model.handbooks.values() for a in h.spec.audiences],
    }
    out: dict[str, list[tuple[str, str]]] = {}
    for kind, entries in named.items():
        entries = list({ident: (ident, names) for ident, names in entries}.values())
        ids = {ident for ident, _ in entries}
        counts = Counter(name for _, names in entries for name in set(names))
        out[kind] = [(ident, names[0]) for ident, names in entries]
        out[kind + NAMES] = out[kind] + [
            (name, f"即 {ident}（{names[0]}）" if name != names[0] else f"即 {ident}")
            for ident, names in entries for name in dict.fromkeys(names)
            if counts[name] == 1 and name not in ids and " " not in name and "\u3000" not in name
        ]
    return out


NAMES = "+names"  # a list key: the ids, then the names that may be written instead


def add_lists(schema: dict[str, Any], root_class: str, model: Model | None) -> dict[str, Any]:
    """``schema`` with Chinese messages for every pattern and, given a model, the lists of ids and names."""
    lists = choices(model) if model is not None else {}
    nodes = {root_class: schema, **schema.get("$defs", {})}
    for cls, node in nodes.items():
        for field, prop in node.get("properties", {}).items():
            kind = REFERENCE_FIELDS.get((cls, field))
            if kind in lists:
                named = kind not in NAMED_ONLY_IN or (cls, field) in NAMED_ONLY_IN[kind]
                node["properties"][field] = _listed(prop, kind, lists[kind + NAMES if named else kind], named)
    _explain_patterns(schema)
    if model is not None:
        for node in nodes.values():
            _explain_required(node)
    return schema


def _explain_required(node: dict[str, Any]) -> None:
    """Required fields as conditions that name the field in Chinese.

    Workaround: the YAML language server reports a missing field in English ("Missing property")
    whatever the schema says. A condition "if the field is absent, the value must be null" fails on
    a mapping and reports the condition's own message instead; the loader checks the same thing.
    """
    required = node.pop("required", [])
    if not required:
        return
    conditions = []
    for field in required:
        meaning = node.get("properties", {}).get(field, {}).get("description", "").split("：")[0].rstrip("。")
        conditions.append({
            "if": {"required": [field]},
            "else": {"type": "null", "errorMessage": f"缺少必填字段 {field}（{meaning}）：请补上“{field}: …”。"},
        })
    node["allOf"] = node.get("allOf", []) + conditions


def _enum(kind: str, values: list[tuple[str, str]], named: bool = True) -> dict[str, Any]:
    what, where = KINDS[kind]
    may = "可写中文名称或标识" if named else "请写标识"
    return {
        "type": "string",
        "enum": [v for v, _ in values],
        "enumDescriptions": [d for _, d in values],
        "markdownEnumDescriptions": [f"**{d}**" if not d.startswith("即 ") else d for _, d in values],
        "errorMessage": f"没有这个{what}：请从列表中选择（{may}；{where}）。",
    }


def _listed(prop: dict[str, Any], kind: str, values: list[tuple[str, str]], named: bool = True) -> dict[str, Any]:
    """The field's schema with its string values replaced by the list (lists, optional values and mapping keys kept)."""
    out = {k: v for k, v in prop.items() if k != "examples"}
    enum = _enum(kind, values, named)
    if "anyOf" in out:
        out["anyOf"] = [enum if o.get("type") == "string" else o for o in out["anyOf"]]
    elif out.get("type") == "array":
        out["items"] = enum
    elif out.get("type") == "object":  # applies_to: the keys are branch types
        value = next(iter(out.pop("patternProperties", {}).values()), {})
        out["properties"] = {v: {**value, "description": d} for v, d in values}
        out["additionalProperties"] = False
    else:
        out.update(enum)
        out.pop("pattern", None)
        out.pop("maxLength", None)
    return out


# Chinese words for the fixed values of the model (frequency, step kind, …), shown beside each value.
VALUE_LABELS: list[dict[str, str]] = [
    FREQUENCY_LABELS, EMPHASIS_LABELS, ROLE_GROUP_LABELS, STEP_KIND_LABELS, SECTION_KIND_LABELS,
    {"committee": "党委", "project": "项目党建", "branch": "党支部", "member": "党员教育管理"},
    {"text": "单行文字", "multiline": "多行文字", "date": "日期", "number": "数字", "signature": "签字",
     "choice": "选项", "checkbox": "勾选"},
    {"normal": "普通", "accent": "强调", "muted": "次要"},
    {"LR": "从左到右", "TB": "从上到下"},
    {"A4": "A4 纸", "A5": "A5 纸"},
]
TYPE_MESSAGES = {
    "string": "这里应写一段文字。yes、no、on、off、true、false 和纯数字要加半角双引号才是文字，如 \"no\"、\"1.0\"；"
              "文字里有“: ”或以“- ”开头时，也请给整段文字加半角双引号。",
    "boolean": "请写 true（是）或 false（否），不加引号。",
    "integer": "请只写整数（阿拉伯数字），不加单位、不加引号。",
    "number": "请只写数字，不加单位、不加引号。",
    "array": "请写成列表：下一行缩进后每项以“- ”开头，或写在方括号里，如 [甲, 乙]。",
}


def _explain_patterns(node: Any) -> None:
    if isinstance(node, dict):
        _merge_optional(node)
        if isinstance(node.get("pattern"), str):
            node["patternErrorMessage"] = PATTERN_MESSAGES.get(node["pattern"], GENERIC_PATTERN_MESSAGE)
        if isinstance(node.get("enum"), list) and "errorMessage" not in node:
            values = node["enum"]
            table = next((t for t in VALUE_LABELS if all(v in t for v in values)), {})
            labels = [table.get(v, "") for v in values]
            if all(labels):
                node["enumDescriptions"] = labels
            shown = "、".join(f"{v}（{label}）" if label else str(v) for v, label in zip(values, labels))
            node["errorMessage"] = f"只能写下列值之一：{shown}。"
        kind = node.get("type")
        kind = kind[0] if isinstance(kind, list) else kind
        if kind in TYPE_MESSAGES and "errorMessage" not in node:
            node["errorMessage"] = TYPE_MESSAGES[kind]
        for key, value in node.items():
            if key not in ("examples", "default", "enum", "const"):
                _explain_patterns(value)
    elif isinstance(node, list):
        for value in node:
            _explain_patterns(value)


def _merge_optional(node: dict[str, Any]) -> None:
    """``anyOf: [{type: string, …}, {type: null}]`` → ``{type: [string, null], …}``.

    Workaround: for a value that fits neither, the YAML language server merges the two alternatives'
    complaints into its own English sentence and drops their messages; one schema keeps ours.
    """
    options = node.get("anyOf")
    if not isinstance(options, list) or len(options) != 2 or {"type": "null"} not in options:
        return
    other = next(o for o in options if o != {"type": "null"})
    if not isinstance(other.get("type"), str) or "$ref" in other:
        return
    del node["anyOf"]
    node.update({**other, "type": [other["type"], "null"]})
