"""The 修订对照表 as terminal text (``handbook diff``): removed words as [-…-], added words as {+…+}."""

from __future__ import annotations

from .model.compare import CHANGE_LABELS, Comparison, FieldChange, Span


def _marked(spans: list[Span]) -> str:
    return "".join(s.text if s.kind == "same" else f"[-{s.text}-]" if s.kind == "removed" else f"{{+{s.text}+}}"
                   for s in spans)


def _field(f: FieldChange, indent: str) -> list[str]:
    lines = [f"{indent}{f.label}："]
    if f.old:
        lines.append(f"{indent}  原文：{_marked(f.old_spans)}".replace("\n", f"\n{indent}        "))
    if f.new:
        lines.append(f"{indent}  修订：{_marked(f.new_spans)}".replace("\n", f"\n{indent}        "))
    return lines


def comparison_text(comparison: Comparison) -> str:
    out = [f"修订对照表：{comparison.old.label}（{comparison.old.edition}）→ {comparison.new.label}（{comparison.new.edition}）"]
    if comparison.branch_type:
        out.append(f"只列适用于{comparison.branch_types.get(comparison.branch_type, comparison.branch_type)}党支部的修订。")
    if comparison.empty:
        out.append("没有实质变化。")
        return "\n".join(out) + "\n"
    counts = comparison.counts()
    out.append(f"工作事项：新增 {counts['added']}，删除 {counts['removed']}，修改 {counts['changed']}，移动 {counts['moved']}。")
    for hb in comparison.handbooks:
        out += ["", f"■ {hb.title}" + (f"（{CHANGE_LABELS[hb.change.kind]}）" if hb.change else "")]
        for f in hb.change.fields if hb.change else []:
            out += _field(f, "  ")
        for sec in hb.sections:
            out.append(f"  □ {sec.title}" + (f"（{CHANGE_LABELS[sec.change.kind]}）" if sec.change else ""))
            for f in sec.change.fields if sec.change else []:
                out += _field(f, "    ")
            for item in sec.items:
                out.append(f"    [{CHANGE_LABELS[item.kind]}] {item.title}（{item.id}）")
                if item.kind == "moved":
                    out.append(f"      位置：{item.old_place} → {item.new_place}")
                for f in item.fields:
                    out += _field(f, "      ")
                for step in item.steps:
                    where = step.new_position if step.new_position is not None else step.old_position
                    moved = f"，第 {step.old_position} 步 → 第 {step.new_position} 步" if step.kind == "moved" else ""
                    out.append(f"      步骤 {where}「{step.title}」{CHANGE_LABELS[step.kind]}{moved}")
                    for f in step.fields:
                        out += _field(f, "        ")
    if comparison.registries:
        out += ["", "■ 其他内容"]
    for group in comparison.registries:
        out.append(f"  □ {group.title}")
        for entry in group.entries:
            out.append(f"    [{CHANGE_LABELS[entry.kind]}] {entry.title}")
            for f in entry.fields:
                out += _field(f, "      ")
    return "\n".join(out) + "\n"
