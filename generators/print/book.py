"""One edition as one HTML book: the site's pages (Markdown → HTML) and SVGs in print templates."""

from __future__ import annotations

import posixpath
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import markdown as md
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .. import urls
from ..diagrams import handbook_diagrams, render
from ..diagrams.render import DiagramCache
from ..model import Model
from ..model.schema import Edition
from ..pages import Page, item_page, md_path
from ..pages.build import PageBuilder
from .edition import edition_model

TEMPLATES = Path(__file__).resolve().parent / "templates"
MARKDOWN_EXTENSIONS = ["tables", "attr_list", "md_in_html"]
# Text area of a page in points (paper minus margins, minus room for running header and folio).
TEXT_AREA = {"A4": (170 / 25.4 * 72, 235 / 25.4 * 72), "A5": (118 / 25.4 * 72, 166 / 25.4 * 72)}
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n\n", re.S)
_SVG_SIZE = re.compile(r'(<svg id="[^"]+" class="hb-diagram"[^>]*?) width="([\d.]+)pt" height="([\d.]+)pt"')
_FIGURE = re.compile(r'^<figure class="hb-figure">\n.*?\n</figure>$', re.S | re.M)
_HREF = re.compile(r'((?:xlink:)?href)="([^"]*)"')


@dataclass(frozen=True)
class Chapter:
    anchor: str
    title: str
    html: Markup
    level: int = 1


@dataclass(frozen=True)
class Book:
    edition: Edition
    title: str
    subtitle: str
    html: str


def edition_title(model: Model, edition: Edition) -> tuple[str, str]:
    """The book's title and the line under it (branch type or audience)."""
    handbook = model.handbooks[edition.handbook]
    if edition.branch_type:
        return handbook.title, f"{model.branch_types[edition.branch_type].name}党支部适用"
    if edition.audience:
        names = {a.id: a.name for a in handbook.spec.audiences}
        return handbook.title, f"{names[edition.audience]}版"
    return handbook.title, ""


class _Linker:
    """Turns the site's relative links into links inside the book, or into plain text."""

    def __init__(self, anchors: dict[str, str]):
        self.anchors = anchors

    def __call__(self, html: str, page: str) -> str:
        def fix(match: re.Match) -> str:
            attribute, href = match.groups()
            if href.startswith("#") or not href or "://" in href:
                return match.group(0) if href.startswith("#") else ""
            path, _, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
            if not target.endswith(".md"):
                target = target.rstrip("/") + "/index.md"
            anchor = self.anchors.get(target)
            if anchor and fragment and target == "forms/index.md":
                anchor = fragment
            return f'{attribute}="#{anchor}"' if anchor else ""

        return _HREF.sub(fix, html)


def _fit_diagrams(html: str, paper: str) -> str:
    """Scale every diagram to fit the text area; the stylesheet keeps each on one page."""
    width, height = TEXT_AREA[paper]

    def fit(match: re.Match) -> str:
        head, w, h = match.group(1), float(match.group(2)), float(match.group(3))
        # Leave room above the diagram for the item's title and summary, so they share its page.
        scale = min(1.0, width / w, height * 0.8 / h)
        return f'{head} style="width: {w * scale:.1f}pt; height: {h * scale:.1f}pt"'

    return _SVG_SIZE.sub(fit, html)


def _demote(html: str, levels: int) -> str:
    """h1 → h2 … so a page becomes a part of a chapter."""
    def shift(match: re.Match) -> str:
        slash, level = match.group(1), int(match.group(2))
        return f"<{slash}h{min(level + levels, 6)}"

    return re.sub(r"<(/?)h([1-6])", shift, html)


def build_book(model: Model, edition: Edition, cache: DiagramCache, colophon: dict[str, str]) -> Book:
    """The whole edition as one HTML document, ready for WeasyPrint."""
    view = edition_model(model, edition)
    handbook = view.handbooks[edition.handbook]
    svgs = {ident: render(d, cache) for ident, d in handbook_diagrams(view, handbook.id, edition.branch_type).items()}
    form_ids = sorted({f for s in handbook.sections for i in s.items for f in i.forms}, key=list(view.forms).index)
    pages = PageBuilder(view, svgs, {}).book(handbook.id, edition.branch_type, form_ids)

    anchors = {md_path(urls.handbook(handbook.id)): f"handbook-{handbook.id}"}
    for section in handbook.sections:
        anchors[md_path(urls.section(section.id))] = f"section-{section.id}"
        for item in section.items:
            anchors[item_page(item.id)] = f"item-{item.id}"
    if edition.branch_type:
        anchors[md_path(urls.branch_type(edition.branch_type))] = f"type-{edition.branch_type}"
    anchors["forms/index.md"] = "forms"
    anchors.update({f"forms/{f}/index.md": f"form-{f}" for f in view.forms})
    anchors["rubric/score-sheet/index.md"] = "score-sheet"
    link = _Linker(anchors)

    def html_of(page: Page, demote: int = 0) -> Markup:
        text = _FRONT_MATTER.sub("", page.markdown)
        # Figures are raw HTML blocks that Markdown passes through unchanged; set them aside so
        # its HTML parser does not walk every SVG element (most of the time of a book otherwise).
        # The placeholder carries a fresh random mark, so no text from YAML can be taken for one.
        figures: list[str] = []
        mark = secrets.token_hex(8)

        def set_aside(match: re.Match) -> str:
            figures.append(match.group(0))
            return f"\n\nhbfigure{mark}n{len(figures) - 1}\n\n"

        text = _FIGURE.sub(set_aside, text)
        html = md.markdown(text, extensions=MARKDOWN_EXTENSIONS)
        html = re.sub(rf"<p>hbfigure{mark}n(\d+)</p>", lambda m: figures[int(m.group(1))], html)
        html = _fit_diagrams(link(html, page.path), edition.paper)
        return Markup(_demote(html, demote) if demote else html)

    chapters = [Chapter(f"handbook-{handbook.id}", handbook.title, html_of(pages[md_path(urls.handbook(handbook.id))]))]
    if edition.branch_type:
        bt = view.branch_types[edition.branch_type]
        chapters.append(Chapter(f"type-{bt.id}", f"{bt.name}党支部", html_of(pages[md_path(urls.branch_type(bt.id))])))
    for section in handbook.sections:
        if not section.items:
            continue
        chapters.append(Chapter(f"section-{section.id}", section.title, html_of(pages[md_path(urls.section(section.id))])))
        for item in section.items:
            chapters.append(Chapter(f"item-{item.id}", item.title, html_of(pages[item_page(item.id)], 1), level=2))

    appendices = []
    if form_ids:
        forms = "".join(f'<div class="blank-form" id="form-{f}">{html_of(pages[f"forms/{f}/index.md"], 1)}</div>'
                        for f in form_ids)
        appendices.append(("forms", "记录表", Markup(forms)))
    if edition.branch_type and view.rubric and "rubric/score-sheet/index.md" in pages:
        appendices.append(("score-sheet", "考核评分表", html_of(pages["rubric/score-sheet/index.md"], 1)))
    numbers = "一二三四五"
    for n, (anchor, name, html) in enumerate(appendices):
        chapters.append(Chapter(anchor, f"附录{numbers[n]}　{name}", Markup(f'<h1>附录{numbers[n]}　{name}</h1>') + html))
    cited = sorted({c.doc for s in handbook.sections for i in s.items for c in i.basis}, key=list(view.documents).index)
    documents = [view.documents[d] for d in cited]
    documents_title = f"附录{numbers[len(appendices)]}　依据文件"

    title, subtitle = edition_title(model, edition)
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    html = env.get_template("book.html.j2").render(
        title=title, subtitle=subtitle, edition=edition, site=model.site, chapters=chapters,
        documents=documents, documents_title=documents_title, colophon=colophon, css=Markup((TEMPLATES / "book.css").read_text(encoding="utf-8")),
    )
    return Book(edition, title, subtitle, html)
