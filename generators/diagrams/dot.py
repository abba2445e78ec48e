"""A small writer of Graphviz DOT source.

Text from YAML only ever reaches DOT inside HTML-like labels, escaped by :func:`html_text`;
every other attribute value is quoted by :func:`quote`. The source is written in insertion
order, so the same model always gives byte-identical DOT.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


class Html(str):
    """An HTML-like label body (without the enclosing ``<`` ``>``)."""


def quote(value: object) -> str:
    text = str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _value(value: object) -> str:
    if isinstance(value, Html):
        return f"<{value}>"
    if isinstance(value, bool):
        return "true" if value else "false"
    return quote(value)


def _attrs(attrs: dict[str, object]) -> str:
    items = [f"{k}={_value(v)}" for k, v in attrs.items() if v is not None]
    return f" [{', '.join(items)}]" if items else ""


def width_units(text: str) -> float:
    """Display width in full-width character units (CJK = 1, ASCII = 0.5)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.55 for ch in text)


_BREAK_AFTER = set("，。；、：）》」』,;:)/ ")


_NO_LINE_START = set("，。、；：！？）」』”’》〉】…,.;:!?)")
_NO_LINE_END = set("（「『“‘《〈【(")


def wrap(text: str, width: float) -> list[str]:
    """Break ``text`` into lines of at most ``width`` units, preferring breaks after punctuation."""
    return list(_wrap(text, width))


@lru_cache(maxsize=16384)
def _wrap(text: str, width: float) -> tuple[str, ...]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for ch in paragraph:
            if width_units(current + ch) > width and current:
                if ch in _NO_LINE_START:  # 避头尾: a closing mark never starts a line; its word moves down with it
                    if len(current) > 1 and current[-1] not in _NO_LINE_START and current[-2] not in _NO_LINE_END:
                        lines.append(current[:-1].rstrip())
                        current = current[-1]
                    current += ch
                    continue
                cut = max((i + 1 for i, c in enumerate(current) if c in _BREAK_AFTER), default=0)
                if cut < len(current) * 0.5:
                    cut = len(current)
                    while cut > 0 and current[cut - 1].isascii() and current[cut - 1].isalnum() and ch.isascii() and ch.isalnum():
                        cut -= 1  # do not split an ASCII word
                    if cut == 0:
                        cut = len(current)
                while cut > 1 and current[cut - 1] in _NO_LINE_END:  # nor does an opening mark end a line
                    cut -= 1
                lines.append(current[:cut].rstrip())
                current = current[cut:].lstrip()
            current += ch
        lines.append(current.rstrip())
    return tuple(lines)


def html_text(text: str, width: float | None = None) -> str:
    """Escape ``text`` for an HTML-like label, wrapped into ``<br/>``-separated lines."""
    lines = wrap(text, width) if width else text.splitlines() or [""]
    return '<br align="center"/>'.join(html.escape(line, quote=True) for line in lines)


@dataclass
class Graph:
    """A DOT graph or cluster with nodes, edges and nested subgraphs, in insertion order."""

    name: str
    attrs: dict[str, object] = field(default_factory=dict)
    node_defaults: dict[str, object] = field(default_factory=dict)
    edge_defaults: dict[str, object] = field(default_factory=dict)
    directed: bool = True
    body: list[object] = field(default_factory=list)

    def node(self, ident: str, **attrs: object) -> None:
        self.body.append(("node", ident, attrs))

    def edge(self, tail: str, head: str, **attrs: object) -> None:
        self.body.append(("edge", tail, head, attrs))

    def subgraph(self, name: str, **attrs: object) -> Graph:
        sub = Graph(name, attrs, directed=self.directed)
        self.body.append(sub)
        return sub

    def source(self, indent: str = "") -> str:
        head = ("digraph " if self.directed else "graph ") if not indent else "subgraph "
        out = [f"{indent}{head}{quote(self.name)} {{"]
        inner = indent + "  "
        for key, value in self.attrs.items():
            out.append(f"{inner}{key}={_value(value)};")
        if self.node_defaults:
            out.append(f"{inner}node{_attrs(self.node_defaults)};")
        if self.edge_defaults:
            out.append(f"{inner}edge{_attrs(self.edge_defaults)};")
        arrow = " -> " if self.directed else " -- "
        for entry in self.body:
            if isinstance(entry, Graph):
                out.append(entry.source(inner))
            elif entry[0] == "node":
                out.append(f"{inner}{quote(entry[1])}{_attrs(entry[2])};")
            else:
                out.append(f"{inner}{quote(entry[1])}{arrow}{quote(entry[2])}{_attrs(entry[3])};")
        out.append(f"{indent}}}")
        return "\n".join(out) + ("\n" if not indent else "")
