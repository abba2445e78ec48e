"""Pinyin for the site search: typing ``shyk`` or ``sanhuiyike`` finds 三会一课.

Titles get their pinyin as extra words in the search index (the theme's own search box then
finds them without any change to its scripts). Readings of polyphones come from pypinyin's phrase
dictionary, overridden phrase by phrase by ``modules/search.yml`` (``三会一课: san hui yi ke``).
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

_HAN = re.compile(r"[\u3400-\u9fff]+")


def readings(text: str, overrides: dict[str, str]) -> list[str]:
    """The pinyin of each Chinese character of ``text`` (other characters are left out),
    the longest override matching at each place taking precedence."""
    found: list[str] = []
    for run in _HAN.findall(text):
        position, plain = 0, ""
        while position < len(run):
            match = next((p for p in sorted(overrides, key=len, reverse=True) if run.startswith(p, position)), None)
            if match is None:
                plain += run[position]
                position += 1
                continue
            found += lazy_pinyin(plain, style=Style.NORMAL) if plain else []
            plain = ""
            found += overrides[match].split()
            position += len(match)
        found += lazy_pinyin(plain, style=Style.NORMAL) if plain else []
    return found


def pinyin_words(title: str, overrides: dict[str, str], terms: list[str]) -> list[str]:
    """Search words for a title: initials and full pinyin of its main part (before any bracket) and
    of every known term it contains, in a stable order without repeats."""
    core = re.split(r"[（(【\[]", re.sub(r"^\s*\d+[.、]\s*", "", title))[0]
    parts = [core] + [t for t in terms if t in title and t != core]
    words: list[str] = []
    clean = {k.strip("“”\"'"): v for k, v in overrides.items()}
    for part in parts:
        syllables = readings(part, clean)
        if len(syllables) < 2:
            continue
        for word in ("".join(s[0] for s in syllables), "".join(syllables)):
            if word not in words:
                words.append(word)
    return words
