"""The page generator: the validated model and its diagrams → Markdown pages.

It knows nothing of MkDocs: it returns plain pages (path → Markdown) that the MkDocs plugin
adds as virtual files, and that ``handbook build --markdown-out`` writes for any other
Markdown site engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import urls
from ..model import Model


@dataclass(frozen=True)
class Page:
    """One generated page: where it goes, its title, its Markdown, and the YAML it comes from."""

    path: str
    title: str
    markdown: str
    source: str | None = None
    tags: tuple[str, ...] = field(default=())


def md_path(url: str) -> str:
    """``items/x/`` → ``items/x/index.md``; the home page ``""`` → ``index.md``."""
    return f"{url}index.md"


def item_page(item_id: str) -> str:
    return md_path(urls.item(item_id))


def build_pages(model: Model, svgs: dict[str, str], updated: dict[str, str] | None = None, *, history=None,
                predecessor=None, editors: bool = False) -> dict[str, Page]:
    """Every generated page, keyed by path, in a stable order.

    ``history`` (:class:`~generators.model.history.History`) adds each item's revision history and the
    change pages; ``predecessor`` (:class:`~generators.model.history.Predecessor`) the 修订对照表;
    ``editors``: with the source notes editors need.
    """
    from .build import PageBuilder

    return PageBuilder(model, svgs, updated or {}, history=history, predecessor=predecessor, editors=editors).build()


def build_print_page(model: Model, svgs: dict[str, str], printed: list) -> dict[str, Page]:
    """The print-editions page again, now listing the typeset PDFs with their pages and sizes."""
    from .build import PageBuilder

    builder = PageBuilder(model, svgs, {})
    builder.print_page(printed)
    return builder.pages


def build_yearly_pages(model: Model, svgs: dict[str, str], links, updated: dict[str, str], *,
                       editors: bool = False) -> dict[str, Page]:
    """The pages that link to the yearly documents (calendar, months, forms, branch types), once these are made."""
    from .build import PageBuilder

    builder = PageBuilder(model, svgs, updated, editors=editors)
    builder.yearly = links
    builder.calendar()
    builder.branch_types()
    builder.forms_index()
    builder.form_pages()
    return builder.pages


__all__ = ["Page", "build_pages", "build_print_page", "build_yearly_pages", "item_page", "md_path"]
