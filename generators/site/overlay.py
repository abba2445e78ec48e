"""The error overlay of ``handbook serve``: while the content has mistakes, every page shows them.

A rebuild that fails leaves the last good site in place. The preview still finishes that rebuild
(so no request waits for a site that will not come) and puts this overlay, in Chinese, on every
page it serves: file, line, the source line and the hint, as ``handbook validate`` prints them.
The next good save rebuilds the site and the pages reload without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..confine import source_line_reader
from ..errors import ContentError

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass
class Failure:
    """Why the last rebuild failed: the content's mistakes, or another build error's text."""

    error: ContentError | None = None
    text: str = ""

    def render(self, root: Path) -> str:
        # The source line comes only from plain files inside the project: a link that leaves it is never quoted.
        read = source_line_reader(root)
        shown = [(d, read(d.file, d.line)) for d in (self.error.diagnostics if self.error else [])]
        return _ENV.get_template("overlay.html.j2").render(
            diagnostics=shown, count=len(shown) or 1, text=self.text if not shown else ""
        )


def insert(page: bytes, overlay: str) -> bytes:
    """``page`` with ``overlay`` just before ``</body>``, where the preview also adds its reload script."""
    at = page.rfind(b"</body>")
    at = len(page) if at < 0 else at
    return page[:at] + overlay.encode("utf-8") + page[at:]
