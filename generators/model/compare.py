"""The 修订对照表: what changed between two models, per handbook, section, item, field and step.

:func:`compare` matches handbooks, sections, items and procedure steps by id, compares what each
field *means* (ids of roles and documents, not their display names; the flow between steps, not
the ``next`` keys an inserted step had to touch), and returns a :class:`Comparison` that every view
(site page, PDF, JSON, terminal) only renders. Reformatting YAML (comments, key order, quoting)
changes nothing here. Changed text is split into words with jieba, so the views highlight words,
not single characters.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from typing import Callable, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field

from .model import Handbook, Model, Section
from .schema import (
    EMPHASIS_LABELS,
    FREQUENCY_LABELS,
    ROLE_GROUP_LABELS,
    STEP_KIND_LABELS,
    Citation,
    Procedure,
    Step,
    WorkItem,
)

ChangeKind = Literal["added", "removed", "changed", "moved"]
CHANGE_LABELS: dict[str, str] = {"added": "新增", "removed": "删除", "changed": "修改", "moved": "移动"}
SEQUENTIAL = "\0next-in-order"  # a transition to the step that follows in the list, in either revision


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Out):
    """A run of words of one side of a changed text: unchanged, or removed (old side) / added (new side)."""

    kind: Literal["same", "removed", "added"]
    text: str


class FieldChange(_Out):
    """One field whose meaning changed, old text beside new (empty when the thing was added or removed)."""

    field: str = Field(description="字段名，如 time_nodes。")
    label: str = Field(description="字段的中文名称。")
    old: str = Field(description="原文。")
    new: str = Field(description="修订后。")
    old_spans: list[Span] = Field(description="原文，分词标出删除的部分。")
    new_spans: list[Span] = Field(description="修订后，分词标出新增的部分。")


class StepChange(_Out):
    kind: ChangeKind
    id: str = Field(description="步骤标识（修订后的；删除的步骤为原标识）。")
    title: str
    old_position: int | None = Field(description="原来是第几步（从 1 起）。")
    new_position: int | None = Field(description="修订后是第几步。")
    fields: list[FieldChange]


class ItemChange(_Out):
    kind: ChangeKind
    id: str
    title: str
    old_place: str = Field(description="原来所在的手册和部分，如“支部手册 › 组织管理”；新增的为空。")
    new_place: str = Field(description="修订后所在的手册和部分；删除的为空。")
    fields: list[FieldChange]
    steps: list[StepChange]
    branch_types: list[str] = Field(description="在任一版本中适用的支部类型标识（只对支部手册的事项）。")


class PartChange(_Out):
    """A handbook or section itself added, removed, moved or with changed attributes."""

    kind: ChangeKind
    fields: list[FieldChange]


class SectionGroup(_Out):
    id: str
    title: str
    change: PartChange | None
    items: list[ItemChange]


class HandbookGroup(_Out):
    id: str
    title: str
    kind: str = Field(description="手册类别：committee / project / branch / member。")
    change: PartChange | None
    sections: list[SectionGroup]


class EntryChange(_Out):
    """A document, role, term, form, rubric line or branch type (or its key task) added, removed or changed."""

    kind: ChangeKind
    id: str
    title: str
    fields: list[FieldChange]
    branch_type: str | None = Field(default=None, description="属于哪一支部类型（支部类型及其重点任务）。")


class RegistryGroup(_Out):
    id: str = Field(description="documents / roles / terms / forms / rubric / branch-types。")
    title: str
    entries: list[EntryChange]


class RevisionInfo(_Out):
    spec: str = Field(description="版本的写法，如 v2026、提交号或 WORKTREE。")
    label: str = Field(description="显示给读者的名称。")
    commit: str | None = Field(description="提交号；工作区为空。")
    date: str
    subject: str
    edition: str = Field(description="该版本的版次，如“2026 年版 1.0”。")


class Comparison(_Out):
    """Everything that changed from ``old`` to ``new``; empty when nothing meaningful did."""

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra={"description": "两个版本之间的修订对照表。"})

    old: RevisionInfo
    new: RevisionInfo
    handbooks: list[HandbookGroup]
    registries: list[RegistryGroup] = Field(default_factory=list, description="手册以外的内容：依据文件、角色、术语、记录表、考核细则、支部类型。")
    branch_type: str | None = Field(default=None, description="只列适用于这一支部类型的修订时，类型的标识。")
    branch_types: dict[str, str] = Field(description="修订后各支部类型的标识和名称，供按类型筛选。")

    @property
    def empty(self) -> bool:
        return not self.handbooks and not self.registries

    def items(self) -> Iterable[ItemChange]:
        return (i for h in self.handbooks for s in h.sections for i in s.items)

    def counts(self) -> dict[str, int]:
        """How many items were added, removed, changed and moved (the summary line of the table)."""
        found = {kind: 0 for kind in CHANGE_LABELS}
        for item in self.items():
            found[item.kind] += 1
        return found

    def for_branch_type(self, type_id: str) -> "Comparison":
        """Only what changed for one branch type: items of the branch handbook that apply to it in either revision."""
        handbooks = []
        for hb in self.handbooks:
            if hb.kind != "branch":
                continue
            sections = []
            for sec in hb.sections:
                items = [i for i in sec.items if type_id in i.branch_types]
                if items or sec.change:
                    sections.append(sec.model_copy(update={"items": items}))
            if sections or hb.change:
                handbooks.append(hb.model_copy(update={"sections": sections}))
        # Of the other content, a branch reads its own type and the assessment rubric.
        registries = []
        for group in self.registries:
            entries = [e for e in group.entries if group.id == "rubric" or e.branch_type == type_id]
            if entries:
                registries.append(group.model_copy(update={"entries": entries}))
        return self.model_copy(update={"handbooks": handbooks, "registries": registries, "branch_type": type_id})


# ---------------------------------------------------------------- word-level highlighting


@cache
def _tokenizer():
    from ..segmenter import load_dictionary, quiet_jieba

    tokenizer = quiet_jieba().Tokenizer()
    load_dictionary(tokenizer)
    return tokenizer


_known_words: set[str] = set()  # the project's own terms, kept whole (三会一课, 党支部书记)
_added_words: set[str] = set()


def _segment(text: str) -> list[str]:
    tokenizer = _tokenizer()
    for word in sorted(_known_words - _added_words):
        tokenizer.add_word(word, freq=100000)
        _added_words.add(word)
    return tokenizer.lcut(text)


def keep_whole(model: Model) -> None:
    """Let the segmenter keep the model's glossary terms and role names whole."""
    found = {t.term for t in model.terms.values()} | {a for t in model.terms.values() for a in t.aliases}
    found |= {r.name for r in model.roles.values()}
    _known_words.update(w for w in found if 2 <= len(w) <= 12 and not re.search(r"\s", w))


_PROTECTED = re.compile(r"第[一二三四五六七八九十百零〇\d]+[条款项章节]|\d+(?:\.\d+)?")


def words(text: str) -> list[str]:
    """``text`` cut into words: jieba for Chinese, article numbers (第十九条) and numbers kept whole."""
    out: list[str] = []
    position = 0
    for match in _PROTECTED.finditer(text):
        out += _segment(text[position:match.start()]) if match.start() > position else []
        out.append(match.group(0))
        position = match.end()
    if position < len(text):
        out += _segment(text[position:])
    return out


def word_diff(old: str, new: str) -> tuple[list[Span], list[Span]]:
    """Both texts as spans, the words only one of them has marked removed / added."""
    if not old or not new or old == new:
        return ([Span(kind="same" if old == new else "removed", text=old)] if old else [],
                [Span(kind="same" if old == new else "added", text=new)] if new else [])
    a, b = words(old), words(new)
    old_spans: list[Span] = []
    new_spans: list[Span] = []

    def add(spans: list[Span], kind: str, text: str) -> None:
        if not text:
            return
        if spans and spans[-1].kind == kind:
            spans[-1] = Span(kind=kind, text=spans[-1].text + text)
        else:
            spans.append(Span(kind=kind, text=text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add(old_spans, "same", "".join(a[i1:i2]))
            add(new_spans, "same", "".join(b[j1:j2]))
        else:
            add(old_spans, "removed", "".join(a[i1:i2]))
            add(new_spans, "added", "".join(b[j1:j2]))
    return old_spans, new_spans


def field_change(name: str, label: str, old: str, new: str) -> FieldChange:
    old_spans, new_spans = word_diff(old, new)
    return FieldChange(field=name, label=label, old=old, new=new, old_spans=old_spans, new_spans=new_spans)


# ---------------------------------------------------------------- what each field means


class _Side:
    """One revision's model, with the display text of what its ids name."""

    def __init__(self, model: Model):
        self.model = model

    def role(self, rid: str | None) -> str:
        role = self.model.roles.get(rid or "")
        return role.name if role else (rid or "")

    def citation(self, c: Citation) -> str:
        doc = self.model.documents.get(c.doc)
        text = doc.title if doc else c.doc
        if c.articles:
            text += " " + "、".join(c.articles)
        return text + (f"：{c.note}" if c.note else "")

    def place(self, section: Section) -> str:
        return f"{self.model.handbooks[section.handbook_id].spec.short} › {section.title}"


# A field: its name, its label, and for one side (model, value) → (what it means, how it reads).
Reader = Callable[[_Side, WorkItem], tuple[object, str]]


def _text(value: str | None) -> tuple[object, str]:
    return value or "", value or ""


def _listed(values: list, show: Callable[[object], str] = str, sep: str = "；") -> tuple[object, str]:
    return tuple(values), sep.join(show(v) for v in values)


def _citations(side: _Side, cites: list[Citation]) -> tuple[object, str]:
    return tuple((c.doc, tuple(c.articles), c.note) for c in cites), "\n".join(side.citation(c) for c in cites)


def _applies(side: _Side, item: WorkItem) -> tuple[object, str]:
    from .model import emphasis_of

    levels = {t: emphasis_of(item, t) for t in side.model.branch_types}
    shown = "；".join(f"{bt.name}：{EMPHASIS_LABELS[levels[t]]}" for t, bt in side.model.branch_types.items() if levels[t])
    return tuple(sorted((t, lv) for t, lv in levels.items() if lv)), shown or "不适用于任何类型"


ITEM_FIELDS: list[tuple[str, str, Reader]] = [
    ("title", "名称", lambda s, i: _text(i.title)),
    ("summary", "概述", lambda s, i: _text(i.summary)),
    ("requirement", "工作要求", lambda s, i: _text(i.requirement)),
    ("owner", "责任主体", lambda s, i: (i.owner, s.role(i.owner))),
    ("participants", "参与和配合", lambda s, i: _listed(i.participants, s.role, "、")),
    ("frequency", "频次", lambda s, i: (i.frequency, FREQUENCY_LABELS[i.frequency])),
    ("time_nodes", "时间节点", lambda s, i: _listed(i.time_nodes)),
    ("basis", "依据", lambda s, i: _citations(s, i.basis)),
    ("records", "台账和记录", lambda s, i: _listed(i.records)),
    ("forms", "记录表", lambda s, i: _listed(i.forms, lambda f: s.model.forms[f].title if f in s.model.forms else f, "、")),
    ("applies_to", "适用支部类型", _applies),
    ("audiences", "适用对象", lambda s, i: _listed(i.audiences, sep="、")),
    ("terms", "术语", lambda s, i: _listed(i.terms, lambda t: s.model.terms[t].term if t in s.model.terms else t, "、")),
    ("related", "相关事项", lambda s, i: _listed(i.related, lambda r: s.model.items[r].title if r in s.model.items else r, "、")),
    ("sample", "示例", lambda s, i: (i.sample, "是（示例做法）" if i.sample else "否")),
    ("phases", "阶段", lambda s, i: _listed([p.title for p in i.procedure.phases] if i.procedure else [], sep="、")),
]


def _fields(old: tuple[_Side, WorkItem] | None, new: tuple[_Side, WorkItem] | None,
            readers: list[tuple[str, str, Reader]]) -> list[FieldChange]:
    """Fields whose meaning differs; all non-empty fields of the side that exists when the other does not."""
    changes = []
    for name, label, read in readers:
        was = read(*old) if old else (None, "")
        now = read(*new) if new else (None, "")
        if was[0] != now[0] and (was[1] or now[1]):
            if (old is None or new is None) and (name in ("title", "sample", "next") or now[0] == "task"):
                continue  # an added or removed thing shows its title and place already; "示例：否" says nothing
            changes.append(field_change(name, label, was[1], now[1]))
    return changes


# ---------------------------------------------------------------- procedure steps


class _Flow:
    """One revision's procedure seen against the other: where each step leads, skipping the steps
    only this revision has, with "the next one in the list" written as :data:`SEQUENTIAL`."""

    def __init__(self, side: _Side, procedure: Procedure, common: list[str], rename: dict[str, str]):
        self.side = side
        self.steps = {s.id: s for s in procedure.steps}
        self.rename = rename  # this revision's id → the shared id
        self.common = common  # shared ids, in this revision's order
        self.phases = {p.id: p.title for p in procedure.phases}

    def target(self, sid: str | None, after: str) -> str:
        """The shared step reached from ``sid`` (following steps only this revision has), or SEQUENTIAL."""
        seen = set()
        while sid and self.rename.get(sid, sid) not in self.common and sid in self.steps and sid not in seen:
            seen.add(sid)
            step = self.steps[sid]
            if step.next is None:
                break
            sid = step.next
        shared = self.rename.get(sid or "", sid or "")
        if shared in self.common:
            here = self.common.index(after) if after in self.common else -1
            if here + 1 < len(self.common) and self.common[here + 1] == shared:
                return SEQUENTIAL
        return shared

    def title_of(self, shared: str) -> str:
        if shared == SEQUENTIAL:
            return "（按顺序进入下一步）"
        for sid, step in self.steps.items():
            if self.rename.get(sid, sid) == shared:
                return step.title
        return shared

    def readers(self, shared: str) -> list[tuple[str, str, Callable]]:
        def nxt(_s, step: Step):
            if step.kind in ("end", "decision"):
                return None, ""
            goal = self.target(step.next, shared)
            return (goal, step.loop_back), self.title_of(goal) + ("（退回）" if step.loop_back else "")

        def branches(_s, step: Step):
            found = [(b.label or "", self.target(b.next, shared), b.loop_back) for b in step.branches]
            return tuple(found), "；".join(f"{label or '（无标签）'} → {self.title_of(goal)}" for label, goal, _ in found)

        side = self.side
        return [
            ("title", "名称", lambda _s, st: _text(st.title)),
            ("kind", "类型", lambda _s, st: (st.kind, STEP_KIND_LABELS[st.kind])),
            ("role", "承担角色", lambda _s, st: (st.role, side.role(st.role) if st.role else "（事项的责任主体）")),
            ("phase", "阶段", lambda _s, st: (st.phase, self.phases.get(st.phase or "", st.phase or ""))),
            ("description", "工作内容", lambda _s, st: _text(st.description)),
            ("time_limit", "时限", lambda _s, st: _text(st.time_limit)),
            ("output", "产出", lambda _s, st: _text(st.output)),
            ("next", "下一步", nxt),
            ("branches", "判断分支", branches),
            ("procedure", "子流程", lambda _s, st: (st.procedure, side.model.items[st.procedure].title
                                                   if st.procedure in side.model.items else (st.procedure or ""))),
            ("basis", "依据", lambda _s, st: _citations(side, st.basis)),
        ]


def compare_steps(old: tuple[_Side, WorkItem], new: tuple[_Side, WorkItem]) -> list[StepChange]:
    """Steps added, removed, moved (reordered) or changed, matched by id, then renamed ids by identical title."""
    old_proc = old[1].procedure or Procedure.model_construct(phases=[], steps=[])
    new_proc = new[1].procedure or Procedure.model_construct(phases=[], steps=[])
    old_ids = [s.id for s in old_proc.steps]
    new_ids = [s.id for s in new_proc.steps]
    old_steps = {s.id: s for s in old_proc.steps}
    new_steps = {s.id: s for s in new_proc.steps}
    # A step whose id was renamed, with the same title and kind, is the same step.
    rename_old: dict[str, str] = {}
    lonely_new = [s for s in new_proc.steps if s.id not in old_steps]
    for sid in old_ids:
        if sid in new_steps:
            continue
        twin = next((s for s in lonely_new if s.title == old_steps[sid].title and s.kind == old_steps[sid].kind), None)
        if twin is not None:
            rename_old[sid] = twin.id
            lonely_new.remove(twin)
    shared_old = [rename_old.get(sid, sid) for sid in old_ids if rename_old.get(sid, sid) in new_steps]
    shared_new = [sid for sid in new_ids if sid in shared_old]
    # Reordered: the shared steps outside the longest run kept in order.
    matcher = difflib.SequenceMatcher(None, shared_old, shared_new, autojunk=False)
    in_order = {sid for block in matcher.get_matching_blocks() for sid in shared_new[block.b:block.b + block.size]}
    old_flow = _Flow(old[0], old_proc, shared_old, rename_old)
    new_flow = _Flow(new[0], new_proc, shared_new, {})
    back = {v: k for k, v in rename_old.items()}

    changes: list[StepChange] = []
    for position, sid in enumerate(new_ids, start=1):
        step = new_steps[sid]
        if sid not in shared_new:
            fields = _fields(None, (new[0], step), new_flow.readers(sid))
            changes.append(StepChange(kind="added", id=sid, title=step.title, old_position=None,
                                      new_position=position, fields=fields))
            continue
        old_id = back.get(sid, sid)
        was = old_steps[old_id]
        fields = []
        if old_id != sid:
            fields.append(field_change("id", "标识", old_id, sid))
        old_readers = {name: read for name, _, read in old_flow.readers(sid)}
        for name, label, read in new_flow.readers(sid):
            a, b = old_readers[name](None, was), read(None, step)
            if a[0] != b[0] and (a[1] or b[1]):
                fields.append(field_change(name, label, a[1], b[1]))
        moved = sid not in in_order
        if moved or fields:
            changes.append(StepChange(kind="moved" if moved else "changed", id=sid, title=step.title,
                                      old_position=old_ids.index(old_id) + 1, new_position=position, fields=fields))
    for position, sid in enumerate(old_ids, start=1):
        if rename_old.get(sid, sid) not in new_steps:
            step = old_steps[sid]
            fields = _fields((old[0], step), None, old_flow.readers(sid))
            changes.append(StepChange(kind="removed", id=sid, title=step.title, old_position=position,
                                      new_position=None, fields=fields))
    return changes


def _steps_text(item: WorkItem) -> str:
    return " → ".join(s.title for s in item.procedure.steps) if item.procedure else ""


# ---------------------------------------------------------------- items, sections, handbooks


def _branch_types(side: _Side, item: WorkItem, handbook: Handbook) -> set[str]:
    from .model import emphasis_of

    if handbook.spec.kind != "branch":
        return set()
    return {t for t in side.model.branch_types if emphasis_of(item, t)}


def _item_change(old: _Side, new: _Side, item_id: str) -> ItemChange | None:
    was = old.model.items.get(item_id)
    now = new.model.items.get(item_id)
    old_section = old.model.item_section.get(item_id)
    new_section = new.model.item_section.get(item_id)
    types: set[str] = set()
    if was:
        types |= _branch_types(old, was, old.model.handbook_of(item_id))
    if now:
        types |= _branch_types(new, now, new.model.handbook_of(item_id))
    ordered = [t for t in new.model.branch_types if t in types] + sorted(t for t in types if t not in new.model.branch_types)
    fields = _fields((old, was) if was else None, (new, now) if now else None, ITEM_FIELDS)
    steps: list[StepChange] = []
    if was and now:
        steps = compare_steps((old, was), (new, now))
        moved = (old_section.handbook_id, old_section.id) != (new_section.handbook_id, new_section.id)
        if not (fields or steps or moved):
            return None
        kind = "moved" if moved else "changed"
    else:
        kind = "added" if now else "removed"
        flow = _steps_text(now or was)
        if flow:
            fields.append(field_change("procedure", "工作步骤", "" if now else flow, flow if now else ""))
    return ItemChange(
        kind=kind, id=item_id, title=(now or was).title,
        old_place=old.place(old_section) if old_section else "", new_place=new.place(new_section) if new_section else "",
        fields=fields, steps=steps, branch_types=ordered,
    )


SECTION_FIELDS: list[tuple[str, str, Callable]] = [
    ("title", "名称", lambda s, sec: _text(sec.title)),
    ("kind", "类别", lambda s, sec: _text(sec.spec.kind)),
    ("category", "归类", lambda s, sec: _text(sec.spec.category)),
    ("description", "简介", lambda s, sec: _text(sec.spec.description)),
    ("handbook", "所属手册", lambda s, sec: (sec.handbook_id, s.model.handbooks[sec.handbook_id].title)),
]
HANDBOOK_FIELDS: list[tuple[str, str, Callable]] = [
    ("title", "名称", lambda s, hb: _text(hb.title)),
    ("short", "简称", lambda s, hb: _text(hb.spec.short)),
    ("description", "简介", lambda s, hb: _text(hb.spec.description)),
    ("section_label", "各部分的称呼", lambda s, hb: _text(hb.spec.section_label)),
    ("sections", "各部分", lambda s, hb: _listed([sec.title for sec in hb.sections], sep="、")),
]


def _part_change(old: tuple[_Side, object] | None, new: tuple[_Side, object] | None, readers) -> PartChange | None:
    fields = _fields(old, new, readers)
    if old and new:
        moved = any(f.field == "handbook" for f in fields)
        return PartChange(kind="moved" if moved else "changed", fields=fields) if fields else None
    return PartChange(kind="added" if new else "removed", fields=fields)


def _form_fields(form) -> tuple[object, str]:
    return tuple((f.name, f.kind, f.lines, tuple(f.choices), f.required) for f in form.fields), "、".join(
        f.name + ("（必填）" if f.required else "") for f in form.fields)


def _rubric_entries(model: Model) -> dict[str, tuple[str, object, str]]:
    """Key → (what it is, the entry, the aspect's title) for every line, bonus and veto item of the rubric."""
    rubric = model.rubric
    if rubric is None:
        return {}
    found = {f"line:{line.id}": ("考核子项", line, aspect.title) for aspect in rubric.aspects for line in aspect.lines}
    found.update({f"bonus:{b.id}": ("加分项", b, "") for b in rubric.bonus})
    found.update({f"veto:{v.id}": ("否决项", v, "") for v in rubric.veto})
    return found


def _key_tasks(model: Model) -> dict[str, tuple[str, object]]:
    return {f"{t}/{task.id}": (t, task) for t, bt in model.branch_types.items() for task in bt.key_tasks}


REGISTRIES: list[tuple[str, str, Callable[[Model], dict], Callable, list[tuple[str, str, Callable]]]] = [
    ("documents", "依据文件", lambda m: m.documents, lambda s, d: d.title, [
        ("title", "全称", lambda s, d: _text(d.title)),
        ("short", "简称", lambda s, d: _text(d.short)),
        ("issuer", "制定机关", lambda s, d: _text(d.issuer)),
        ("issued", "印发日期", lambda s, d: _text(d.issued)),
        ("enterprise_rule", "本企业制度", lambda s, d: (d.enterprise_rule, "是" if d.enterprise_rule else "否")),
        ("note", "说明", lambda s, d: _text(d.note)),
    ]),
    ("roles", "角色", lambda m: m.roles, lambda s, r: r.name, [
        ("name", "名称", lambda s, r: _text(r.name)),
        ("group", "类别", lambda s, r: (r.group, ROLE_GROUP_LABELS[r.group])),
        ("description", "职责", lambda s, r: _text(r.description)),
    ]),
    ("terms", "术语", lambda m: m.terms, lambda s, t: t.term, [
        ("term", "术语", lambda s, t: _text(t.term)),
        ("aliases", "别称", lambda s, t: _listed(t.aliases, sep="、")),
        ("definition", "释义", lambda s, t: _text(t.definition)),
        ("basis", "出处", lambda s, t: _citations(s, t.basis)),
    ]),
    ("forms", "记录表", lambda m: m.forms, lambda s, f: f.title, [
        ("title", "表名", lambda s, f: _text(f.title)),
        ("description", "说明", lambda s, f: _text(f.description)),
        ("retention", "保存期限", lambda s, f: _text(f.retention)),
        ("fields", "栏目", lambda s, f: _form_fields(f)),
    ]),
    ("rubric", "考核评比细则", _rubric_entries, lambda s, e: f"{e[0]}：{e[1].title}", [
        ("title", "名称", lambda s, e: _text(e[1].title)),
        ("aspect", "所属方面", lambda s, e: _text(e[2])),
        ("points", "分值", lambda s, e: (getattr(e[1], "points", None), f"{e[1].points:g} 分" if hasattr(e[1], "points") else "")),
        ("criteria", "标准", lambda s, e: _text(e[1].criteria)),
        ("evidence", "查验资料", lambda s, e: _text(getattr(e[1], "evidence", None))),
        ("assesses", "考核的事项", lambda s, e: _listed(getattr(e[1], "assesses", []), lambda i: s.model.items[i].title
                                                         if i in s.model.items else i, "、")),
    ]),
    ("branch-types", "支部类型", lambda m: {**m.branch_types, **_key_tasks(m)},
     lambda s, e: e.name if hasattr(e, "name") else f"{s.model.branch_types[e[0]].name}·{e[1].title}", [
        ("name", "名称", lambda s, e: _text(getattr(e, "name", None))),
        ("summary", "说明", lambda s, e: _text(getattr(e, "summary", None))),
        ("applies_to", "适用单位", lambda s, e: _text(getattr(e, "applies_to", None))),
        ("task", "重点任务", lambda s, e: _text(e[1].title if isinstance(e, tuple) else None)),
        ("description", "任务内容", lambda s, e: _text(e[1].description if isinstance(e, tuple) else None)),
        ("items", "落实的事项", lambda s, e: _listed(e[1].items if isinstance(e, tuple) else [], lambda i: s.model.items[i].title
                                                  if i in s.model.items else i, "、")),
        ("task_basis", "依据", lambda s, e: _citations(s, e[1].basis if isinstance(e, tuple) else [])),
    ]),
]


def _registries(a: _Side, b: _Side) -> list[RegistryGroup]:
    groups = []
    for ident, title, entries_of, title_of, readers in REGISTRIES:
        was, now = entries_of(a.model), entries_of(b.model)
        changes = []
        for key in [*now, *(k for k in was if k not in now)]:
            old, new = was.get(key), now.get(key)
            fields = _fields((a, old) if old is not None else None, (b, new) if new is not None else None, readers)
            if old is not None and new is not None and not fields:
                continue
            kind = "changed" if old is not None and new is not None else "added" if new is not None else "removed"
            side, entry = (b, new) if new is not None else (a, old)
            owner = (key.split("/")[0] if "/" in key else key) if ident == "branch-types" else None
            changes.append(EntryChange(kind=kind, id=key.partition(":")[2] or key, title=title_of(side, entry),
                                       fields=fields, branch_type=owner))
        if changes:
            groups.append(RegistryGroup(id=ident, title=title, entries=changes))
    return groups


def compare(old_model: Model, new_model: Model, old: RevisionInfo, new: RevisionInfo) -> Comparison:
    """The 修订对照表 from ``old_model`` to ``new_model``; each change appears exactly once.

    An item is listed under the section it is in after the revision (a removed one under the
    section it was in); a moved item is one ``moved`` entry with both places.
    """
    a, b = _Side(old_model), _Side(new_model)
    keep_whole(old_model)
    keep_whole(new_model)
    item_changes = {}
    for item_id in [*new_model.items, *(i for i in old_model.items if i not in new_model.items)]:
        change = _item_change(a, b, item_id)
        if change:
            item_changes[item_id] = change

    old_sections = {s.id: s for h in old_model.handbooks.values() for s in h.sections}
    new_sections = {s.id: s for h in new_model.handbooks.values() for s in h.sections}
    handbook_ids = [*new_model.handbooks, *(h for h in old_model.handbooks if h not in new_model.handbooks)]
    groups = []
    for hid in handbook_ids:
        was, now = old_model.handbooks.get(hid), new_model.handbooks.get(hid)
        hb_change = _part_change((a, was) if was else None, (b, now) if now else None, HANDBOOK_FIELDS)
        section_ids = [s.id for s in now.sections] if now else []
        section_ids += [s.id for s in was.sections if s.id not in new_sections] if was else []
        sections = []
        for sid in section_ids:
            s_was, s_now = old_sections.get(sid), new_sections.get(sid)
            change = _part_change((a, s_was) if s_was else None, (b, s_now) if s_now else None, SECTION_FIELDS)
            ids = [i.id for i in s_now.items] if s_now else []
            ids += [i.id for i in s_was.items if i.id not in new_model.items] if s_was else []
            items = [item_changes[i] for i in ids if i in item_changes]
            if change or items:
                shown = s_now or s_was
                sections.append(SectionGroup(id=sid, title=shown.title, change=change, items=items))
        if sections or hb_change:
            shown = now or was
            groups.append(HandbookGroup(id=hid, title=shown.title, kind=shown.spec.kind, change=hb_change,
                                        sections=sections))
    return Comparison(old=old, new=new, handbooks=groups, registries=_registries(a, b),
                      branch_types={t: bt.name for t, bt in new_model.branch_types.items()})


def revision_info(revision, model: Model) -> RevisionInfo:
    """What a comparison says about one of its sides (``revision`` is a :class:`~.revisions.Revision`)."""
    return RevisionInfo(spec=revision.spec, label=revision.label, commit=revision.commit, date=revision.date,
                        subject=revision.subject, edition=f"{model.site.edition_year} 年版 {model.site.version}")


def comparison_schema_json() -> str:
    """The JSON Schema of the published comparison (``revisions/comparison.json``)."""
    import json

    return json.dumps(Comparison.model_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
