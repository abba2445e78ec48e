"""Markdown output helpers: text from YAML is escaped wherever it lands.

Templates are rendered with :func:`environment`, whose ``finalize`` escapes every value for
Markdown *and* HTML (Markdown passes raw HTML through), except :class:`Markup` that code built
on purpose (links, tables of known structure, inline SVG).
"""

from __future__ import annotations

import posixpath
import re
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup

_ENTITIES = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
    "\\": "&#92;", "`": "&#96;", "*": "&#42;", "_": "&#95;", "{": "&#123;", "}": "&#125;",
    "[": "&#91;", "]": "&#93;", "(": "&#40;", ")": "&#41;", "#": "&#35;", "!": "&#33;",
    "|": "&#124;", "~": "&#126;", "^": "&#94;", "$": "&#36;", "%": "&#37;",
}
_TABLE = str.maketrans(_ENTITIES)


_NUMBERED = re.compile(r"^(\s*\d+)\.")
_SIGN = re.compile(r"^(\s*)([-+=:])")


def md_text(value: object) -> str:
    """Any value as literal text in Markdown (and in the HTML Markdown becomes)."""
    return _md_str(str(value))


@lru_cache(maxsize=65536)
def _md_str(text: str) -> str:
    # Pages repeat the same names and titles many times over: each distinct text is escaped once.
    text = text.translate(_TABLE)
    text = _NUMBERED.sub(r"\1&#46;", text)
    text = _SIGN.sub(lambda m: m.group(1) + f"&#{ord(m.group(2))};", text)
    return text.replace("\r\n", "\n").replace("\n", "<br>")


def _finalize(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return md_text(value)


@cache
def environment() -> Environment:
    """The one template environment (templates are compiled once per process)."""
    templates = Path(__file__).resolve().parent / "templates"
    env = Environment(
        loader=FileSystemLoader(templates),
        bytecode_cache=FileSystemBytecodeCache(),  # compiled templates, kept in the user's temporary folder
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = lambda value: Markup(md_text(value))
    return env


def relative(from_page: str, to_page: str) -> str:
    """The link from one Markdown file to another, both relative to the docs root."""
    target, _, anchor = to_page.partition("#")
    path = _relpath(target, posixpath.dirname(from_page) or ".")
    return path + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=65536)
def _relpath(target: str, start: str) -> str:
    return posixpath.relpath(target, start)  # slow, and asked for the same few folders again and again


def link(from_page: str, to_page: str, text: object) -> Markup:
    return Markup(f"[{md_text(text)}]({relative(from_page, to_page)})")
