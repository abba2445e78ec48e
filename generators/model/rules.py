"""Rules stated once: the numeric rules that recur across handbooks, and the checks that keep
every other place consistent with them.

A rule in ``modules/rules.yml`` states one number once (党员大会每季度1次, 优秀不超过1/3,
职代会每半年至少1次 …), with its article or marked 示例. Items, procedure steps and key tasks
refer to it by id. Three checks follow:

* a sentence anywhere in the content that mentions a rule (all of its keywords) and writes a
  number of the same kind (a ratio, a period, a cadence) that differs from the rule's is a
  contradiction (HB163);
* an item that refers to a cadence rule must have a time node and a frequency that agree with
  it (HB164);
* whether a rule is regulation or 示例 is said once, in the rule: a place that refers to a
  regulation rule but calls it 示例 in its own text is a contradiction (HB166).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from ..errors import Collector, diagnostic
from . import schema as s
from .source import LogicalPath, SourceFile, format_path
from .timenodes import parse_time_node

# Cadences from the most to the least frequent.
CADENCES = ("monthly", "quarterly", "half_yearly", "yearly")
_MONTHS_CADENCE = {12: "monthly", 4: "quarterly", 2: "half_yearly", 1: "yearly"}
_QUANTITY_NAMES = {"ratio": "比例", "period": "期限", "cadence": "频次"}

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = "[零一二两三四五六七八九十百]+"
_FRACTION = re.compile(rf"(\d+)\s*/\s*(\d+)|({_CN_NUMBER})分之({_CN_NUMBER})")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_CADENCE = re.compile(r"(?:每|一)(?:个)?(月|季度|半年|年)(?:度)?")
_PERIOD = re.compile(rf"(\d+|{_CN_NUMBER}|半)\s*(?:个)?(工作日|日|天|周|月|年)")
_CADENCE_WORDS = {"月": "monthly", "季度": "quarterly", "半年": "half_yearly", "年": "yearly"}
_PERIOD_UNITS = {"日": "天", "天": "天", "工作日": "工作日", "周": "周", "月": "月", "年": "年"}
# A rule and its number must sit in one phrase: "党员大会一般每季度1次", not two phrases apart.
_SENTENCES = re.compile(r"[。；;！？\n]")
_CLAUSES = re.compile(r"[。；;！？\n，,：:（）()]")


def chinese_number(text: str) -> float | None:
    """十五 → 15, 三 → 3, 半 → 0.5, 12 → 12."""
    if text.isdigit():
        return float(text)
    if text == "半":
        return 0.5
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return float(total + current)


def quantities(text: str) -> dict[str, set]:
    """The numbers a sentence states, by kind: ratio (a fraction), period ((n, unit)), cadence."""
    found: dict[str, set] = {"ratio": set(), "period": set(), "cadence": set()}
    rest = text
    for m in _FRACTION.finditer(text):
        if m.group(1):
            num, den = float(m.group(1)), float(m.group(2))
        else:
            den, num = chinese_number(m.group(3)) or 0, chinese_number(m.group(4)) or 0
        if den:
            found["ratio"].add(round(num / den, 4))
    rest = _FRACTION.sub(" ", rest)
    for m in _PERCENT.finditer(rest):
        found["ratio"].add(round(float(m.group(1)) / 100, 4))
    rest = _PERCENT.sub(" ", rest)
    if "半数" in rest:
        found["ratio"].add(0.5)
    rest = rest.replace("半数", " ")
    for m in _CADENCE.finditer(rest):
        # "一年" / "一个月" are periods, not cadences, unless written with 每.
        if m.group(0).startswith("每"):
            found["cadence"].add(_CADENCE_WORDS[m.group(1)])
    rest = re.sub(r"每(?:个)?(?:月|季度|半年|年)(?:度)?", " ", rest)
    for m in _PERIOD.finditer(rest):
        n = chinese_number(m.group(1))
        if n is not None:
            found["period"].add((n, _PERIOD_UNITS[m.group(2)]))
    return found


@dataclass(frozen=True)
class Place:
    """A piece of free text somewhere in the content."""

    text: str
    source: SourceFile
    path: LogicalPath


def cadence_of(time_node: str) -> str | None:
    """monthly / quarterly / half_yearly / yearly for a calendar time node, else None."""
    node = parse_time_node(time_node)
    if node is None or not node.is_calendar:
        return None
    return _MONTHS_CADENCE.get(len(node.months))


def satisfies(cadence: str, rule: s.Rule) -> bool:
    """Does something done at ``cadence`` meet the rule's frequency?"""
    if rule.frequency not in CADENCES or cadence not in CADENCES:
        return True
    if cadence == rule.frequency:
        return True
    return rule.at_least and CADENCES.index(cadence) < CADENCES.index(rule.frequency)


def check_rules(loaded: list, errors: Collector) -> None:
    """All rule checks over the files that passed their shape check (``Loaded`` entries)."""
    rules_entry = next((e for e in loaded if e.kind == "rules"), None)
    if rules_entry is None:
        return
    source: SourceFile = rules_entry.source
    rules: dict[str, tuple[s.Rule, str]] = {}
    for i, rule in enumerate(rules_entry.spec.rules):
        where = f"{source.rel} 第 {source.mark(('rules', i, 'id')).line} 行"
        rules[rule.id] = (rule, where)
        if not rule.basis and not rule.sample:
            mark = source.mark(("rules", i, "id"))
            errors.add(diagnostic("rule-unbacked", file=source.rel, line=mark.line, column=mark.column,
                                  path=format_path(("rules", i)), rule=rule.title))
    mentions = _mentions(rules)
    known = _RESTATED.get(mentions)
    if known is None:  # the rules changed: what the texts restate is worked out again
        _RESTATED.clear()
        known = _RESTATED[mentions] = {}
    for place in _places(loaded):
        found = known.get(place.text)
        if found is None:
            found = known[place.text] = _restatements(place.text, mentions)
        _check_restated(place, rules, found, errors)
    for entry in loaded:
        if entry.kind == "section":
            for i, item in enumerate(entry.spec.items):
                _check_item(item, entry.source, ("items", i), rules, errors)
        elif entry.kind == "branch-type":
            for i, task in enumerate(entry.spec.key_tasks):
                _check_marks(task.rules, [(task.description, ("key_tasks", i, "description"))], entry.source, rules, errors,
                             sample=task.sample)


def _check_restated(place: Place, rules: dict[str, tuple[s.Rule, str]], found, errors: Collector) -> None:
    reported = set()
    for rule_id, kind, expected in found:
        if (rule_id, kind) in reported:
            continue
        reported.add((rule_id, kind))
        rule, where = rules[rule_id]
        mark = place.source.mark(place.path)
        errors.add(
            diagnostic(
                "rule-restated", file=place.source.rel, line=mark.line, column=mark.column,
                path=format_path(place.path), quantity=_QUANTITY_NAMES[kind], rule=rule.title,
                expected=expected, where=where,
            )
        )


Mentions = tuple[tuple[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]], ...]
# A preview checks the same texts against the same rules on every save: keep what each text restates,
# for the rules as they are (text → findings).
_RESTATED: dict[Mentions, dict[str, tuple[tuple[str, str, str], ...]]] = {}


def _mentions(rules: dict[str, tuple[s.Rule, str]]) -> Mentions:
    return tuple((rule.id, tuple((tuple(m.keywords), tuple(m.values)) for m in rule.mentions)) for rule, _ in rules.values())


def _restatements(text: str, mentions: Mentions) -> tuple[tuple[str, str, str], ...]:
    """(rule id, kind of quantity, the rule's wordings) for every quantity in ``text`` that contradicts a rule."""
    keywords, indexed = _indexed(mentions)
    present = {k for k in keywords if k in text}
    candidates = [m for m in indexed if m[1] <= present]
    out = []
    for clause in _CLAUSES.split(text) if candidates else ():
        stated = None
        for rule_id, needed, expected, values in candidates:
            if not all(k in clause for k in needed):
                continue
            stated = stated or quantities(clause)
            for kind, wanted in expected:
                if stated[kind] and not (stated[kind] & wanted):
                    out.append((rule_id, kind, values))
    return tuple(out)


@lru_cache(maxsize=4)
def _indexed(mentions: Mentions) -> tuple[frozenset[str], tuple[tuple[str, frozenset[str], tuple, str], ...]]:
    """Every keyword of the rules, and each mention as (rule id, its keywords, the quantities its wordings
    state by kind, the wordings): worked out once per set of rules, not once per text."""
    indexed = []
    for rule_id, rule_mentions in mentions:
        for keywords, values in rule_mentions:
            expected: dict[str, set] = {"ratio": set(), "period": set(), "cadence": set()}
            for value in values:
                for kind, found_values in quantities(value).items():
                    expected[kind] |= found_values
            indexed.append((rule_id, frozenset(keywords), tuple((k, frozenset(v)) for k, v in expected.items() if v),
                            "、".join(values)))
    return frozenset(k for _, needed, _, _ in indexed for k in needed), tuple(indexed)


def _check_item(item: s.WorkItem, source: SourceFile, at: LogicalPath, rules, errors: Collector) -> None:
    own = [rules[r] for r in item.rules if r in rules]
    cadence_rules = [(rule, where) for rule, where in own if rule.frequency in CADENCES]
    if cadence_rules:
        cadences = [(n, cadence_of(text)) for n, text in enumerate(item.time_nodes)]
        cadences = [(n, c) for n, c in cadences if c]
        for rule, where in cadence_rules:
            if cadences and not any(satisfies(c, rule) for _, c in cadences):
                n = cadences[0][0]
                _frequency_error(rule, where, f"时间节点写的是“{item.time_nodes[n]}”", source, at + ("time_nodes", n), errors)
        if item.frequency in CADENCES and not any(satisfies(item.frequency, rule) for rule, _ in cadence_rules):
            rule, where = cadence_rules[0]
            label = s.FREQUENCY_LABELS[item.frequency]
            _frequency_error(rule, where, f"事项的频次写的是“{label}”", source, at + ("frequency",), errors)
    texts = [(text, at + ("time_nodes", n)) for n, text in enumerate(item.time_nodes)]
    texts.append((item.requirement, at + ("requirement",)))
    _check_marks(item.rules, texts, source, rules, errors, sample=item.sample)
    for k, step in enumerate(item.procedure.steps if item.procedure else []):
        sp = at + ("procedure", "steps", k)
        step_texts = [(step.time_limit, sp + ("time_limit",)), (step.description, sp + ("description",))]
        _check_marks(step.rules, [(t, p) for t, p in step_texts if t], source, rules, errors, sample=item.sample)


def _frequency_error(rule: s.Rule, where: str, found: str, source: SourceFile, path: LogicalPath, errors: Collector) -> None:
    mark = source.mark(path)
    expected = s.FREQUENCY_LABELS[rule.frequency] + ("至少1次" if rule.at_least else "")
    errors.add(
        diagnostic(
            "rule-frequency", file=source.rel, line=mark.line, column=mark.column, path=format_path(path),
            rule=rule.title, expected=expected, found=found, where=where,
        )
    )


def _check_marks(refs: list[str], texts: list[tuple[str, LogicalPath]], source: SourceFile, rules, errors: Collector,
                 *, sample: bool = False) -> None:
    """A place that restates a rule it refers to must mark it as the rule does: a regulation is not
    called 示例, and 示例 (enterprise practice) is not passed off as regulation. ``sample``: the
    whole place is already marked 示例."""
    for text, path in texts:
        for rule, where in (rules[r] for r in refs if r in rules):
            sentences = [x for x in _SENTENCES.split(text) if any(_restates(x, m) for m in rule.mentions)]
            if not sentences:
                continue
            marked = all("示例" in x for x in sentences) or sample
            if rule.sample == marked or (marked and sample and not rule.sample):
                continue
            found, expected = ("示例", "法规规定") if marked else ("法规规定（未标“示例”）", "示例")
            mark = source.mark(path)
            errors.add(
                diagnostic(
                    "rule-sample-mark", file=source.rel, line=mark.line, column=mark.column, path=format_path(path),
                    rule=rule.title, found=found, expected=expected, where=where,
                )
            )
            break


def _restates(text: str, mention: s.RuleMention) -> bool:
    """Does this text state the rule's own number (not merely talk about the same meeting)?"""
    for clause in _CLAUSES.split(text):
        if all(k in clause for k in mention.keywords):
            stated = quantities(clause)
            for value in mention.values:
                if any(stated[kind] & found for kind, found in quantities(value).items()):
                    return True
    return False


def _places(loaded: list) -> Iterator[Place]:
    """Every piece of free text that can restate a rule, with where it is written."""
    for entry in loaded:
        src = entry.source
        if entry.kind == "section":
            for i, item in enumerate(entry.spec.items):
                at = ("items", i)
                yield Place(item.requirement, src, at + ("requirement",))
                if item.summary:
                    yield Place(item.summary, src, at + ("summary",))
                for n, text in enumerate(item.time_nodes):
                    yield Place(text, src, at + ("time_nodes", n))
                yield from _notes(item.basis, src, at + ("basis",))
                for k, step in enumerate(item.procedure.steps if item.procedure else []):
                    sp = at + ("procedure", "steps", k)
                    for field in ("title", "description", "time_limit", "output"):
                        value = getattr(step, field)
                        if value:
                            yield Place(value, src, sp + (field,))
                    yield from _notes(step.basis, src, sp + ("basis",))
        elif entry.kind == "branch-type":
            for i, task in enumerate(entry.spec.key_tasks):
                yield Place(task.description, src, ("key_tasks", i, "description"))
                yield from _notes(task.basis, src, ("key_tasks", i, "basis"))
        elif entry.kind == "glossary":
            for i, term in enumerate(entry.spec.terms):
                yield Place(term.definition, src, ("terms", i, "definition"))
                yield from _notes(term.basis, src, ("terms", i, "basis"))
        elif entry.kind == "documents":
            for d, doc in enumerate(entry.spec.documents):
                for a, article in enumerate(doc.articles):
                    yield Place(article.summary, src, ("documents", d, "articles", a, "summary"))
        elif entry.kind == "rubric":
            for a, aspect in enumerate(entry.spec.aspects):
                for n, line in enumerate(aspect.lines):
                    yield Place(line.criteria, src, ("aspects", a, "lines", n, "criteria"))


def _notes(citations: list[s.Citation], source: SourceFile, at: LogicalPath) -> Iterator[Place]:
    for i, citation in enumerate(citations):
        if citation.note:
            yield Place(citation.note, source, at + (i, "note"))
