"""Lay out DOT with Graphviz in-process and keep the SVG in a content-hash cache.

The cache key holds everything that shapes the picture: the DOT source (which carries the
theme's fonts and colours), the theme itself, the Graphviz version and this renderer's
version. Writes are atomic (temporary file, then rename), so two builds running at once
each see either no entry or a whole one.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from functools import cache
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from ..fsutil import write_atomic

import pygraphviz

from . import swimlane

RENDERER_VERSION = "3"  # raise when the layout code draws the same DOT differently


class RenderError(Exception):
    """Graphviz could not lay out a diagram; carries Graphviz's own message."""


@cache
def graphviz_version() -> str:
    """The version of the Graphviz that lays out the diagrams, as it reports itself in its SVG."""
    match = re.search(r"graphviz version ([^ ]+)", layout_svg("digraph{}"))
    return match.group(1) if match else "unknown"


def layout_svg(dot: str) -> str:
    """Run ``dot`` on the source and return the raw SVG text; any Graphviz error raises."""
    messages: list[str] = []
    try:
        with _captured_stderr(messages):
            if 'hb_layout="swimlane"' in dot:
                svg = swimlane.draw(*swimlane.place(dot))
            else:
                svg = pygraphviz.AGraph(string=dot).draw(format="svg", prog="dot").decode("utf-8")
    except Exception as exc:  # pygraphviz raises several types, all carrying Graphviz's message
        raise RenderError(f"Graphviz 无法绘制此图：{exc} {' '.join(messages)}".strip()) from exc
    problems = [line for line in messages if line.startswith("Error")]
    if problems:
        raise RenderError("Graphviz 无法绘制此图：" + " ".join(problems))
    return svg


@contextmanager
def _captured_stderr(messages: list[str]):
    """Workaround: Graphviz reports some errors (e.g. in HTML-like labels) only on the C-level
    stderr and then draws a fallback picture; capture file descriptor 2 to notice them. This
    also keeps the bundled fontconfig's warnings about the system's newer configuration quiet."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            messages.extend(sink.read().decode("utf-8", "replace").splitlines())


def finish_svg(raw: str, *, ident: str, title: str, description: str) -> str:
    """Make Graphviz's SVG fit for inline use: accessible name and description, no prolog."""
    start = raw.index("<svg")
    svg = re.sub(r"<!--.*?-->\n?", "", raw[start:], flags=re.S)
    head_end = svg.index(">")
    head = svg[:head_end].replace(
        "<svg", f'<svg id="{ident}" class="hb-diagram" role="img" aria-labelledby="{ident}-title {ident}-desc"', 1
    )
    accessible = f'<title id="{ident}-title">{escape(title)}</title>\n<desc id="{ident}-desc">{escape(description)}</desc>\n'
    return head + ">\n" + accessible + svg[head_end + 1 :].lstrip("\n")


@dataclass
class DiagramCache:
    """SVG files named by the hash of what shapes them."""

    directory: Path
    theme_key: str = ""
    hits: int = 0
    misses: int = 0
    _version: str = field(default="", repr=False)

    def key(self, dot: str) -> str:
        if not self._version:
            self._version = graphviz_version()
        material = "\0".join([RENDERER_VERSION, self._version, self.theme_key, dot])
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def layout(self, dot: str) -> str:
        """The raw SVG for ``dot``: from the cache, or laid out now and stored."""
        path = self.directory / f"{self.key(dot)}.svg"
        try:
            cached = path.read_text(encoding="utf-8")
            if cached.rstrip().endswith("</svg>"):
                self.hits += 1
                return cached
        except OSError:
            pass
        self.misses += 1
        svg = layout_svg(dot)
        write_atomic(path, svg)
        return svg
