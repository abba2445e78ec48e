"""Domain questions a reviewer asks of the model: is this backed by an article or 示例, which
items cite this article, what is still open (``# 待核实``), how much of a handbook is backed.

Every view (item pages, checklists, month pages, calendar feeds, print, the review page) asks
these functions, so the mark a reader sees is the same everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Literal

from .schema import Citation, KeyTask, Rule, WorkItem

if TYPE_CHECKING:
    from .model import Handbook, Model
    from .source import SourceFile

OPEN_MARK = "待核实"

Status = Literal["regulation", "enterprise", "sample", "open"]
STATUS_LABELS: dict[str, str] = {
    "regulation": "法规规定",
    "enterprise": "本企业制度（示例）",
    "sample": "示例",
    "open": "依据待补",
}


@dataclass(frozen=True)
class OpenQuestion:
    """A ``# 待核实`` comment: where it is, what it asks, and the YAML it is attached to."""

    file: str
    line: int
    question: str
    context: str


def open_questions(sources: Iterable[SourceFile]) -> list[OpenQuestion]:
    """Every comment in the content that marks something as not yet verified, in file and line order."""
    found = []
    for source in sources:
        for number, line in enumerate(source.text.splitlines(), start=1):
            comment = _comment(line)
            if comment is not None and OPEN_MARK in comment:
                context = line[: len(line) - len(comment) - 1].strip()
                found.append(OpenQuestion(source.rel, number, comment.strip(" #：:"), context))
    return sorted(found, key=lambda q: (q.file, q.line))


def _comment(line: str) -> str | None:
    """The text after a YAML comment mark on this line (outside quotes), or None."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'" and (i == 0 or line[i - 1] in " :-[{,"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[i + 1 :]
    return None


# ---------------------------------------------------------------- regulation or 示例


def backed(model: Model, citations: list[Citation]) -> bool:
    """Does one of these citations name an article of a regulation (not an enterprise rule)?"""
    for citation in citations:
        doc = model.documents.get(citation.doc)
        if doc is not None and not doc.enterprise_rule and (citation.articles or doc.unnumbered):
            return True
    return False


def _status(model: Model, sample: bool, citations: list[Citation], rule_ids: list[str]) -> Status:
    if sample:
        return "sample"
    rules = [model.rules[r] for r in rule_ids if r in model.rules]
    if backed(model, citations) or any(not r.sample and backed(model, r.basis) for r in rules):
        return "regulation"
    if any(model.documents[c.doc].enterprise_rule for c in citations if c.doc in model.documents):
        return "enterprise"
    if rules and all(r.sample for r in rules):
        return "sample"
    return "open"


def item_status(model: Model, item: WorkItem) -> Status:
    """法规规定 when an article (its own or of a rule it applies) backs it; 示例 when marked so or
    only an enterprise rule backs it; 依据待补 otherwise."""
    return _status(model, item.sample, item.basis, item.rules)


def task_status(model: Model, task: KeyTask) -> Status:
    return _status(model, task.sample, task.basis, task.rules)


def rule_status(model: Model, rule: Rule) -> Status:
    return _status(model, rule.sample, rule.basis, [])


def is_sample(status: str) -> bool:
    return status in ("sample", "enterprise")


def item_rules(model: Model, item: WorkItem) -> list[Rule]:
    """The rules an item applies, its own and those of its steps, each once, in order of mention."""
    ids = list(item.rules) + [r for step in (item.procedure.steps if item.procedure else []) for r in step.rules]
    return [model.rules[r] for r in dict.fromkeys(ids) if r in model.rules]


# ---------------------------------------------------------------- who cites what


@dataclass(frozen=True)
class ArticleUse:
    """One place that cites an article: an item (or one of its steps), a key task, a rule, a term."""

    kind: str  # item / step / key-task / rule / term
    label: str
    item: WorkItem | None = None
    branch_type: str | None = None
    rule: str | None = None
    term: str | None = None


def article_uses(model: Model) -> dict[tuple[str, str], list[ArticleUse]]:
    """(document id, article number) → every place citing it, in content order."""
    uses: dict[tuple[str, str], list[ArticleUse]] = defaultdict(list)

    def add(citations: list[Citation], use: ArticleUse) -> None:
        for citation in citations:
            for number in citation.articles:
                if use not in uses[(citation.doc, number)]:
                    uses[(citation.doc, number)].append(use)

    for item in model.items.values():
        add(item.basis, ArticleUse("item", item.title, item=item))
        for step in item.procedure.steps if item.procedure else []:
            add(step.basis, ArticleUse("step", step.title, item=item))
    for bt in model.branch_types.values():
        for task in bt.key_tasks:
            add(task.basis, ArticleUse("key-task", f"{bt.name}·{task.title}", branch_type=bt.id))
    for rule in model.rules.values():
        add(rule.basis, ArticleUse("rule", rule.title, rule=rule.id))
    for term in model.terms.values():
        add(term.basis, ArticleUse("term", term.term, term=term.id))
    return uses


def rule_users(model: Model) -> dict[str, list[tuple[WorkItem, str | None]]]:
    """rule id → (item, step title or None) for every item and step that applies it."""
    users: dict[str, list[tuple[WorkItem, str | None]]] = defaultdict(list)
    for item in model.items.values():
        for rid in item.rules:
            users[rid].append((item, None))
        for step in item.procedure.steps if item.procedure else []:
            for rid in step.rules:
                users[rid].append((item, step.title))
    return users


# ---------------------------------------------------------------- per handbook


@dataclass(frozen=True)
class Coverage:
    """How many of a handbook's items are backed by an article, 示例, or still without basis."""

    handbook: Handbook
    counts: dict[str, int]
    open_items: list[WorkItem]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def backed_share(self) -> float:
        return self.counts.get("regulation", 0) / self.total if self.total else 0.0


def coverage(model: Model) -> list[Coverage]:
    found = []
    for handbook in model.handbooks.values():
        counts = {status: 0 for status in STATUS_LABELS}
        open_items = []
        for section in handbook.sections:
            for item in section.items:
                status = item_status(model, item)
                counts[status] += 1
                if status == "open":
                    open_items.append(item)
        found.append(Coverage(handbook, counts, open_items))
    return found


def unconfirmed_documents(model: Model) -> list:
    """Regulations whose version in force (issuer, date, revision) has not been checked."""
    return [d for d in model.documents.values() if not d.enterprise_rule and not d.version_confirmed]
