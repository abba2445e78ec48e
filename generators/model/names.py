"""Chinese names in place of ids: an editor may write `owner: 党支部书记` instead of `owner: secretary`.

Roles, documents, sections, forms, terms and branch types are known by an id (an ASCII slug) and by
one or more Chinese names (a role's name and aliases, a document's title and short title, a
section's title, …); so are work items, by their title, where a meeting names the item that rules it
(other item references are ids: they sit beside step and phase ids in a procedure). Where such a thing is referenced, :func:`resolve_names` turns a name into the
id before references are checked, and puts the id into the checked content, so everything after
the loader sees ids only and renders a name exactly as it would render the id. The YAML is left as
the editor wrote it; ``handbook fmt`` rewrites names to ids in the files when asked
(:mod:`generators.fix`).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

from pydantic import BaseModel

from .source import LogicalPath, SourceFile

if TYPE_CHECKING:
    from .project import Loaded
    from .references import Registry

# The kinds of id that may be written by name.
NAMED_KINDS = ("role", "document", "section", "form", "term", "branch-type", "handbook", "item")


@dataclass(frozen=True)
class Resolved:
    """A name written where an id belongs: in ``source`` at ``path``, ``name`` stands for ``ident``."""

    source: SourceFile
    source_kind: str  # the kind of file it is written in
    path: LogicalPath
    kind: str
    name: str
    ident: str


def _plain(text: str) -> str:
    """A name as compared: without surrounding spaces and book-title marks."""
    return text.strip().strip("《》")


class Names:
    """Every Chinese name of every id, by kind (``section@handbook`` kinds for a handbook's sections)."""

    def __init__(self) -> None:
        self.names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)  # kind → id → its main name

    def add(self, kind: str, ident: str, *names: str | None) -> None:
        given = [n for n in names if n]
        if not given:
            return
        self.labels[kind].setdefault(ident, given[0])
        for name in given:
            self.names[kind][_plain(name)].add(ident)

    def lookup(self, kind: str, name: str) -> set[str]:
        return self.names[_base(kind) if kind not in self.names else kind].get(_plain(name), set())

    def label(self, kind: str, ident: str) -> str | None:
        return self.labels[kind].get(ident) or self.labels[_base(kind)].get(ident)

    @classmethod
    def of(cls, loaded: Iterable[Loaded]) -> Names:
        names = cls()
        for entry in loaded:
            spec: Any = entry.spec
            if entry.kind == "roles":
                for role in spec.roles:
                    names.add("role", role.id, role.name, *role.aliases)
            elif entry.kind == "documents":
                for doc in spec.documents:
                    names.add("document", doc.id, doc.title, doc.short)
            elif entry.kind == "glossary":
                for term in spec.terms:
                    names.add("term", term.id, term.term, *term.aliases)
            elif entry.kind == "forms":
                for form in spec.forms:
                    names.add("form", form.id, form.title, *form.aliases)
            elif entry.kind == "branch-type":
                extra = [f"{spec.name}党支部"] if not spec.name.endswith("党支部") else []
                names.add("branch-type", entry.id, spec.name, *spec.aliases, *extra)
            elif entry.kind == "handbook":
                names.add("handbook", entry.id, spec.title, spec.short)
            elif entry.kind == "section":
                handbook = entry.source.rel.split("/")[2]
                names.add("section", entry.id, spec.title)
                names.add(f"section@{handbook}", entry.id, spec.title)
                for item in spec.items:
                    names.add("item", item.id, item.title)
        return names

    def choices(self, kind: str, known: Iterable[str]) -> list[str]:
        """``名称（id）`` for every known id of ``kind``, in the editors' order."""
        out = []
        for ident in known:
            label = self.label(kind, ident)
            out.append(f"{label}（{ident}）" if label else ident)
        return out

    def suggest(self, kind: str, value: str, known: list[str], what: str) -> str:
        """'您是否想写 `党支部书记`（secretary）？' with the closest names and ids, else what may be written."""
        if _base(kind) not in NAMED_KINDS:
            return ""
        ambiguous = self.lookup(kind, value) & set(known)
        if len(ambiguous) > 1:
            shown = "、".join(f"`{i}`" for i in sorted(ambiguous))
            return f"“{value}”是多个{what}的名称（{shown}），请改写其中一个的标识。"
        by_word: dict[str, str] = {}
        for ident in known:
            by_word.setdefault(ident, ident)
            label = self.label(kind, ident)
            for name, idents in self.names[kind if kind in self.names else _base(kind)].items():
                if ident in idents:
                    by_word.setdefault(name, ident)
            if label:
                by_word.setdefault(_plain(label), ident)
        words = difflib.get_close_matches(_plain(value), list(by_word), n=6, cutoff=0.5)
        if not words:
            words = [w for w in by_word if _plain(value) and (_plain(value) in w or w in _plain(value))][:6]
        picked: list[str] = []
        for word in words:
            # Answer in the editor's own terms: the id for a mistyped id, the name for a mistyped name.
            ident = by_word[word]
            label = self.label(kind, ident)
            if word == ident:
                shown = f"`{ident}`（{label}）" if label else f"`{ident}`"
            else:
                shown = f"`{word}`（{ident}）"
            if all(f"{ident}）" not in p and f"`{ident}`" not in p for p in picked):
                picked.append(shown)
        if picked:
            return f"您是否想写 {'或 '.join(picked[:3])}？"
        if not known:
            return f"目前还没有任何{what}。"
        listed = self.choices(kind, known)
        more = " 等" if len(listed) > 12 else ""
        return f"可以写的有：{'、'.join(listed[:12])}{more}。"


def resolve_names(registry: Registry, loaded: list[Loaded]) -> list[Resolved]:
    """Replace every reference written as a name by its id, in the registry and in the checked content.

    A name that fits several ids of its kind is left as written: the reference check reports it.
    """
    names = Names.of(loaded)
    registry.names = names
    entries = {id(entry.source): entry for entry in loaded}
    resolved: list[Resolved] = []
    for n, (kind, value, place) in enumerate(registry.refs):
        if _base(kind) not in NAMED_KINDS or value in registry.ids[kind]:
            continue
        found = names.lookup(kind, value) & set(registry.ids[kind])
        if len(found) != 1:
            continue
        ident = found.pop()
        entry = entries[id(place.source)]
        _put(entry.spec, place.path, value, ident)
        registry.refs[n] = (kind, ident, place)
        resolved.append(Resolved(place.source, entry.kind, place.path, _base(kind), value, ident))
    return resolved


def _put(spec: BaseModel, path: LogicalPath, name: str, ident: str) -> None:
    """Write ``ident`` where ``name`` is in the checked content: a field, a list entry or a mapping key."""
    container: Any = spec
    for part in path[:-1]:
        container = getattr(container, str(part)) if isinstance(container, BaseModel) else container[part]
    last = path[-1]
    if isinstance(container, BaseModel):
        setattr(container, str(last), ident)
    elif isinstance(container, list):
        container[last] = ident
    elif isinstance(container, dict) and last == name:  # a key, such as a branch type in applies_to
        entries = [(ident if key == name else key, value) for key, value in container.items()]
        container.clear()
        container.update(entries)


def _base(kind: str) -> str:
    return kind.split("@", 1)[0]
