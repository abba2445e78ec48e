"""Our jieba tokenizer: diagram labels and printed table cells break between its words, never inside one.

It is a tokenizer of our own, not jieba's default one, which the site search (the theme's search plugin)
fills with a dictionary of its own during a build: a label or a cell must cut the same in every process,
whatever ran in it before (a helper process draws what the build process would have drawn).
"""

from __future__ import annotations

import gc
import logging
import marshal
import threading
from functools import cache
from types import ModuleType
from typing import Callable, Iterable


class _WholeFileMarshal:
    """marshal, with ``load`` reading the file whole first."""

    dump = staticmethod(marshal.dump)

    @staticmethod
    def load(handle):
        return marshal.loads(handle.read())


_LOADING = threading.Lock()


def quiet_jieba() -> ModuleType:
    """The ``jieba`` module; its start-up notes are not for our users."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    return jieba


def load_dictionary(tokenizer) -> None:
    """Load a jieba tokenizer's dictionary now, quickly.

    jieba reads its dictionary cache with marshal.load, which takes the file in small pieces (about a
    second); read whole, the same bytes load in a third of that. Half a million entries arrive at once:
    no collector sweeps meanwhile.
    """
    jieba = quiet_jieba()
    with _LOADING:
        module = jieba.marshal
        jieba.marshal = _WholeFileMarshal  # type: ignore[assignment]
        collecting = gc.isenabled()
        gc.disable()
        try:
            tokenizer.check_initialized()
        finally:
            jieba.marshal = module  # type: ignore[assignment]
            if collecting:
                gc.enable()


@cache
def tokenizer():
    """Our tokenizer, its dictionary loaded: jieba's default dictionary and the words given to :func:`add_words`."""
    found = quiet_jieba().Tokenizer()
    load_dictionary(found)
    return found


_ADDED: set[str] = set()
_CLEARS: list[Callable[[], None]] = []


def on_new_words(clear: Callable[[], None]) -> None:
    """Register ``clear``, emptying a cache of cut texts: a text cut before words were added may cut otherwise now."""
    _CLEARS.append(clear)


def add_words(words: Iterable[str]) -> None:
    """Words never to be broken (terms, role names), each added once per process.

    jieba gives a word added without a frequency just enough to keep it whole, reckoned from the words it
    already has: processes that must cut alike add the same words in the same order.
    """
    found = tokenizer()
    new = [w for w in words if w not in _ADDED]
    for word in new:
        _ADDED.add(word)
        found.add_word(word)
    if new:
        for clear in _CLEARS:
            clear()
