"""Where each page of the site lives, relative to the site root (directory URLs).

Diagrams and pages both link through these, so a link is written once. Diagrams carry
links as ``@/<path>`` placeholders that the page embedding the diagram rewrites relative
to its own location (see :func:`relative`).
"""

from __future__ import annotations

PLACEHOLDER = "@/"


def home() -> str:
    return ""


def handbook(ident: str) -> str:
    return f"handbooks/{ident}/"


def section(ident: str) -> str:
    return f"sections/{ident}/"


def item(ident: str) -> str:
    return f"items/{ident}/"


def branch_type(ident: str) -> str:
    return f"branch-types/{ident}/"


def role(ident: str) -> str:
    return f"roles/{ident}/"


def document(ident: str) -> str:
    return f"documents/{ident}/"


def glossary(term: str | None = None) -> str:
    return "glossary/" + (f"#term-{term}" if term else "")


def rubric() -> str:
    return "rubric/"


def link(path: str) -> str:
    """A site path as a diagram link placeholder."""
    return PLACEHOLDER + path


def relative(text: str, page_path: str) -> str:
    """Rewrite every ``@/`` placeholder in ``text`` relative to the page at ``page_path``.

    ``page_path`` is the page's own directory URL (``items/x/``); the home page is ``""``.
    """
    depth = page_path.strip("/").count("/") + 1 if page_path.strip("/") else 0
    return text.replace('"' + PLACEHOLDER, '"' + "../" * depth)
