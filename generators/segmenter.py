"""jieba's default segmenter, loaded once per process, quickly and quietly.

Diagram labels and printed table cells break between words (never inside one); both cut with
jieba's default tokenizer, so words added for print (terms of the handbook) hold in both.
"""

from __future__ import annotations

import gc
import logging
import marshal
from functools import cache
from types import ModuleType
from typing import Callable, Iterable


class _WholeFileMarshal:
    """marshal, with ``load`` reading the file whole first."""

    dump = staticmethod(marshal.dump)

    @staticmethod
    def load(handle):
        return marshal.loads(handle.read())


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
def jieba_module() -> ModuleType:
    """The ``jieba`` module, its default tokenizer's dictionary loaded."""
    jieba = quiet_jieba()
    load_dictionary(jieba.dt)
    return jieba


_ADDED: set[str] = set()
_CLEARS: list[Callable[[], None]] = []


def on_new_words(clear: Callable[[], None]) -> Callable[[], None]:
    """Register ``clear``, emptying a cache of cut texts: a text cut before words were added may cut otherwise now."""
    _CLEARS.append(clear)
    return clear


def add_words(words: Iterable[str]) -> None:
    """Words never to be broken (terms, role names); each added once per process, whatever the order."""
    jieba = jieba_module()
    new = [w for w in words if w not in _ADDED]
    for word in new:
        _ADDED.add(word)
        jieba.add_word(word)
    if new:
        for clear in _CLEARS:
            clear()
