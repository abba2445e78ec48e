"""Articles as data: every cited article is listed once, with one summary, in documents.yml.

A citation such as ``{doc: branch-regulations, articles: [第十五条]}`` names an article; the
article must be listed under that document in ``modules/documents.yml`` with a one-line summary.
Two checks follow from that: an article cited but not listed is a mistake (with a "did you mean"
among the listed numbers), and one number listed twice under a document is a mistake, so one
article cannot carry two different summaries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Collector, diagnostic
from . import schema as s
from .shape import suggest
from .source import SourceFile, format_path

if TYPE_CHECKING:
    from .references import Place


def check_articles(
    documents: tuple[SourceFile, s.DocumentsFile] | None,
    citations: list[tuple[s.Citation, Place]],
    errors: Collector,
) -> None:
    """Report articles listed twice and cited articles that are not listed."""
    if documents is None:
        return
    source, spec = documents
    listed: dict[str, dict[str, s.Article]] = {}
    for d, doc in enumerate(spec.documents):
        seen: dict[str, tuple[int, s.Article]] = {}
        for a, article in enumerate(doc.articles):
            path = ("documents", d, "articles", a, "number")
            if article.number in seen:
                first, other = seen[article.number]
                mark = source.mark(path)
                differs = "，概要不同" if other.summary != article.summary else ""
                errors.add(
                    diagnostic(
                        "article-twice", file=source.rel, line=mark.line, column=mark.column, path=format_path(path),
                        doc=_bare(doc.title), number=article.number, first_line=first, differs=differs,
                    )
                )
                continue
            seen[article.number] = (source.mark(path).line, article)
        listed[doc.id] = {number: article for number, (_, article) in seen.items()}
    for citation, place in citations:
        known = listed.get(citation.doc)
        if known is None:  # an unknown document is reported as an unknown reference
            continue
        title = next(d.title for d in spec.documents if d.id == citation.doc)
        for k, number in enumerate(citation.articles):
            if number in known:
                continue
            path = place.path + ("articles", k)
            mark = place.source.mark(path)
            errors.add(
                diagnostic(
                    "unknown-article", file=place.source.rel, line=mark.line, column=mark.column,
                    path=format_path(path), doc=_bare(title), number=number,
                    suggestion=suggest(number, list(known), what="已列出的条款"),
                )
            )


def _bare(title: str) -> str:
    return title.strip("《》")
