"""Placeholders of the ``handbook new item`` template: text such as ``【请填写：工作要求】`` that must be
replaced before the content can be published. Each one left is a mistake with its own code."""

from __future__ import annotations

import re
from typing import Any

from ..errors import Collector, diagnostic
from .source import LogicalPath, SourceFile, format_path

# What the template writes where the editor must write: 【请填写：what to write】.
PLACEHOLDER = re.compile(r"【请填写[：:][^】]*】")


def placeholder(what: str) -> str:
    """The placeholder text for ``what`` (used by the template, recognised by :func:`check_placeholders`)."""
    return f"【请填写：{what}】"


def check_placeholders(source: SourceFile, errors: Collector) -> bool:
    """Report every placeholder left in ``source``; whether there was one."""
    found = False
    for path, text in _strings(source.data, ()):
        for match in PLACEHOLDER.finditer(text):
            found = True
            mark = source.mark(path)
            errors.add(
                diagnostic("placeholder", file=source.rel, line=mark.line, column=mark.column,
                           path=format_path(path), text=match.group(0))
            )
    return found


def _strings(value: Any, path: LogicalPath):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _strings(sub, path + (key,))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _strings(sub, path + (i,))
