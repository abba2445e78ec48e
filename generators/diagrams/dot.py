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

from ..segmenter import on_new_words, tokenizer


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
# 避头尾: a closing mark never starts a line, an opening mark never ends one.
_NO_LINE_START = set("，。、；：！？）」』”’》〉】…,.;:!?)")
_NO_LINE_END = set("（「『“‘《〈【(")


_RANGE = set("至到～~—-")  # 1至2名: a range stays with its numbers


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and ch not in _BREAK_AFTER and ch not in _NO_LINE_START


def _segmenter():
    """Our jieba tokenizer. Labels break between words, never inside one."""
    return tokenizer()


def words_of(text: str) -> list[str]:
    """``text`` cut into words: Chinese by jieba, ASCII words and numbers whole, punctuation
    attached to the word before it (so no line starts with a comma), a number to the word after it."""
    tokens = [t for t in _segmenter().cut(text, HMM=False) if t]
    words: list[str] = []
    glue = ""  # a one-character word (和, 与, 及 …) goes with the word after it
    for token in tokens:
        if words and (token[0] in _NO_LINE_START or token.isspace()):
            words[-1] += glue + token  # a pending one-character word ends the phrase: keep it before the comma
            glue = ""
        elif glue[-1:].isdigit() and len(token) == 1 and _is_cjk(token) and token not in _RANGE:
            words.append(glue + token)  # a number and its measure word (1年, 2名, 3天) end a word together
            glue = ""
        elif (len(token) == 1 and _is_cjk(token)) or token[-1] in _NO_LINE_END or token[-1].isdigit():
            glue += token  # an opening mark goes with the word after it, and so does a number
        else:
            words.append(glue + token)
            glue = ""
    if glue:
        if words and len(glue) == 1:
            words[-1] += glue
        else:
            words.append(glue)
    return words


def wrap(text: str, width: float) -> list[str]:
    """Break ``text`` into lines of about ``width`` units, between words (never inside a Chinese
    word, never a single character alone on a line), preferring breaks after punctuation; no line
    starts with a closing mark or ends with an opening one (避头尾)."""
    return list(_wrap(text, width))


@lru_cache(maxsize=16384)
def _wrap(text: str, width: float) -> tuple[str, ...]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(_wrap_words(words_of(paragraph.strip()), width) or [""])
    return tuple(lines)


on_new_words(_wrap.cache_clear)


def _wrap_words(words: list[str], width: float) -> list[str]:
    lines: list[list[str]] = [[]]
    for word in words:
        line = lines[-1]
        if line and width_units("".join(line) + word.rstrip()) > width:
            # Prefer to break after punctuation when that keeps at least half the line.
            cut = max((i + 1 for i, w in enumerate(line) if w.rstrip()[-1:] in _BREAK_AFTER), default=0)
            if cut and width_units("".join(line[:cut])) >= width / 2 and cut < len(line):
                lines[-1], rest = line[:cut], line[cut:]
                lines.append(rest)
                if width_units("".join(rest) + word.rstrip()) <= width:
                    rest.append(word)
                    continue
            lines.append([])
        while width_units(word) > width * 1.5 and len(word) > 2:
            # A word longer than a line (rare: long names, numbers): split it, two characters at least per line.
            take = max(2, int(width))
            while take > 1 and (word[take] in _NO_LINE_START or word[take - 1] in _NO_LINE_END):
                take -= 1  # 避头尾 inside a split word too
            if lines[-1]:
                lines.append([])
            lines[-1].append(word[:take])
            lines.append([])
            word = word[take:]
        lines[-1].append(word)
    lines = [line for line in lines if line]
    # A last line of one character reads as a mistake: pull it up onto the line before.
    if len(lines) > 1 and len("".join(lines[-1]).strip()) == 1:
        last = lines.pop()
        lines[-1] += last
    return ["".join(line).strip() for line in lines]


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
