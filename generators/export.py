"""The whole validated model as one JSON document, for other systems to import."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .model import Model
from .model.editor_schema import strip_titles
from .model import schema as s
from .model.timenodes import parse_time_node

SCHEMA_VERSION = 1


# The exported document's shape, declared with the same classes the YAML is checked with, so the
# published JSON Schema cannot drift from what ``handbook export`` writes.
class TimeNodeOut(BaseModel):
    model_config = s.zh_config("解析后的时间节点。")

    text: str = Field(description="时间节点原文。")
    kind: str = Field(description="calendar（日历）/ event（随事项）/ as_needed（按需）/ per_term（每届）。")
    months: list[int] = Field(description="落在哪些月份（1–12）。")
    day: int | None = Field(description="当月完成日；-1 表示月底；空表示当月内。")


class ItemOut(s.WorkItem):
    model_config = ConfigDict(extra="forbid")

    schedule: list[TimeNodeOut] = Field(description="time_nodes 逐条解析的结果。")


class SectionOut(s.SectionFile):
    model_config = ConfigDict(extra="forbid")

    id: s.Slug = Field(description="手册部分的标识。")
    items: list[ItemOut] = Field(description="本部分的工作事项。")


class HandbookOut(s.HandbookFile):
    model_config = ConfigDict(extra="forbid")

    id: s.Slug = Field(description="手册的标识。")
    sections: list[SectionOut] = Field(description="手册的各部分，按顺序。")


class BranchTypeOut(s.BranchTypeFile):
    model_config = ConfigDict(extra="forbid")

    id: s.Slug = Field(description="支部类型的标识。")


class ExportDocument(BaseModel):
    model_config = s.zh_config("党建标准化工作手册的全部内容（handbook export 的输出）。")

    schema_version: int = Field(description="本格式的版本号。")
    site: s.SiteSettings = Field(description="站点设置。")
    roles: list[s.Role] = Field(description="角色。")
    documents: list[s.Document] = Field(description="依据文件。")
    glossary: list[s.GlossaryTerm] = Field(description="术语。")
    forms: list[s.RecordForm] = Field(description="记录表。")
    branch_types: list[BranchTypeOut] = Field(description="支部类型。")
    handbooks: list[HandbookOut] = Field(description="手册。")
    rubric: s.RubricFile | None = Field(description="考核评比细则。")


def export_schema() -> dict[str, Any]:
    schema = strip_titles(ExportDocument.model_json_schema(mode="serialization"))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "handbook.schema.json", **schema}


def _schedule(texts: list[str]) -> list[dict[str, Any]]:
    out = []
    for text in texts:
        node = parse_time_node(text)
        if node is not None:
            out.append({"text": node.text, "kind": node.kind, "months": list(node.months), "day": node.day})
    return out


def export_model(model: Model) -> dict[str, Any]:
    """The model as plain data: handbooks in site order, everything else in file order."""

    def dump(spec) -> dict[str, Any]:
        return spec.model_dump(mode="json")

    return {
        "schema_version": SCHEMA_VERSION,
        "site": dump(model.site),
        "roles": [dump(r) for r in model.roles.values()],
        "documents": [dump(d) for d in model.documents.values()],
        "glossary": [dump(t) for t in model.terms.values()],
        "forms": [dump(f) for f in model.forms.values()],
        "branch_types": [{"id": bt.id, **dump(bt.spec)} for bt in model.branch_types.values()],
        "handbooks": [
            {
                "id": hb.id,
                **{k: v for k, v in dump(hb.spec).items() if k != "sections"},
                "sections": [
                    {
                        "id": sec.id,
                        **{k: v for k, v in dump(sec.spec).items() if k != "items"},
                        "items": [{**dump(i), "schedule": _schedule(i.time_nodes)} for i in sec.items],
                    }
                    for sec in hb.sections
                ],
            }
            for hb in model.handbooks.values()
        ],
        "rubric": dump(model.rubric) if model.rubric else None,
    }


def export_json(model: Model) -> str:
    """Stable text: keys sorted, Chinese kept readable, a final newline."""
    return json.dumps(export_model(model), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@cache  # the schema is the code's: a preview rebuild need not work it out again
def export_schema_json() -> str:
    return json.dumps(export_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
