"""The 编写指南 page: how to write a work item and its procedure, with a worked example.

The field tables come from the same JSON Schema editors' tools use; the example is real YAML that
the tests load; the time-node wordings are the ones the loader understands.
"""

from __future__ import annotations

from markupsafe import escape

from ..model.editor_schema import file_schema
from ..model.schema_lists import REFERENCE_FIELDS
from ..model.timenodes import SHAPES
from .guide import ObjectDoc, _object

# A work item with phases, a decision and a 退回修改 loop-back; roles written by their Chinese names.
EXAMPLE = """\
  - id: committee-meeting-example
    title: 支部委员会会议
    summary: 支部委员会集体研究决定支部的重要事项。
    requirement: 每月至少召开一次；议题会前确定并通知到每位委员；会议形成记录。
    owner: 党支部书记
    participants: [支部委员会]
    frequency: monthly
    time_nodes: [每月]
    records: [会议记录]
    sample: true
    procedure:
      phases:
        - {id: prepare, title: 会前准备}
        - {id: meet, title: 召开会议}
      steps:
        - id: start
          kind: start
          title: 开始
          phase: prepare
          next: draft
        - id: draft
          title: 拟定议题
          phase: prepare
          description: 书记征求委员意见，拟定会议议题，准备材料。
          time_limit: 会前3天
          output: 会议议题
          next: review
        - id: review
          kind: decision
          title: 议题材料齐备？
          role: 支部委员会
          phase: prepare
          branches:
            - label: 齐备
              next: hold
            - label: 退回修改
              next: draft
              loop_back: true
        - id: hold
          title: 召开会议研究
          role: 支部委员会
          phase: meet
          output: 会议记录
          next: end
        - id: end
          kind: end
          title: 结束
          phase: meet
"""

# Wordings of time nodes the loader understands, one per shape (the tests parse each one).
TIME_NODE_EXAMPLES: list[tuple[str, str]] = [
    ("每月", "每个月都要做，没有固定日期"),
    ("每月10日前", "每月 10 日前完成（1—28 日）"),
    ("每月上旬 / 每月中旬 / 每月下旬", "每月的某一旬"),
    ("每月底前", "每月最后一天前"),
    ("每季度", "每季度末前完成"),
    ("每季度首月 / 每季度末月", "每季度的第一个月或最后一个月"),
    ("每半年", "6 月底、12 月底前"),
    ("每年上半年 / 每年下半年", "6 月底前或 12 月底前"),
    ("每年", "年底前"),
    ("每年3月", "某一个月内"),
    ("每年1月底前", "某月底前"),
    ("每年6月30日前", "某月某日前"),
    ("每年第一季度", "某季度末前（一至四季度）"),
    ("每年年初 / 每年年底", "1 月或 12 月"),
    ("每届", "每届任期一次"),
    ("按需", "需要时再做，没有固定时间"),
    ("项目开工时", "某件事发生时"),
    ("会后5个工作日内", "某件事之后的期限（工作日、日、天、周、个月）"),
    ("换届前3个月", "某件事之前的期限"),
    ("每月（支部委员会会议）", "任何写法后可加全角括号说明"),
]

_ITEM_OBJECTS = ("WorkItem", "Citation", "Procedure", "Phase", "Step", "Branch")


def writing_context() -> dict[str, object]:
    schema = file_schema("section")
    defs = {name: sub.get("description", name).split("：")[0].rstrip("。") for name, sub in schema["$defs"].items()}
    objects: list[ObjectDoc] = [
        _object(defs[name], f"writing-{name.lower()}", schema["$defs"][name], defs) for name in _ITEM_OBJECTS
    ]
    by_name = sorted({field for (cls, field), kind in REFERENCE_FIELDS.items() if cls in _ITEM_OBJECTS and kind != "item"})
    return {
        "objects": {o.anchor.removeprefix("writing-"): o for o in objects},
        "example": escape(EXAMPLE),  # shown as it is, in a <pre> block
        "time_nodes": TIME_NODE_EXAMPLES,
        "shapes": SHAPES,
        "by_name": by_name,
    }
