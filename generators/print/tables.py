"""Tables set for Chinese: column widths from the content, words (jieba) kept whole, forms filling pages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache

from .. import segmenter
from .typeset import Raw

PAD = 2 * 1.6 / 25.4 * 72 + 1  # a cell's inset on both sides (book.typ), plus the rule
MM = 72 / 25.4


# Dates are words: 12月 and 10日 never break after the number (the 年度工作日历's columns and cells).
DATE_WORDS = [f"{m}月" for m in range(1, 13)] + [f"{d}日" for d in range(1, 32)]


@cache
def _jieba():
    segmenter.add_words(DATE_WORDS)
    return segmenter.tokenizer()


def add_words(words: list[str]) -> None:
    """Terms of the handbook (三会一课 …) that must never be broken, in cells and diagram labels alike."""
    _jieba()
    segmenter.add_words(words)


def text_width(text: str, size: float) -> float:
    """Width of ``text`` in points: CJK characters one em, the rest about half."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.55 for ch in text)


def split_words(text: str) -> list[str]:
    return [w for w in _jieba().cut(text, HMM=False) if w]


@lru_cache(maxsize=None)
def _words_of(text: str) -> tuple[str, ...]:
    """``text`` as the words a line may break between (a table repeats the same texts cell after cell)."""
    return tuple(_glued(split_words(text)))


segmenter.on_new_words(_words_of.cache_clear)


def longest_word(text: str, size: float) -> float:
    return max((text_width(w, size) for w in _words_of(text)), default=0.0)


CLOSING = "，。、；：？！）》」』】〕’”"
OPENING = "（《「『【〔‘“"


def _glued(parts: list[str]) -> list[str]:
    """Words with their punctuation (避头尾): a closing mark stays with the word before it, an opening mark
    with the word after it, so no line between boxes starts or ends with the wrong one."""
    out: list[str] = []
    pending = ""
    for part in parts:
        if out and not pending and part[0] in CLOSING:
            out[-1] += part
        elif part[-1] in OPENING:
            pending += part
        else:
            out.append(pending + part)
            pending = ""
    if pending:
        if out:
            out[-1] += pending
        else:
            out.append(pending)
    return out


def words(text: object) -> Raw:
    """Typst for ``text`` that can break between words only (and never before a closing mark)."""
    parts = _words_of(str(text))
    if not parts:
        return Raw("")
    return Raw("#words(" + ", ".join(json.dumps(p, ensure_ascii=False) for p in parts) + ");")


def row_height(row: list[str], widths: list[float], size: float) -> float:
    """A rough height of a table row in points (lines × leading, plus the insets): enough to tell which rows
    could come near a page's height, which the typesetter then measures (``long-row`` in book.typ)."""
    lines = 1.0
    for text, width in zip(row, widths):
        room = max(width - PAD, size)
        lines = max(lines, sum(max(1.0, -(-text_width(part, size) // room)) for part in str(text).split("\n")))
    return lines * size * 1.6 + 2 * 2.4 * MM


HEADING_WORD = 6  # a column heading this short is one word: 责任主体 on one line, never 责任 over 主体


def heading(text: str) -> Raw:
    """Typst for a column heading: whole when short, else breaking between words only."""
    if len(text) <= HEADING_WORD:
        return Raw("#words(" + json.dumps(text, ensure_ascii=False) + ");") if text else Raw("")
    return words(text)


def _heading_width(text: str, size: float) -> float:
    return text_width(text, size) if len(text) <= HEADING_WORD else longest_word(text, size)


@dataclass(frozen=True)
class Columns:
    widths: list[float]
    squeezed: bool = False  # narrower than the longest words: the table wants a wider (turned) page

    def typst(self) -> Raw:
        return Raw("(" + ", ".join(f"{w:.1f}pt" for w in self.widths) + ",)")


def column_widths(header: list[str], rows: list[list[str]], total: float, size: float,
                  minimum: dict[int, float] | None = None) -> Columns:
    """Widths that fit: no column narrower than its longest word, the room left to the columns with most text."""
    minimum = minimum or {}
    cols = len(header)
    bold = size * 1.0
    floor = []
    want = []
    for c in range(cols):
        cells = [r[c] for r in rows if c < len(r)]
        floor.append(max([_heading_width(header[c], bold)] + [longest_word(x, size) for x in cells]) + PAD)
        want.append(max([text_width(header[c], bold)] + [text_width(x, size) for x in cells]) + PAD)
        floor[c] = max(floor[c], minimum.get(c, 0.0))
        want[c] = max(want[c], floor[c])
    if sum(want) <= total:
        spare = total - sum(want)
        return Columns([w + spare * w / sum(want) for w in want])
    spare = total - sum(floor)
    if spare <= 0:
        return Columns([f * total / sum(floor) for f in floor], squeezed=spare < -0.5)
    flex = [w - f for w, f in zip(want, floor)]
    return Columns([f + spare * x / sum(flex) for f, x in zip(floor, flex)])


@dataclass(frozen=True)
class FormRow:
    name: str
    required: bool
    kind: str
    choices: list[str]
    height: float  # points


LINE_GAP = 9 * MM  # handwriting lines 9 mm apart (at least 8 mm)
SINGLE = 10 * MM


def form_pages(fields, first: float, rest: float, tail: float = 0.0) -> list[list[FormRow]]:
    """The form's rows page by page, each page's writing space grown to fill it (no spill pages); ``tail``
    points stay free under the last row for the note that follows the form (保存期限, 用于)."""
    natural = [(f, (f.lines if f.kind == "multiline" else 1) * (LINE_GAP if f.kind == "multiline" else SINGLE) + 2)
               for f in fields]
    pages: list[list[tuple[object, float]]] = [[]]
    room = first
    for field, height in natural:
        if pages[-1] and sum(h for _, h in pages[-1]) + height > room:
            pages.append([])
            room = rest
        pages[-1].append((field, height))
    if len(pages[-1]) > 1 and sum(h for _, h in pages[-1]) + tail > room:
        pages.append([pages[-1].pop()])  # the note would spill: the last row starts a page, grown to fill it
    out = []
    for n, page in enumerate(pages):
        room = (first if n == 0 else rest) - sum(h for _, h in page) - (tail if n == len(pages) - 1 else 0)
        lined = [i for i, (f, _) in enumerate(page) if f.kind == "multiline"]
        extra = [0.0] * len(page)
        if lined and room > 0:
            # Whole handwriting lines, one at a time to each lined row in turn: less than a line is left over.
            for n in range(int(room // LINE_GAP)):
                extra[lined[n % len(lined)]] += LINE_GAP
        elif room > 0:
            extra = [room / len(page)] * len(page)
        rows = [FormRow(f.name, f.required, f.kind, list(f.choices), h + e) for (f, h), e in zip(page, extra)]
        out.append(rows)
    return out
