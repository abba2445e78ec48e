"""Check that a procedure is a well-formed flow: one start, an end, every step reachable,
every step but an end leads on, decisions have labelled branches, and any cycle passes
through a transition marked as a loop-back."""

from __future__ import annotations

from ..errors import Collector, diagnostic
from .schema import Procedure, Step
from .source import LogicalPath, SourceFile, format_path

_NEXT_HINT = "请写 `next: 下一步的标识`；如果这是最后一步，请把它改为 `kind: end`，或在它后面加一个结束步骤。"


def edges(step: Step) -> list[tuple[str, bool]]:
    """The transitions leaving ``step`` as (target id, is loop-back)."""
    if step.kind == "decision":
        return [(b.next, b.loop_back) for b in step.branches]
    return [(step.next, step.loop_back)] if step.next else []


def step_numbers(procedure: Procedure) -> dict[str, int]:
    """The number of each step as a reader counts them: every step but the start and the ends, from 1,
    in the order written. Flowcharts (screen, phone and paper) and step tables all show these numbers."""
    counted = [s.id for s in procedure.steps if s.kind not in ("start", "end")]
    return {sid: n for n, sid in enumerate(counted, start=1)}


def numbered_title(title: str, number: int | None) -> str:
    """A step's title with its number in front, unless the editor numbered it already ("22. …")."""
    if number is None or title.split(".", 1)[0].strip().isdigit():
        return title
    return f"{number}. {title}"


def check_procedure(source: SourceFile, at: LogicalPath, procedure: Procedure, errors: Collector) -> None:
    def report(name: str, path: LogicalPath, *, at_key: bool = False, **fields: object) -> None:
        mark = source.mark(path, key=at_key)
        errors.add(
            diagnostic(name, file=source.rel, line=mark.line, column=mark.column, path=format_path(path), **fields)
        )

    steps = procedure.steps
    starts = [i for i, st in enumerate(steps) if st.kind == "start"]
    if len(starts) != 1:
        report("start-count", at + ("steps",), at_key=True, count=len(starts))
    if not any(st.kind == "end" for st in steps):
        report("no-end", at + ("steps",), at_key=True)

    for i, step in enumerate(steps):
        sp = at + ("steps", i)
        if step.kind == "end":
            for key in ("next", "branches"):
                if getattr(step, key):
                    report("misplaced-next", sp + (key,), at_key=True, kind="结束", step=step.id, key=key,
                           hint="结束步骤之后不再有步骤：请删除这一行。")
        elif step.kind == "decision":
            if step.next:
                report("misplaced-next", sp + ("next",), at_key=True, kind="判断", step=step.id, key="next",
                       hint="判断步骤请用 `branches` 写出每个分支的 `label` 和 `next`。")
            if len(step.branches) < 2:
                report("few-branches", sp, count=len(step.branches), step=step.id)
            for b, branch in enumerate(step.branches):
                if not branch.label:
                    report("unlabelled-branch", sp + ("branches", b), step=step.id, index=b + 1)
        else:
            if step.branches:
                report("misplaced-next", sp + ("branches",), at_key=True, kind="非判断", step=step.id, key="branches",
                       hint="只有判断步骤（kind: decision）才能有多个分支；请改为 `kind: decision`，或改用 `next`。")
            if not step.next:
                following = steps[i + 1].id if i + 1 < len(steps) else None
                hint = f"如果下一步是 `{following}`，请在这一步里写 `next: {following}`；否则" if following else ""
                report("missing-next", sp, step=step.id, hint=hint + _NEXT_HINT if hint else _NEXT_HINT)
            if step.kind == "subprocess" and not step.procedure:
                report("subprocess-target", sp, step=step.id)

    index = {st.id: i for i, st in enumerate(steps)}
    if len(index) < len(steps):
        return  # a step id used twice (reported with the ids): which step a `next` means is unknown
    if len(starts) == 1:
        seen = {starts[0]}
        stack = [starts[0]]
        while stack:
            # A step whose `next` is missing (reported above) is taken to lead to the step written
            # after it, so the steps behind it are not reported as unreachable too.
            current = stack.pop()
            targets = edges(steps[current])
            if not targets and steps[current].kind not in ("end", "decision") and current + 1 < len(steps):
                targets = [(steps[current + 1].id, False)]
            for target, _ in targets:
                j = index.get(target)
                if j is not None and j not in seen:
                    seen.add(j)
                    stack.append(j)
        for i, step in enumerate(steps):
            if i not in seen:
                report("unreachable-step", at + ("steps", i), step=step.id)

    cycle = _forward_cycle(steps, index)
    if cycle:
        closing = cycle[-2]
        report("cycle", at + ("steps", index[closing]), cycle=" → ".join(cycle))


def _forward_cycle(steps: list[Step], index: dict[str, int]) -> list[str] | None:
    """A cycle that uses no loop-back transition, as step ids (first repeated at the end)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target, loop_back in edges(steps[index[node]]):
            if loop_back or target not in index:
                continue
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for step in steps:
        if step.id not in state and (found := visit(step.id)):
            return found
    return None
