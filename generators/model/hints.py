"""Mistakes of typing YAML with a Chinese input method, recognised where YAML itself only sees a
syntax error: Chinese quotes used as YAML quotes, a half-width colon inside a sentence, an
indentation one space off. Each gets its own code and a hint that says what to type instead.
"""

from __future__ import annotations

import re

from ..errors import Diagnostic, diagnostic

_CURLY = {"“": "“ ”", "‘": "‘ ’", "”": "“ ”", "’": "‘ ’"}
# `key: value` or `- key: value` or `- value`; the value's start column is group "value".
_ENTRY = re.compile(r"^(?P<lead>\s*(?:-\s+)*)(?:(?P<key>[A-Za-z_][A-Za-z0-9_-]*):\s+)?(?P<value>\S.*)?$")


def _key_column(line: str) -> int:
    """Where the first key or value of a line starts, after its indentation and list dashes."""
    m = _ENTRY.match(line)
    return len(m.group("lead")) if m else len(line) - len(line.lstrip(" "))


def _significant(lines: list[str], before: int) -> int | None:
    """The 0-based index of the nearest line above ``before`` that holds YAML (not blank, not a comment)."""
    for i in range(before - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return i
    return None


def explain_syntax(rel: str, text: str, line: int, column: int, problem: str) -> Diagnostic | None:
    """A Chinese-input diagnosis of a YAML syntax error at ``line``/``column`` (1-based), if one fits."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    here = {"file": rel}
    for number in (line, line - 1):  # YAML may notice an unclosed quote on the line after it
        if 0 < number <= len(lines):
            m = _ENTRY.match(lines[number - 1])
            value = m.group("value") if m else None
            # Only a colon or comment sign inside the quotes breaks YAML; a quoted word alone is text.
            if value and value[0] in _CURLY and (": " in value or " #" in value):
                start = m.start("value")
                key = m.group("key")
                example = f'{key}: "…"' if key else '- "…"'
                return diagnostic("curly-quotes", line=number, column=start + 1, quotes=_CURLY[value[0]],
                                  example=example, **here)

    current = lines[line - 1]
    indent = len(current) - len(current.lstrip(" "))
    above = _significant(lines, line - 1)
    if above is not None and current.strip():
        want = _key_column(lines[above])
        m = _ENTRY.match(lines[above])
        if abs(indent - want) == 1 and m and m.group("key") and not lines[above].rstrip().endswith(":"):
            return diagnostic("indent-off", line=line, column=1, other=above + 1, more="多" if indent > want else "少",
                              count=1, want=want, key=m.group("key"), **here)

    if "mapping values are not allowed" in problem:
        m = _ENTRY.match(current)
        if m and m.group("key") and m.group("value") and column - 1 > m.start("value"):
            return diagnostic("colon-in-text", line=line, column=column, key=m.group("key"), **here)
    return None


def explain_id(key: str, value: str) -> tuple[str, dict[str, object], int] | None:
    """For an id or name that does not match its pattern: (code name, fields, offset in the value) when
    a Chinese-input slip explains it, else ``None``."""
    if "\u3000" in value:
        return "fullwidth-space-in-id", {"key": key, "value": value}, value.index("\u3000")
    if value[:1] in _CURLY:
        return "curly-quotes", {"quotes": _CURLY[value[0]], "example": f'{key}: "{value.strip("“”‘’")}"'}, 0
    return None
