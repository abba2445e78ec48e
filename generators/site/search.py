"""Search words beyond what the theme's index holds: compound domain words and their parts.

The theme segments Chinese text with jieba, which keeps every word of our dictionary whole
(预备党员转正, 入党积极分子): a search for the compound finds it, but a search for a part
(积极分子) does not, and a page that says 预备党员 … 转正 apart is not found by the compound.
Each index entry therefore gets a field ``words`` the reader never sees: the parts of every
compound in it, the compounds whose parts it holds, and the page's own search words
(``search.words`` in its front matter, e.g. 3月 and 三月 for a month page).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FIELD = "words"
# Where the theme's search cuts text into index words: white space, the zero-width spaces its
# jieba segmentation puts between Chinese words, hyphens, and Chinese punctuation (the theme's own
# separator for Chinese has the commonest marks; this one has the brackets and quotes too). A mark such as
# “，” or “《” is never a word anyone looks for; kept as a word, punctuation was a sixth of the index
# and of the time the search worker spends building it.
SEPARATOR = r"[\s\u200b\-，。、；：？！．“”‘’（）《》〈〉【】［］｛｝〔〕…—～·→]+"
_TOKENS = re.compile(SEPARATOR)


class CompoundWords:
    """The parts of each compound domain word, from the dictionary jieba segments with."""

    def __init__(self, compounds: Iterable[str], known: object):
        # ``known`` answers ``word in known`` (jieba's frequency table: a word with a count).
        self.parts: dict[str, tuple[str, ...]] = {}
        self.cover: dict[str, tuple[str, ...]] = {}
        for word in compounds:
            if len(word) < 3:
                continue
            parts = sorted({word[i:j] for i in range(len(word)) for j in range(i + 2, len(word) + 1)
                            if (i, j) != (0, len(word)) and word[i:j] in known})
            if parts:
                self.parts[word] = tuple(parts)
            cover = _longest_cover(word, known)
            if len(cover) > 1 and all(len(p) >= 2 for p in cover):
                self.cover[word] = cover

    def extra(self, tokens: set[str]) -> list[str]:
        """Words to add for an entry whose text has ``tokens``."""
        found: set[str] = set()
        for token in tokens:
            found.update(self.parts.get(token, ()))
        for word, cover in self.cover.items():
            if word not in tokens and all(part in tokens for part in cover):
                found.add(word)
        return sorted(found - tokens)


def _longest_cover(word: str, known: object) -> tuple[str, ...]:
    """The word as the longest dictionary words other than itself, left to right."""
    out, i = [], 0
    while i < len(word):
        j = next((j for j in range(len(word), i + 1, -1) if (i, j) != (0, len(word)) and word[i:j] in known), i + 1)
        out.append(word[i:j])
        i = j
    return tuple(out)


def tokens_of(entry: dict) -> set[str]:
    """The tokens of an index entry as the theme's segmentation wrote them."""
    text = re.sub(r"<[^>]*>", " ", f"{entry.get('title', '')} {entry.get('text', '')}")
    return {t for t in _TOKENS.split(text) if t}


class JiebaWords:
    """jieba's frequency table as a set: the words it can cut a text into."""

    def __init__(self) -> None:
        import jieba

        jieba.dt.check_initialized()
        self.freq = jieba.dt.FREQ

    def __contains__(self, word: str) -> bool:
        return bool(self.freq.get(word))


def add_words(entries: list[dict], compounds: CompoundWords, page_words: dict[str, tuple[str, ...]]) -> None:
    """Set the ``words`` field of every entry (again, on a rebuild: it is derived from the entry)."""
    for entry in entries:
        words = compounds.extra(tokens_of(entry))
        words += page_words.get(entry["location"], ())  # the page's own entry, not its sections
        if words:
            entry[FIELD] = " ".join(dict.fromkeys(words))
        else:
            entry.pop(FIELD, None)
