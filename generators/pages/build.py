"""Assemble every page from the model: the logic lives here, the layout in templates/."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup

from .. import urls
from ..errors import ContentError, diagnostic
from ..diagrams.flowchart import step_role
from ..diagrams.matrix import duties
from ..model import emphasis_of
from ..model import Model, Section
from ..model.compare import CHANGE_LABELS
from ..model.procedures import numbered_title, step_numbers
from ..model.schema import (
    EMPHASIS_LABELS,
    FREQUENCY_LABELS,
    ROLE_GROUP_LABELS,
    SECTION_KIND_LABELS,
    STEP_KIND_LABELS,
    Citation,
    WorkItem,
)
from ..documents.links import Links
from ..overview import meeting_overview, work_overview
from ..calendar import LEVEL_NAMES, branch_types_of, due_label, occurrences
from ..model import review
from ..model.schema import RULE_TOPIC_LABELS
from . import Page, item_page, md_path
from .guide import guide_context
from .writing import writing_context
from .markdown import environment, link, md_text, relative
from ..model.shape import suggest
from ..model.dues import dues_data
from ..model.scoring import bonus_cap, sheet_data
from ..model.timelimits import timeline_steps

EMBED = re.compile(r"^\[\[(diagram|steps|items) ([^\]\s]+)\]\]\s*$")
REVISIONS_EMBED = re.compile(r"^\[\[revisions\]\]\s*$")
EMBED_KINDS = {"diagram": "图", "steps": "工作事项的步骤表", "items": "手册部分的事项表"}
_FENCE = re.compile(r"^\s*(```|~~~)")
REVISIONS_PAGE = "revisions/index.md"
REVISIONS_JSON = "revisions/comparison.json"
REVISIONS_PDF = "revisions/comparison.pdf"
CHANGES_PAGE = "changes/index.md"
RUBRIC_PERIODS = {"monthly": "每月", "quarterly": "每季度", "half_yearly": "每半年", "yearly": "每年"}
# Pages that stand for one thing (a branch type, a role, a document, a form, the glossary) rank
# first when a reader searches for that thing's name: the item pages carry the branch types as
# tags, which the theme weighs heavily (a match there outweighs one in the title a thousandfold),
# and would otherwise come first. Small, so that these pages do not crowd out other searches.
ENTITY_BOOST = 1.5
# Every item of a branch type carries the type's name as a tag: its own page needs more to come first.
BRANCH_TYPE_BOOST = 4
# A checklist repeats the text of all its items: the item pages should come before it.
CHECKLIST_BOOST = 0.3
MONTH_NAMES = "一二三四五六七八九十"


def figure(svg: str, page: str, caption: str, narrow: str | None = None) -> Markup:
    """An inline SVG diagram for the page at ``page`` (a Markdown path): links made relative.

    With ``narrow``, the figure holds a second drawing made for phone screens; the style sheet
    shows one or the other by the width of the screen.
    """
    url = page.removesuffix("index.md")

    def body(text: str) -> str:
        return "\n".join(line for line in urls.relative(text, url).splitlines() if line.strip())

    inner = f'<div class="hb-scroll">\n{body(svg)}\n</div>'
    if narrow:
        inner = f'<div class="hb-scroll hb-wide">\n{body(svg)}\n</div>\n<div class="hb-narrow">\n{body(narrow)}\n</div>'
    parts = print_parts(svg, caption)
    # Diagram internals (node ids, lane and phase names) are not what a reader searches for:
    # the figure is left out of the search index; the step tables say the same in words.
    return Markup(
        f'<figure class="hb-figure{" hb-parted" if parts else ""}" data-search-exclude>\n{inner}\n{parts}'
        f"<figcaption>{md_text(caption)}</figcaption>\n</figure>"
    )


# Room for a flowchart on an A4 page printed from the browser (its default margins, the caption), in points.
PRINT_WIDTH, PRINT_HEIGHT = 540.0, 700.0


def print_parts(svg: str, caption: str) -> str:
    """A tall flowchart cut for printing one page from the browser: the chart at a legible scale in parts
    of a page each, cut where a phase begins, every part under the lane headers.

    The parts draw the chart already on the page (``<use>``), so they add a few hundred bytes, not a
    second copy; the print style shows them instead of the whole chart, which would be shrunk to fit
    one page until its text is 3 pt high. Charts that fit a page, and other diagrams, have none.
    """
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    cuts = next((g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "hb-cuts"), None)
    if cuts is None:
        return ""
    ident = root.get("id")
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    scale = min(1.0, PRINT_WIDTH / width)
    header = float(cuts.get("data-header"))
    if height * scale <= PRINT_HEIGHT:
        return ""
    room = PRINT_HEIGHT / scale - header
    bounds = sorted({c for c in (float(v) for v in cuts.get("data-cuts").split()) if header < c < height} | {height})
    slices, start, previous = [], header, header
    for bound in bounds:
        if bound - start > room and previous > start:  # the part so far is full: cut at the last phase
            slices.append((start, previous))
            start = previous
        previous = bound
    slices.append((start, height))
    out = ['<div class="hb-print-parts" aria-hidden="true">']
    use = f'<use href="#{ident}" width="{width:g}" height="{height:g}"/>'
    for k, (start, end) in enumerate(slices, start=1):
        tall = header + end - start
        out.append(
            f'<svg viewBox="0 0 {width:g} {tall:g}" width="{width * scale:.1f}pt" height="{tall * scale:.1f}pt">'
            f'<svg width="{width:g}" height="{header:g}" viewBox="0 0 {width:g} {header:g}">{use}</svg>'
            f'<svg y="{header:g}" width="{width:g}" height="{end - start:g}" viewBox="0 {start:g} {width:g} {end - start:g}">{use}</svg>'
            f"</svg>"
            f"<p>{md_text(caption)}（第 {k} 部分，共 {len(slices)} 部分）</p>"
        )
    out.append("</div>\n")
    return "\n".join(out)


def changes_page(short: str) -> str:
    return f"changes/{short}/index.md"


def front_matter(tags: tuple[str, ...], boost: float | None, words: tuple[str, ...] = (), exclude: bool = False) -> str:
    """Tags (one per branch type), a search boost and extra search words, as YAML front matter;
    JSON strings are valid YAML."""
    lines = []
    if tags:
        lines += ["tags:"] + [f"  - {json.dumps(tag, ensure_ascii=False)}" for tag in tags]
    if boost or words or exclude:
        lines += ["search:"]
    if exclude:
        lines += ["  exclude: true"]
    if boost:
        lines += [f"  boost: {boost:g}"]
    if words:
        lines += ["  words:"] + [f"    - {json.dumps(word, ensure_ascii=False)}" for word in words]
    return "---\n" + "\n".join(lines) + "\n---\n\n" if lines else ""


def data_script(ident: str, data: object) -> Markup:
    """Data for a page's script, as JSON in a ``<script type="application/json">`` element.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so no text from the YAML can close the
    element or open markup, whatever it contains.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/json" id="{ident}">{text}</script>')


def script(page: str, name: str) -> Markup:
    """A tag loading one of our scripts (published under ``javascripts/handbook/``) from ``page``."""
    return Markup(f'<script src="{relative(page, SCRIPTS + name)}" defer></script>')


SCRIPTS = "javascripts/handbook/"


@dataclass
class TimelineStep:
    """One row of a date calculator: what the page shows, and the data its script computes with."""

    id: str
    title: str
    time_limit: str | None
    from_title: str | None
    data: dict


def _month_name(month: int) -> str:
    """1 → 一, 11 → 十一, 12 → 十二."""
    return MONTH_NAMES[month - 1] if month <= 10 else "十" + MONTH_NAMES[month - 11]


@dataclass
class Duty:
    item: WorkItem
    kind: str  # owner / participant / step
    steps: list[str]


class PageBuilder:
    def __init__(self, model: Model, svgs: dict[str, str], updated: dict[str, str], *, history=None, predecessor=None,
                 editors: bool = False):
        self.model = model
        self.history = history
        self.predecessor = predecessor
        self.editors = editors  # built for editors: pages name the YAML they come from
        self.svgs = svgs
        self.updated = updated
        self.env = environment()
        self.pages: dict[str, Page] = {}
        self.interactive = True  # the site's tools; a printed book has no use for them
        # The yearly documents (record books, wall charts, monthly Word files, Word forms) once they are made.
        self.yearly: Links | None = None
        self._occurrences: list | None = None  # the branch calendar, for the branch-type pages
        self.assessed_by: dict[str, list] = defaultdict(list)
        for aspect in model.rubric.aspects if model.rubric else []:
            for line in aspect.lines:
                for item_id in line.assesses:
                    self.assessed_by[item_id].append((aspect, line))
        self.term_names = {name for t in model.terms.values() for name in (t.term, *t.aliases)}
        self.term_items: dict[str, list[WorkItem]] = defaultdict(list)
        for item in model.items.values():
            for term in item.terms:
                self.term_items[term].append(item)

    # ------------------------------------------------------------ helpers

    def context(self, path: str, source: str | None = None, tags: tuple[str, ...] = ()) -> dict:
        """What every template can use on the page at ``path``."""

        def to(target: str, text: object) -> Markup:
            return link(path, target, text)

        def fig(ident: str) -> Markup:
            if ident not in self.svgs:
                return Markup("")
            return figure(self.svgs[ident], path, self.model_diagram_title(ident), self.svgs.get(f"{ident}-narrow"))

        return dict(
            model=self.model, page=path, to=to, figure=fig, cite=self.cite, role_link=self.role_link,
            item_link=self.item_link, urls=urls, md_path=md_path, item_page=item_page, tags=tags,
            updated=self.updated.get(source or ""), source=source, frequency=FREQUENCY_LABELS,
            emphasis=EMPHASIS_LABELS, step_kinds=STEP_KIND_LABELS, step_role=step_role,
            step_numbers=step_numbers, numbered_title=numbered_title,
            status=lambda item: review.item_status(self.model, item),
            task_status=lambda task: review.task_status(self.model, task),
            rule_status=lambda rule: review.rule_status(self.model, rule),
            data_script=data_script, script=lambda name: script(path, name),
            yearly=self.yearly,
            applies=self.applies, type_switch=lambda: self.type_switch(path), editors=self.editors,
            role_groups=ROLE_GROUP_LABELS,
        )

    def render(self, template: str, path: str, title: str, source: str | None, tags: tuple[str, ...] = (),
               boost: float | None = None, words: tuple[str, ...] = (), exclude: bool = False, **extra) -> None:
        context = self.context(path, source, tags)
        markdown = front_matter(tags, boost, words, exclude) + self.env.get_template(template).render(title=title, **context, **extra)
        self.pages[path] = Page(path, title, markdown, source, tags)

    def expand_embeds(self, markdown: str, path: str, file: str) -> str:
        """Replace ``[[diagram ID]]``, ``[[steps ITEM]]`` and ``[[items SECTION]]`` lines of a hand-written page."""
        context = self.context(path)
        tables = self.env.from_string(
            '{% from "_tables.md.j2" import steps_table, items_table with context %}'
            "{% if item %}{{ steps_table(item) | safe }}{% else %}{{ items_table(section) | safe }}{% endif %}"
        )
        sections = {s.id: s for hb in self.model.handbooks.values() for s in hb.sections}
        known = {
            "diagram": list(self.svgs),
            "steps": [i for i, item in self.model.items.items() if item.procedure],
            "items": list(sections),
        }
        errors, out, fenced = [], [], False
        for number, line in enumerate(markdown.splitlines(keepends=True), start=1):
            if _FENCE.match(line):
                fenced = not fenced
            match = None if fenced else EMBED.match(line)
            if not fenced and REVISIONS_EMBED.match(line):
                out.append(self.env.get_template("_revisions_link.md.j2").render(predecessor=self.predecessor, **context))
                continue
            if not match:
                out.append(line)
                continue
            kind, ident = match.groups()
            if ident not in known[kind]:
                errors.append(
                    diagnostic(
                        "unknown-embed", file=file, line=number, column=line.index(ident) + 1, kind=EMBED_KINDS[kind],
                        value=ident, suggestion=suggest(ident, sorted(known[kind])),
                    )
                )
                continue
            if kind == "diagram":
                out.append(f"{figure(self.svgs[ident], path, self.model_diagram_title(ident), self.svgs.get(f'{ident}-narrow'))}\n")
            elif kind == "steps":
                out.append(tables.render(item=self.model.items[ident], section=None, **context))
            else:
                out.append(tables.render(item=None, section=sections[ident], **context))
        if errors:
            raise ContentError(errors)
        return "".join(out)

    def applies(self, item: WorkItem) -> Markup:
        """A mark in a table row saying which branch types the item applies to, with what
        emphasis, for the branch-type switch (javascripts/branch-type.js) to filter by."""
        types = " ".join(f"{bt}:{level}" for bt in self.model.branch_types if (level := emphasis_of(item, bt)))
        return Markup(f'<span class="hb-applies" data-hb-types="{types}"></span>')

    def type_switch(self, path: str) -> Markup:
        """The branch-type switch: links to each type's page; the script filters this page instead."""
        links = [
            f'[{md_text(bt.name)}]({relative(path, md_path(urls.branch_type(bt.id)))}){{ data-hb-type="{bt.id}" }}'
            for bt in self.model.branch_types.values()
        ]
        links.append(f'[全部类型]({relative(path, "branch-types/index.md")}){{ data-hb-type="" }}')
        return Markup(
            '<div class="hb-type-switch" role="navigation" aria-label="按支部类型查看" markdown="1">\n\n'
            "我的支部类型：" + "　".join(links) + "\n\n</div>\n"
        )

    def model_diagram_title(self, ident: str) -> str:
        svg = self.svgs[ident]
        start = svg.index("-title\">") + len("-title\">")
        return Markup(svg[start : svg.index("</title>", start)]).unescape()

    def item_link(self, here: str, item_id: str) -> Markup:
        item = self.model.items.get(item_id)
        return link(here, item_page(item_id), item.title if item else item_id)

    def role_link(self, here: str, role_id: str) -> Markup:
        role = self.model.roles.get(role_id)
        return link(here, md_path(urls.role(role_id)), role.name if role else role_id)

    def cite(self, here: str, citation: Citation) -> Markup:
        doc = self.model.documents.get(citation.doc)
        text = link(here, md_path(urls.document(citation.doc)), doc.title if doc else citation.doc)
        if citation.articles:
            text += Markup(" ") + Markup(md_text("、".join(citation.articles)))
        if citation.note:
            text += Markup("：") + Markup(md_text(citation.note))
        return text

    # ------------------------------------------------------------ pages

    def build(self) -> dict[str, Page]:
        model = self.model
        for handbook in model.handbooks.values():
            self.handbook(handbook)
        self.branch_types()
        self.roles()
        self.documents()
        self.render("glossary.md.j2", md_path(urls.glossary()), "术语表", model.sources.get("glossary"),
                    boost=ENTITY_BOOST, term_items=self.term_items)
        self.forms_index()
        if model.rubric:
            self.render("rubric.md.j2", md_path(urls.rubric()), model.rubric.title, model.sources.get("rubric"),
                        rubric=model.rubric, periods=RUBRIC_PERIODS)
        if model.rubric:
            self.score_sheet()
        self.form_pages()
        self.calendar()
        self.revisions()
        if model.dues:
            self.dues()
        self.print_page([])
        # For editors, not for readers: left out of the readers' search.
        self.render("guide.md.j2", "guide/index.md", "编辑指南（字段说明）", None, exclude=True, kinds=guide_context())
        self.render("writing.md.j2", "guide/writing/index.md", "编写指南：工作事项和流程", None, **writing_context())
        self.review()
        return dict(sorted(self.pages.items()))

    def forms_index(self) -> None:
        self.render("forms.md.j2", "forms/index.md", "记录表", self.model.sources.get("forms"), boost=ENTITY_BOOST,
                    form_items=self._form_items())

    def form_pages(self) -> None:
        form_items = self._form_items()
        for form in self.model.forms.values():
            self.render("form.md.j2", f"forms/{form.id}/index.md", form.title, self.model.sources.get("forms"),
                        boost=ENTITY_BOOST, form=form,
                        items=form_items.get(form.id, []))

    def book(self, handbook_id: str, branch_type: str | None, form_ids: list[str]) -> dict[str, Page]:
        """Only the pages a printed edition of one handbook is made of."""
        model = self.model
        self.interactive = False
        self.handbook(model.handbooks[handbook_id])
        if branch_type:
            self.branch_type(model.branch_types[branch_type], self._branch_items())
            if model.rubric:
                self.score_sheet()
        form_items = self._form_items()
        for fid in form_ids:
            form = model.forms[fid]
            self.render("form.md.j2", f"forms/{fid}/index.md", form.title, model.sources.get("forms"), form=form,
                        items=form_items.get(fid, []))
        return self.pages

    def handbook(self, handbook) -> None:
        self.render("handbook.md.j2", md_path(urls.handbook(handbook.id)), handbook.title, handbook.source,
                    handbook=handbook, section_kinds=SECTION_KIND_LABELS,
                    overview=work_overview(self.model, handbook.id),
                    meetings=meeting_overview(self.model, handbook.spec.kind))
        for section in handbook.sections:
            self.render("section.md.j2", md_path(urls.section(section.id)), section.title, section.source,
                        handbook=handbook, section=section)
            for item in section.items:
                self.item(handbook, section, item)

    def calendar(self) -> None:
        """The year view, a work arrangement page per month, and the standard work checklists."""
        model = self.model
        year = model.site.edition_year
        found = occurrences(model, year)
        level_order = ["committee", "branch", "project", "member"]
        checklists = []
        for handbook in model.handbooks.values():
            rows = [(s, i) for s in handbook.sections for i in s.items]
            path = f"checklist/{handbook.id}/index.md"
            checklists.append((path, f"{handbook.spec.short}标准工作清单"))
            self.render("checklist.md.j2", path, f"{handbook.spec.short}标准工作清单", handbook.source,
                        boost=CHECKLIST_BOOST, rows=rows, branch=handbook.spec.kind == "branch")
            if handbook.spec.kind == "branch":
                for bt in model.branch_types.values():
                    typed = [(s, i) for s, i in rows if emphasis_of(i, bt.id)]
                    path = f"checklist/type-{bt.id}/index.md"
                    checklists.append((path, f"{bt.name}党支部标准工作清单"))
                    self.render("checklist.md.j2", path, f"{bt.name}党支部标准工作清单", bt.source,
                                boost=CHECKLIST_BOOST, rows=typed, branch=False)
        months = []
        for month in range(1, 13):
            this = sorted((o for o in found if o.month == month),
                          key=lambda o: (level_order.index(o.level), o.due or dt.date(year, month, 28), o.item.id))
            levels = []
            for level in level_order:
                rows = [(o, "、".join(branch_types_of(model, o.item)) if level == "branch" else "")
                        for o in this if o.level == level]
                if rows:
                    levels.append((LEVEL_NAMES[level], rows))
            months.append((month, len(this)))
            path = f"calendar/{month:02d}/index.md"
            previous = (f"calendar/{month - 1:02d}/index.md", f"{month - 1}月") if month > 1 else None
            following = (f"calendar/{month + 1:02d}/index.md", f"{month + 1}月") if month < 12 else None
            # "3月" and "三月" as readers type them; the title's "2027年3月" is one token to the index.
            words = (f"{month}月", f"{_month_name(month)}月")
            self.render("month.md.j2", path, f"{year}年{month}月党建工作安排", None, words=words, levels=levels, due=due_label, month=month,
                        previous=previous, following=following)
        feeds = [("calendar/committee.ics", "党委工作日历（committee.ics）")]
        feeds += [(f"calendar/branch-{bt.id}.ics", f"{bt.name}党支部工作日历（branch-{bt.id}.ics）") for bt in model.branch_types.values()]
        self.render("calendar.md.j2", "calendar/index.md", f"{year}年工作日历", None, months=months, year=year,
                    feeds=feeds, checklists=checklists, reminder_days=model.site.reminder_days)

    def score_sheet(self) -> None:
        rubric = self.model.rubric
        self.render("score_sheet.md.j2", "rubric/score-sheet/index.md", "考核评分表", self.model.sources.get("rubric"),
                    rubric=rubric, periods=RUBRIC_PERIODS, bonus_cap=bonus_cap(rubric), data=sheet_data(rubric))

    def dues(self) -> None:
        """The dues calculator: the rules as tables anyone can read, and the data its script uses."""
        dues = self.model.dues
        path = "dues/index.md"
        cited = [c.doc for cat in dues.categories for c in cat.basis]
        doc_id = max(set(cited), key=cited.count)

        def band_label(bands, index: int) -> str:
            low = bands[index - 1].up_to if index else None
            high = bands[index].up_to
            if low is None:
                return f"{high:g} 元以下（含 {high:g} 元）"
            if high is None:
                return f"{low:g} 元以上"
            return f"{low:g} 元以上至 {high:g} 元（含 {high:g} 元）"

        def cite_html(citation: Citation) -> Markup:
            # Inside raw HTML Markdown links are not rendered: write the link itself.
            doc = self.model.documents[citation.doc]
            href = relative(path, md_path(urls.document(citation.doc))).removesuffix("index.md")
            text = Markup('<a href="{}">{}</a>').format(href, Markup(md_text(doc.title)))
            if citation.articles:
                text += Markup(" ") + Markup(md_text("、".join(citation.articles)))
            return text

        self.render("dues.md.j2", path, dues.title, self.model.sources.get("dues"), dues=dues, doc_id=doc_id,
                    deductions={d.id: d for d in dues.deductions}, band_label=band_label, cite_html=cite_html,
                    data=dues_data(dues))

    def print_page(self, printed: list) -> None:
        self.render("print.md.j2", "print/index.md", "印刷版", self.model.sources.get("editions"), printed=printed,
                    editions=self.model.editions)

    def item(self, handbook, section, item: WorkItem) -> None:
        tags: tuple[str, ...] = ()
        types = []
        if handbook.spec.kind == "branch":
            for bt in self.model.branch_types.values():
                level = emphasis_of(item, bt.id)
                if level:
                    types.append((bt, level))
            tags = tuple(bt.name for bt, _ in types)
        key_tasks = [
            (bt, task) for bt in self.model.branch_types.values() for task in bt.key_tasks if item.id in task.items
        ]
        # The page named exactly after a glossary term is where a search for that term should land first.
        boost = 2 if item.title in self.term_names else None
        self.render("item.md.j2", item_page(item.id), item.title, section.source, tags, boost, handbook=handbook,
                    timeline=self._timeline(item) if self.interactive else [],
                    dues_tool=self.interactive and self._uses_dues_rules(item),
                    section=section, item=item, types=types, key_tasks=key_tasks, rules=review.item_rules(self.model, item),
                    assessed=self.assessed_by.get(item.id, []),
                    audiences={a.id: a.name for a in handbook.spec.audiences}, change_labels=CHANGE_LABELS,
                    history=self._item_history(item.id), history_note=self.history.note if self.history else "")

    # ------------------------------------------------------------ revisions

    def _item_history(self, item_id: str) -> list | None:
        """(entry, link to that change's comparison) newest first; ``None`` when the site has no history."""
        if self.history is None:
            return None
        rows = []
        for entry in self.history.items.get(item_id, []):
            comparison = self.history.comparisons.get(entry.change.commit)
            if comparison is not None and not any(i.id == item_id for i in comparison.items()):
                continue  # git saw the file change, the comparison nothing meaningful (formatting only)
            rows.append((entry, f"{changes_page(entry.change.short)}#item-{item_id}" if comparison else None))
        return rows

    def comparison_page(self, path: str, title: str, comparison, filters: list, downloads: list) -> None:
        self.render("comparison.md.j2", path, title, None, comparison=comparison, labels=CHANGE_LABELS,
                    filters=filters, downloads=downloads)

    def revisions(self, downloads: list | None = None) -> None:
        """The 修订对照表 with the predecessor (one page per branch type too) and the change pages."""
        if self.predecessor is not None:
            comparison = self.predecessor.comparison
            title = f"修订对照表（与 {self.predecessor.spec} 相比）"
            if comparison is None:
                self.render("revisions_missing.md.j2", REVISIONS_PAGE, title, self.model.sources.get("site"),
                            problem=self.predecessor.problem)
            else:
                pages = [(REVISIONS_PAGE, "全部", None)] + [
                    (f"revisions/type-{t}/index.md", f"{name}", t) for t, name in comparison.branch_types.items()
                ]
                for path, name, type_id in pages:
                    shown = comparison.for_branch_type(type_id) if type_id else comparison
                    filters = [(p, n, p == path) for p, n, _ in pages]
                    self.comparison_page(path, title if not type_id else f"{title}：{name}党支部", shown, filters,
                                         downloads if downloads is not None else [(REVISIONS_JSON, "JSON")])
        if self.history is None:
            return
        rows = []
        for change in self.history.changes:
            comparison = self.history.comparisons.get(change.commit)
            touched = len({i for i, entries in self.history.items.items() if any(e.change == change for e in entries)})
            path = changes_page(change.short) if comparison is not None else None
            if comparison is not None:
                touched = sum(1 for _ in comparison.items())
                self.comparison_page(path, f"{change.date} 的修改：{change.subject}", comparison, [], [])
            rows.append((change, touched, path))
        self.render("changes.md.j2", CHANGES_PAGE, "修订记录", None, rows=rows, note=self.history.note,
                    previous=self.predecessor is not None and self.predecessor.comparison is not None)

    def _uses_dues_rules(self, item: WorkItem) -> bool:
        """Whether an item cites the documents the dues rules come from (its page then links the calculator)."""
        dues = self.model.dues
        cited = {c.doc for cat in dues.categories for c in cat.basis} if dues else set()
        return any(c.doc in cited for c in item.basis)

    def _timeline(self, item: WorkItem) -> list[TimelineStep]:
        """The steps of the item's date calculator; none when fewer than two steps have a limit
        that sets a date."""
        if not item.procedure:
            return []
        steps = timeline_steps(item.procedure)
        dated = [s for s in steps if s["from"] and s["limit"] and s["limit"]["kind"] in ("after", "period", "at")
                 and (s["limit"]["kind"] == "at" or s["limit"]["minimum"] or s["limit"]["maximum"])]
        if len(dated) < 2:
            return []
        by_id = {s.id: s for s in item.procedure.steps}
        return [
            TimelineStep(s["id"], s["title"], by_id[s["id"]].time_limit, by_id[s["from"]].title if s["from"] else None,
                         {k: s[k] for k in ("id", "from", "limit")})
            for s in steps
        ]

    def _branch_items(self) -> list[tuple[Section, WorkItem]]:
        return [
            (section, item) for hb in self.model.handbooks.values() if hb.spec.kind == "branch"
            for section in hb.sections for item in section.items
        ]

    def branch_types(self) -> None:
        self.render("branch_types.md.j2", "branch-types/index.md", "支部类型", None)
        branch_items = self._branch_items()
        for bt in self.model.branch_types.values():
            self.branch_type(bt, branch_items)

    def branch_type(self, bt, branch_items: list[tuple[Section, WorkItem]]) -> None:
        applicable = [(s, i, emphasis_of(i, bt.id)) for s, i in branch_items if emphasis_of(i, bt.id)]
        # The type's hub: its work by month, calendar feed, checklist, printed editions and forms.
        year = self.model.site.edition_year
        mine = [o.month for o in self._branch_occurrences() if emphasis_of(o.item, bt.id)]
        months = [(m, mine.count(m)) for m in range(1, 13)]
        editions = [e for e in self.model.editions.values() if e.branch_type == bt.id]
        forms = sorted({f for _, i, _ in applicable for f in i.forms if f in self.model.forms},
                       key=list(self.model.forms).index)
        self.render("branch_type.md.j2", md_path(urls.branch_type(bt.id)), f"{bt.name}党支部", bt.source, (bt.name,), BRANCH_TYPE_BOOST,
                    bt=bt, applicable=applicable, months=months, year=year, editions=editions, forms=forms,
                    overview=self._type_overview(bt.id), meetings=meeting_overview(self.model, "branch"))

    def _branch_occurrences(self) -> list:
        """The branch handbooks' calendar time nodes in the edition year, worked out once for all branch types."""
        if self._occurrences is None:
            self._occurrences = [o for o in occurrences(self.model, self.model.site.edition_year) if o.level == "branch"]
        return self._occurrences

    def _type_overview(self, branch_type: str) -> list:
        """The branch handbook's 一览表 for one branch type (empty when there is no branch handbook)."""
        books = [h.id for h in self.model.handbooks.values() if h.spec.kind == "branch"]
        return [g for hid in books for g in work_overview(self.model, hid, branch_type)]

    def roles(self) -> None:
        model = self.model
        by_role: dict[str, list[Duty]] = defaultdict(list)
        for item in model.items.values():
            item_duties = duties(item)
            for rid, kind in item_duties.items():
                steps = [s.title for s in (item.procedure.steps if item.procedure else []) if step_role(item, s) == rid]
                by_role[rid].append(Duty(item, kind, steps))
        self.render("roles.md.j2", "roles/index.md", "角色", model.sources.get("roles"), groups=ROLE_GROUP_LABELS,
                    counts={rid: len(d) for rid, d in by_role.items()})
        labels = {"owner": "主责", "participant": "配合", "step": "参与"}
        for rid, role in model.roles.items():
            self.render("role.md.j2", md_path(urls.role(rid)), role.name, model.sources.get("roles"), boost=ENTITY_BOOST, role=role,
                        duties=by_role.get(rid, []), labels=labels, group=ROLE_GROUP_LABELS[role.group])

    def documents(self) -> None:
        model = self.model
        cited: dict[str, list[tuple[str, WorkItem, Citation]]] = defaultdict(list)
        counts: dict[str, int] = defaultdict(int)
        for item in model.items.values():
            for where, citations in [("事项", item.basis)] + [
                (f"步骤：{step.title}", step.basis) for step in (item.procedure.steps if item.procedure else [])
            ]:
                for citation in citations:
                    counts[citation.doc] += 1
                    if not citation.articles:
                        cited[citation.doc].append((where, item, citation))
        self.render("documents.md.j2", "documents/index.md", "依据文件", model.sources.get("documents"), counts=counts)
        uses = review.article_uses(model)
        for did, doc in model.documents.items():
            self.render("document.md.j2", md_path(urls.document(did)), doc.title, model.sources.get("documents"), boost=ENTITY_BOOST,
                        doc=doc, citations=cited.get(did, []), uses=uses)

    def review(self) -> None:
        """The editors' review page and the list of rules."""
        model = self.model
        # The review page is the editors' work list (file and line of every open question): not
        # something a reader searches for, so it is left out of a readers' site's search index.
        self.render("review.md.j2", "review/index.md", "内容审核", None, exclude=not self.editors, coverage=review.coverage(model),
                    unconfirmed=review.unconfirmed_documents(model), questions=model.open_questions)
        self.render("rules.md.j2", "rules/index.md", "规则一览", model.sources.get("rules"), topics=RULE_TOPIC_LABELS,
                    users=review.rule_users(model))

    def _form_items(self) -> dict[str, list[WorkItem]]:
        found: dict[str, list[WorkItem]] = defaultdict(list)
        for item in self.model.items.values():
            for form in item.forms:
                found[form].append(item)
        return found
