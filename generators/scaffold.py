"""``handbook new item``: add a commented work-item skeleton to a section file.

The skeleton is inserted as text at the end of the section's ``items`` list, so
every other line of the file, its comments and its order stay exactly as the
editor wrote them (a YAML round-trip library would re-indent and re-quote).
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import CODES, ContentError, Diagnostic, UsageError
from .fsutil import write_atomic
from .model import Model, load_model
from .model.placeholders import placeholder
from .model.schema import SLUG_PATTERN

SKELETON = """\
- id: {id}  # 事项的标识：小写英文字母、数字和连字符，其他地方用它引用这个事项
  title: {title}  # 事项名称，是页面的标题
  summary: {p_summary}  # 一句话概述（用不到可删除这一行）
  requirement: {p_requirement}  # 工作要求
  owner: {owner}  # 责任主体：角色的名称或标识（见 modules/roles.yml）
  participants: []  # 参与或配合的角色，可写名称，如 [{role_example}]
  frequency: as_needed  # 频次：monthly 每月 / quarterly 每季度 / half_yearly 每半年 / yearly 每年 / per_term 每届 / as_needed 按需 / ongoing 经常性 / once 一次性
  time_nodes: [按需]  # 时间节点，照原文写，可写多个，如 [每月, 每年1月底前]；能识别的写法见站点的“编写指南”
  basis: []  # 依据文件及条款，写法如下（去掉 # 号）：
  #  - doc: {doc_example}  # 依据文件的名称或标识（见 modules/documents.yml）
  #    articles: [第十九条]  # 条款，照原文写
  records: []  # 形成的台账或记录，如 [会议记录]
  forms: []  # 用到的记录表，可写表名（见 modules/forms.yml）
  applies_to: {{}}  # 适用的支部类型及侧重，如 {{项目型: emphasised}}（required 必做 / emphasised 重点 / optional 可选）；不写表示全部类型都必做
  audiences: []  # 适用的读者对象标识（党员教育管理手册用）；不写表示全部
  terms: []  # 相关术语，可写术语本身，如 [三会一课]
  related: []  # 相关工作事项的标识
  sample: false  # 是否为示例：法规没有直接规定、由本单位设计的内容写 true
  rules: []  # 这项工作适用的规则（频次、到会人数、时限等只在 modules/rules.yml 写一次），写规则的标识
  procedure:  # 工作流程：按先后写出步骤，每步用 next 写下一步的标识；判断和“退回修改”的写法见“编写指南”
    phases: []  # 阶段（可不写），如 [{{id: prepare, title: 会前准备}}]；步骤用 phase 写所属阶段
    steps:
      - id: start  # 步骤的标识，在本流程内唯一
        kind: start  # 步骤类型：start 开始 / task 工作步骤 / decision 判断 / subprocess 子流程 / end 结束
        title: 开始  # 流程图框里的简短名称
        next: prepare  # 下一步的标识
      - id: prepare
        kind: task
        title: {p_step}
        role: {owner}  # 承担这一步的角色；不写则为责任主体
        description: {p_description}  # 工作内容
        time_limit: {p_time_limit}  # 时限
        output: {p_output}  # 产出
        next: finish  # 判断步骤不写 next，改写 branches: [{{label: 通过, next: …}}, {{label: 不通过, next: …, loop_back: true}}]
      - id: finish
        kind: end
        title: 结束
"""
PLACEHOLDERS = {
    "p_summary": placeholder("一句话概述这项工作"),
    "p_requirement": placeholder("工作要求——做什么、做到什么程度"),
    "p_step": placeholder("第一步的名称"),
    "p_description": placeholder("这一步具体做什么"),
    "p_time_limit": placeholder("时限，如“会前3天”；没有时限请删除这一行"),
    "p_output": placeholder("产出，如“会议通知”；没有请删除这一行"),
}


@dataclass
class Added:
    file: str
    line: int
    placeholders: list[Diagnostic]  # what the editor must still write, as ``handbook validate`` reports it


def new_item(root: Path, section: str, item_id: str, title: str | None = None, owner: str | None = None) -> Added:
    """Append a skeleton item ``item_id`` to ``section`` (its id or its title); return where it went.

    ``owner`` is a role's id, name or alias.
    """
    if not re.match(SLUG_PATTERN, item_id):
        raise UsageError(f"标识 `{item_id}` 不符合要求：只能用小写英文字母、数字和连字符“-”，以字母开头，如 `heart-to-heart-talk`。")
    try:
        # Items added before and not yet written out (placeholders left) do not stop adding another.
        model = load_model(root, placeholders_allowed=True)
    except ContentError as exc:
        raise ContentError(exc.diagnostics) from None

    path = _section_file(root, model, section)
    if item_id in model.items:
        where = model.item_source(item_id)
        raise UsageError(f"工作事项标识 `{item_id}` 已在 {where} 中使用，请换一个。")
    role = _role(model, owner) if owner else _default_owner(model, path.stem)
    names = [r.name for r in model.roles.values()].count(model.roles[role].name)
    written_owner = model.roles[role].name if names == 1 else role

    examples = {
        "role_example": next((r.name for r in model.roles.values() if r.id != role), written_owner),
        "doc_example": next((d.title for d in model.documents.values()), "《中国共产党支部工作条例（试行）》"),
    }
    skeleton = SKELETON.format(
        id=item_id, title=json.dumps(title, ensure_ascii=False) if title else placeholder("事项名称"),
        owner=written_owner, **PLACEHOLDERS, **examples,
    )
    original = path.read_text(encoding="utf-8-sig")
    text, line = _insert(original, skeleton)
    write_atomic(path, text)
    rel = path.relative_to(root).as_posix()
    left: list[Diagnostic] = []
    try:
        load_model(root)
    except ContentError as exc:
        placeholders = [d for d in exc.diagnostics if d.code == CODES["placeholder"].code]
        left = [d for d in placeholders if d.file == rel and line <= d.line < line + skeleton.count("\n")]
        if len(placeholders) != len(exc.diagnostics):
            write_atomic(path, original)
            raise
    return Added(file=rel, line=line, placeholders=left)


def _section_file(root: Path, model: Model, wanted: str) -> Path:
    """The file of the section whose id or title is ``wanted``."""
    sections = {s.id: s for h in model.handbooks.values() for s in h.sections}
    by_title: dict[str, list[str]] = {}
    for sid, sec in sections.items():
        by_title.setdefault(sec.title, []).append(sid)
    found = [wanted] if wanted in sections else by_title.get(wanted.strip(), [])
    if len(found) == 1:
        return root / sections[found[0]].source
    if found:
        lines = [f"手册部分“{wanted}”不止一个，请写其中一个的标识：{'、'.join(found)}。各手册的部分："]
    else:
        close = difflib.get_close_matches(wanted, list(sections) + list(by_title), n=3, cutoff=0.5)
        hint = "您是否想写 " + " 或 ".join(f"`{c}`" for c in close) + "？\n" if close else ""
        lines = [f"找不到手册部分“{wanted}”。{hint}可以写部分的名称或标识（括号中）："]
    for handbook in model.handbooks.values():
        listed = "、".join(f"{s.title}（{s.id}）" for s in handbook.sections)
        lines.append(f"  {handbook.title}：{listed}")
    raise UsageError("\n".join(lines))


def _role(model: Model, wanted: str) -> str:
    """The id of the role whose id, name or alias is ``wanted``."""
    if wanted in model.roles:
        return wanted
    found = {r.id for r in model.roles.values() if wanted.strip() in (r.name, *r.aliases)}
    if len(found) == 1:
        return found.pop()
    choices = {r.id: r.id for r in model.roles.values()} | {r.name: r.id for r in model.roles.values()}
    close = difflib.get_close_matches(wanted, list(choices), n=3, cutoff=0.5)
    if close:
        hint = "您是否想写 " + " 或 ".join(f"`{c}`" if c == choices[c] else f"`{c}`（{choices[c]}）" for c in close) + "？"
    else:
        hint = "可以写的有：" + "、".join(f"{r.name}（{r.id}）" for r in model.roles.values()) + "。"
    raise UsageError(f"找不到角色“{wanted}”。{hint}")


def _default_owner(model: Model, section_id: str) -> str:
    """The role that owns most items of the section already; the first role for an empty section."""
    owners = Counter(item.owner for item in model.items.values() if model.section_of(item.id).id == section_id)
    return owners.most_common(1)[0][0] if owners else next(iter(model.roles))


def _insert(text: str, skeleton: str) -> tuple[str, int]:
    """The new text and the 1-based line where the skeleton starts."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    items_key = items = None
    for key, value in root.value:
        if key.value == "items":
            items_key, items = key, value
    if items is None:
        prefix = "" if text.endswith("\n") or not text else "\n"
        block = "items:\n" + _indent(skeleton, 2)
        return text + prefix + block, text.count("\n") + (2 if prefix else 1) + 1

    if isinstance(items, yaml.SequenceNode) and items.value and not items.flow_style:
        first = items.value[0]
        line_text = text.splitlines()[first.start_mark.line]
        dash = line_text.rfind("-", 0, first.start_mark.column)
        end = _last_end(items.value[-1])
        at = end.index if end.column == 0 else _next_line(text, end.index)
        if at == len(text) and not text.endswith("\n"):
            text += "\n"
            at += 1
        return text[:at] + _indent(skeleton, dash) + text[at:], text.count("\n", 0, at) + 1

    if isinstance(items, yaml.SequenceNode) and items.value:
        raise UsageError("这个文件的 items 用方括号写在一行里，无法自动添加；请改成每项一行（以“- ”开头）的写法后再试。")
    # ``items:`` with nothing, or ``items: []``: rewrite that one line as the head of a block list.
    line_no, column = items_key.start_mark.line, items_key.start_mark.column
    lines = text.splitlines(keepends=True)
    lines[line_no] = " " * column + "items:\n" + _indent(skeleton, column + 2)
    return "".join(lines), line_no + 2


def _last_end(node: yaml.Node) -> yaml.Mark:
    """The end of the last value written inside ``node`` (before any trailing comment lines)."""
    while True:
        if isinstance(node, yaml.MappingNode) and node.value:
            node = node.value[-1][1]
        elif isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
            node = node.value[-1]
        else:
            return node.end_mark


def _next_line(text: str, index: int) -> int:
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _indent(block: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + line if line.strip() else line for line in block.splitlines(keepends=True))
