"""``handbook new item``: add a commented work-item skeleton to a section file.

The skeleton is inserted as text at the end of the section's ``items`` list, so
every other line of the file, its comments and its order stay exactly as the
editor wrote them (a YAML round-trip library would re-indent and re-quote).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from .errors import ContentError, UsageError
from .fsutil import write_atomic
from .model import Model, load_model
from .model.project import classify, yaml_files
from .model.schema import SLUG_PATTERN
from .model.shape import suggest

SKELETON = """\
- id: {id}
  title: {title}  # 事项名称
  summary: 请用一句话概述这项工作。
  requirement: 请填写工作要求：做什么、做到什么程度、由谁负责。
  owner: {owner}  # 责任主体：modules/roles.yml 中角色的标识
  participants: []  # 参与或配合的角色标识，如 [branch-committee]
  frequency: as_needed  # 频次：monthly 每月 / quarterly 每季度 / yearly 每年 / as_needed 按需 ……
  time_nodes:  # 时间节点，照原文写，如“每月”“会后5个工作日内”
    - 按需
  basis: []  # 依据，如 - doc: branch-regulations（另起一行缩进写 articles: [第十九条]）
  records: []  # 形成的台账或记录，如 [会议记录]
  forms: []  # 用到的记录表标识（见 modules/forms.yml）
  procedure:  # 工作流程：按先后写出步骤；判断步骤用 kind: decision 和 branches
    steps:
      - id: start
        kind: start
        title: 开始
        next: prepare
      - id: prepare
        title: 请填写第一步
        description: 这一步具体做什么。
        next: finish
      - id: finish
        kind: end
        title: 结束
"""


@dataclass
class Added:
    file: str
    line: int


def new_item(root: Path, section_id: str, item_id: str, title: str | None = None, owner: str | None = None) -> Added:
    """Append a skeleton item ``item_id`` to section ``section_id``; return where it went."""
    if not re.match(SLUG_PATTERN, item_id):
        raise UsageError(f"标识 `{item_id}` 不符合要求：只能用小写英文字母、数字和连字符“-”，以字母开头，如 `heart-to-heart-talk`。")
    try:
        model = load_model(root)
    except ContentError as exc:
        raise ContentError(exc.diagnostics) from None

    path = _section_file(root, section_id)
    if item_id in model.items:
        where = model.item_source(item_id)
        raise UsageError(f"工作事项标识 `{item_id}` 已在 {where} 中使用，请换一个。")
    owner = owner or _default_owner(model, path.stem)
    if owner not in model.roles:
        raise UsageError(f"找不到角色 `{owner}`。{suggest(owner, list(model.roles))}")

    skeleton = SKELETON.format(
        id=item_id, title=json.dumps(title or "新工作事项（请修改名称）", ensure_ascii=False), owner=owner
    )
    original = path.read_text(encoding="utf-8-sig")
    text, line = _insert(original, skeleton)
    write_atomic(path, text)
    try:
        load_model(root)
    except ContentError:
        write_atomic(path, original)
        raise
    return Added(file=path.relative_to(root).as_posix(), line=line)


def _section_file(root: Path, section_id: str) -> Path:
    sections = {}
    for path in yaml_files(root):
        place = classify(PurePosixPath(path.relative_to(root).as_posix()))
        if place and place[0] == "section":
            sections[place[1]] = path
    if section_id not in sections:
        raise UsageError(f"找不到手册部分 `{section_id}`。{suggest(section_id, sorted(sections))}")
    return sections[section_id]


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
