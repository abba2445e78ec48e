"""Ids and references across files: every id unique within its kind, every reference resolves."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import Collector, diagnostic
from . import schema as s
from .names import Names
from .shape import suggest
from .source import LogicalPath, SourceFile, format_path
from .dues import dues_problems
from .timelimits import SHAPES as LIMIT_SHAPES, parse_time_limit
from .placeholders import PLACEHOLDER
from .timenodes import SHAPES, parse_time_node

if TYPE_CHECKING:
    from .project import Loaded

# Kind of id → (its name in messages, where editors define it).
KINDS: dict[str, tuple[str, str]] = {
    "role": ("角色", "角色写在 modules/roles.yml 中"),
    "document": ("依据文件", "依据文件写在 modules/documents.yml 中"),
    "rule": ("规则", "规则写在 modules/rules.yml 中"),
    "term": ("术语", "术语写在 modules/glossary.yml 中"),
    "form": ("记录表", "记录表写在 modules/forms.yml 中"),
    "rubric": ("考核项", "考核项写在 modules/rubric.yml 中"),
    "branch-type": ("支部类型", "每个支部类型是 modules/branch-types/ 下的一个文件"),
    "handbook": ("手册", "每本手册是 modules/handbooks/ 下的一个文件夹"),
    "section": ("手册部分", "每个部分是手册文件夹中的一个 .yml 文件"),
    "item": ("工作事项", "工作事项写在各手册部分文件的 items 中"),
    "audience": ("读者对象", "读者对象写在手册的 handbook.yml 的 audiences 中"),
    "key-task": ("重点任务", "重点任务写在支部类型文件的 key_tasks 中"),
    "step": ("步骤", "步骤写在同一流程的 steps 中"),
    "phase": ("阶段", "阶段写在同一流程的 phases 中"),
    "node": ("框", "框写在同一张图的 nodes 中"),
    "edition": ("印刷版", "印刷版写在 modules/editions.yml 中"),
    "deduction": ("扣除项", "扣除项写在 modules/dues.yml 的 deductions 中"),
    "meeting": ("会议", "会议写在 modules/meetings.yml 中"),
}
# A file kind that failed its shape check leaves these id kinds incomplete.
_FILLS = {
    "roles": {"role"},
    "documents": {"document", "article"},
    "rules": {"rule"},
    "glossary": {"term"},
    "forms": {"form"},
    "meetings": {"meeting"},
    "rubric": {"rubric"},
    "branch-type": {"branch-type"},
    "handbook": {"handbook", "audience", "section"},
    "section": {"section", "item"},
    "site": {"listing"},
    "editions": {"edition"},
    "dues": {"deduction"},
}
_NODE_LINKS = (("handbook", "handbook"), ("section", "section"), ("item", "item"))


@dataclass(frozen=True)
class Place:
    source: SourceFile
    path: LogicalPath


class Registry:
    """Collects the ids every file defines and the references it makes, then checks them."""

    def __init__(self, errors: Collector, failed_kinds: set[str]):
        self.errors = errors
        self.ids: dict[str, dict[str, Place]] = defaultdict(dict)
        self.refs: list[tuple[str, str, Place]] = []
        self.listings: list[tuple[str, str, list[str], str]] = []
        self.procedures: list[tuple[SourceFile, LogicalPath, s.Procedure]] = []
        self.doubled: set[str] = set()  # kinds with an id defined twice
        self.names = Names()  # Chinese names of the ids, filled by names.resolve_names
        # Every citation with its place, for the article check (generators.model.articles).
        self.citations: list[tuple[s.Citation, Place]] = []
        self.incomplete = set().union(*(_FILLS.get(k, set()) for k in failed_kinds)) if failed_kinds else set()

    # ------------------------------------------------------------ collecting

    def define(self, kind: str, ident: str, source: SourceFile, path: LogicalPath) -> None:
        table = self.ids[kind]
        if ident in table:
            self.doubled.add(kind)
            other = table[ident]
            line = other.source.mark(other.path).line
            mark = source.mark(path)
            self.errors.add(
                diagnostic(
                    "duplicate-id", file=source.rel, line=mark.line, column=mark.column, path=format_path(path),
                    kind=_name(kind), value=ident, other=f"{other.source.rel} 第 {line} 行",
                )
            )
            return
        table[ident] = Place(source, path)

    def refer(self, kind: str, value: str | None, source: SourceFile, path: LogicalPath) -> None:
        if value is not None:
            self.refs.append((kind, value, Place(source, path)))

    def refer_all(self, kind: str, values: list[str], source: SourceFile, path: LogicalPath) -> None:
        for i, value in enumerate(values):
            self.refer(kind, value, source, path + (i,))

    def cite(self, citations: list[s.Citation], source: SourceFile, path: LogicalPath) -> None:
        for i, citation in enumerate(citations):
            self.refer("document", citation.doc, source, path + (i, "doc"))
            self.citations.append((citation, Place(source, path + (i,))))

    def collect(self, loaded: list[Loaded]) -> None:
        for entry in loaded:
            getattr(self, "_collect_" + entry.kind.replace("-", "_"))(entry.id, entry.source, entry.spec)

    def _collect_site(self, _: str, source: SourceFile, spec: s.SiteSettings) -> None:
        self.refer_all("handbook", spec.handbooks, source, ("handbooks",))
        self.refer_all("branch-type", spec.branch_types, source, ("branch_types",))
        self.listings.append(("handbook", "modules/site.yml 的 handbooks", spec.handbooks, "listing"))
        self.listings.append(("branch-type", "modules/site.yml 的 branch_types", spec.branch_types, "listing"))

    def _collect_roles(self, _: str, source: SourceFile, spec: s.RolesFile) -> None:
        for i, role in enumerate(spec.roles):
            self.define("role", role.id, source, ("roles", i, "id"))

    def _collect_documents(self, _: str, source: SourceFile, spec: s.DocumentsFile) -> None:
        for i, doc in enumerate(spec.documents):
            self.define("document", doc.id, source, ("documents", i, "id"))

    def _collect_rules(self, _: str, source: SourceFile, spec: s.RulesFile) -> None:
        for i, rule in enumerate(spec.rules):
            self.define("rule", rule.id, source, ("rules", i, "id"))
            self.cite(rule.basis, source, ("rules", i, "basis"))

    def _collect_glossary(self, _: str, source: SourceFile, spec: s.GlossaryFile) -> None:
        for i, term in enumerate(spec.terms):
            self.define("term", term.id, source, ("terms", i, "id"))
            self.refer_all("term", term.see_also, source, ("terms", i, "see_also"))
            self.cite(term.basis, source, ("terms", i, "basis"))

    def _collect_forms(self, _: str, source: SourceFile, spec: s.FormsFile) -> None:
        for i, form in enumerate(spec.forms):
            self.define("form", form.id, source, ("forms", i, "id"))

    def _collect_meetings(self, _: str, source: SourceFile, spec: s.MeetingsFile) -> None:
        for i, meeting in enumerate(spec.meetings):
            at = ("meetings", i)
            self.define("meeting", meeting.id, source, at + ("id",))
            self.refer("item", meeting.item, source, at + ("item",))
            self.refer("role", meeting.convener, source, at + ("convener",))
            self.refer_all("role", meeting.attendees, source, at + ("attendees",))
            self.cite(meeting.basis, source, at + ("basis",))

    def _collect_rubric(self, _: str, source: SourceFile, spec: s.RubricFile) -> None:
        for a, aspect in enumerate(spec.aspects):
            at = ("aspects", a)
            self.define("rubric", aspect.id, source, at + ("id",))
            for n, line in enumerate(aspect.lines):
                lp = at + ("lines", n)
                self.define("rubric", line.id, source, lp + ("id",))
                self.refer_all("item", line.assesses, source, lp + ("assesses",))
                self.cite(line.basis, source, lp + ("basis",))
            self._check_points(f"考核方面“{aspect.title}”", aspect.points, [x.points for x in aspect.lines], source, at + ("points",))
        self._check_points("考核细则", spec.total, [a.points for a in spec.aspects], source, ("total",))
        for group in ("bonus", "veto"):
            for i, entry in enumerate(getattr(spec, group)):
                self.define("rubric", entry.id, source, (group, i, "id"))
        names = [g.name for g in spec.grades]
        mins = [g.min for g in spec.grades]
        if mins != sorted(mins, reverse=True) or len(set(names)) != len(names):
            mark = source.mark(("grades",), key=True)
            self.errors.add(diagnostic("bad-grades", file=source.rel, line=mark.line, column=mark.column, path="grades",
                                       problem="应从高到低排列、名称不重复", hint="请按 min 从大到小排列各等次。"))
        for i, veto in enumerate(spec.veto):
            if veto.caps_grade is not None and veto.caps_grade not in names:
                mark = source.mark(("veto", i, "caps_grade"))
                self.errors.add(diagnostic(
                    "bad-grades", file=source.rel, line=mark.line, column=mark.column,
                    path=format_path(("veto", i, "caps_grade")), problem=f"中没有“{veto.caps_grade}”",
                    hint=suggest(veto.caps_grade, names, what="考核等次") + "（等次写在 grades 中。）",
                ))

    def _check_points(self, what: str, declared: float, parts: list[float], source: SourceFile, path: LogicalPath) -> None:
        actual = sum(parts)
        if abs(actual - declared) > 1e-6:
            mark = source.mark(path)
            self.errors.add(
                diagnostic(
                    "points-mismatch", file=source.rel, line=mark.line, column=mark.column, path=format_path(path),
                    what=what, declared=_num(declared), actual=_num(actual),
                )
            )

    def _collect_branch_type(self, ident: str, source: SourceFile, spec: s.BranchTypeFile) -> None:
        self.define("branch-type", ident, source, ())
        for i, task in enumerate(spec.key_tasks):
            self.define(f"key-task@{ident}", task.id, source, ("key_tasks", i, "id"))
            self.refer_all("item", task.items, source, ("key_tasks", i, "items"))
            self.cite(task.basis, source, ("key_tasks", i, "basis"))
            self.refer_all("rule", task.rules, source, ("key_tasks", i, "rules"))

    def _collect_handbook(self, ident: str, source: SourceFile, spec: s.HandbookFile) -> None:
        self.define("handbook", ident, source, ())
        for i, audience in enumerate(spec.audiences):
            self.define(f"audience@{ident}", audience.id, source, ("audiences", i, "id"))
        self.refer_all(f"section@{ident}", spec.sections, source, ("sections",))
        self.listings.append((f"section@{ident}", f"{source.rel} 的 sections", spec.sections, "handbook"))

    def _collect_section(self, ident: str, source: SourceFile, spec: s.SectionFile) -> None:
        handbook = source.rel.split("/")[2]
        self.define("section", ident, source, ())
        self.define(f"section@{handbook}", ident, source, ())
        for i, item in enumerate(spec.items):
            at = ("items", i)
            self.define("item", item.id, source, at + ("id",))
            self.refer("role", item.owner, source, at + ("owner",))
            self.refer_all("role", item.participants, source, at + ("participants",))
            self.cite(item.basis, source, at + ("basis",))
            self.refer_all("rule", item.rules, source, at + ("rules",))
            self.refer_all("form", item.forms, source, at + ("forms",))
            for key in item.applies_to:
                self.refer("branch-type", key, source, at + ("applies_to", key))
            self.refer_all(f"audience@{handbook}", item.audiences, source, at + ("audiences",))
            self.refer_all("term", item.terms, source, at + ("terms",))
            self.refer_all("item", item.related, source, at + ("related",))
            for n, text in enumerate(item.time_nodes):
                if parse_time_node(text) is None:
                    mark = source.mark(at + ("time_nodes", n))
                    self.errors.add(
                        diagnostic(
                            "bad-time-node", file=source.rel, line=mark.line, column=mark.column,
                            path=format_path(at + ("time_nodes", n)), value=text, shapes=SHAPES,
                        )
                    )
            if item.procedure:
                self._collect_procedure(item.id, item.procedure, source, at + ("procedure",))

    def _collect_procedure(self, item_id: str, procedure: s.Procedure, source: SourceFile, at: LogicalPath) -> None:
        scope = f"@{source.rel}:{item_id}"
        for i, phase in enumerate(procedure.phases):
            self.define("phase" + scope, phase.id, source, at + ("phases", i, "id"))
        for i, step in enumerate(procedure.steps):
            self.define("step" + scope, step.id, source, at + ("steps", i, "id"))
        for i, step in enumerate(procedure.steps):
            sp = at + ("steps", i)
            self.refer("role", step.role, source, sp + ("role",))
            self.refer("phase" + scope, step.phase, source, sp + ("phase",))
            self.refer("step" + scope, step.next, source, sp + ("next",))
            self.refer("step" + scope, step.time_from, source, sp + ("time_from",))
            # A template placeholder left here is reported once, as a placeholder (HB156).
            if step.time_limit and not PLACEHOLDER.search(step.time_limit) and parse_time_limit(step.time_limit) is None:
                mark = source.mark(sp + ("time_limit",))
                self.errors.add(
                    diagnostic(
                        "bad-time-limit", file=source.rel, line=mark.line, column=mark.column,
                        path=format_path(sp + ("time_limit",)), value=step.time_limit, shapes=LIMIT_SHAPES,
                    )
                )
            for b, branch in enumerate(step.branches):
                self.refer("step" + scope, branch.next, source, sp + ("branches", b, "next"))
            self.refer("item", step.procedure, source, sp + ("procedure",))
            self.cite(step.basis, source, sp + ("basis",))
            self.refer_all("rule", step.rules, source, sp + ("rules",))
        self.procedures.append((source, at, procedure))

    def _collect_editions(self, _: str, source: SourceFile, spec: s.EditionsFile) -> None:
        for i, edition in enumerate(spec.editions):
            at = ("editions", i)
            self.define("edition", edition.id, source, at + ("id",))
            self.refer("handbook", edition.handbook, source, at + ("handbook",))
            self.refer("branch-type", edition.branch_type, source, at + ("branch_type",))
            self.refer(f"audience@{edition.handbook}", edition.audience, source, at + ("audience",))

    def _collect_dues(self, _: str, source: SourceFile, spec: s.DuesFile) -> None:
        for i, deduction in enumerate(spec.deductions):
            self.define("deduction", deduction.id, source, ("deductions", i, "id"))
            self.cite(deduction.basis, source, ("deductions", i, "basis"))
        for i, category in enumerate(spec.categories):
            at = ("categories", i)
            self.refer_all("deduction", category.deductions, source, at + ("deductions",))
            self.cite(category.basis, source, at + ("basis",))
            for problem, hint, path in dues_problems(category):
                mark = source.mark(at + path, key=True)
                self.errors.add(
                    diagnostic(
                        "bad-dues-rule", file=source.rel, line=mark.line, column=mark.column,
                        path=format_path(at + path), category=category.name, problem=problem, hint=hint,
                    )
                )

    def _collect_search(self, _: str, source: SourceFile, spec: s.SearchFile) -> None:
        """Pinyin readings refer to nothing; their shape check is all they need."""

    def _collect_theme(self, _: str, source: SourceFile, spec: s.Theme) -> None:
        """The theme refers to nothing; its shape check is all it needs."""

    def _collect_diagram(self, ident: str, source: SourceFile, spec: s.DiagramSpec) -> None:
        scope = f"node@{ident}"
        for i, node in enumerate(spec.nodes):
            self.define(scope, node.id, source, ("nodes", i, "id"))
            for field, kind in _NODE_LINKS:
                self.refer(kind, getattr(node, field), source, ("nodes", i, field))
        for i, edge in enumerate(spec.edges):
            self.refer(scope, edge.from_, source, ("edges", i, "from"))
            self.refer(scope, edge.to, source, ("edges", i, "to"))

    # ------------------------------------------------------------ checking

    def check_references(self) -> None:
        for kind, value, place in self.refs:
            if value in self.ids[kind] or _base(kind) in self.incomplete:
                continue
            if kind in self.doubled and _base(kind) == "step":
                continue  # a step id written twice, reported as such; a `next` may have meant the other step
            mark = place.source.mark(place.path)
            known = list(self.ids[kind])
            hint = self.names.suggest(kind, value, known, _name(kind)) or suggest(value, known, what=_name(kind))
            where = KINDS[_base(kind)][1]
            self.errors.add(
                diagnostic(
                    "unknown-reference", file=place.source.rel, line=mark.line, column=mark.column,
                    path=format_path(place.path), kind=_name(kind), value=value, suggestion=f"{hint}（{where}。）",
                )
            )
        for kind, where, listed, needs in self.listings:
            if self.incomplete & {needs, _base(kind)}:
                continue
            for ident, place in self.ids[kind].items():
                if ident not in listed:
                    mark = place.source.mark(place.path)
                    self.errors.add(
                        diagnostic(
                            "unlisted", file=place.source.rel, line=mark.line, column=mark.column, path="",
                            kind=_name(kind), value=ident, where=where,
                        )
                    )


def _base(kind: str) -> str:
    return kind.split("@", 1)[0]


def _name(kind: str) -> str:
    return KINDS[_base(kind)][0]


def _num(value: float) -> str:
    return f"{value:g}"
