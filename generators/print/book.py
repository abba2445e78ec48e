"""One edition as a book: Typst markup from the model (templates/edition.typ.j2) and the SVG diagrams.

The diagrams are drawn for paper: flowcharts that do not fit a page at a legible scale come in parts
(:func:`generators.diagrams.flowchart.paper_flowchart`), diagrams wider than the text area go on
landscape pages, and nothing is scaled below the legibility floor.
"""

from __future__ import annotations

import pickle
import re
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import partial

from ..diagrams import Diagram, handbook_diagrams, render, swimlane
from ..diagrams.flowchart import Frame, PaperFlowchart, paper_flowchart, step_numbers, step_role
from ..diagrams.matrix import branch_work_items, emphasis_of
from ..diagrams.root import handbook_tree
from ..diagrams.render import DiagramCache
from ..diagrams.style import Style
from .. import segmenter
from ..model import review
from ..model import Model
from ..model.schema import EMPHASIS_LABELS, FREQUENCY_LABELS, SECTION_KIND_LABELS, STEP_KIND_LABELS, Edition
from ..pages.build import RUBRIC_PERIODS
from . import matrices, tables
from ..overview import meeting_overview, work_overview
from .edition import edition_model
from .tables import Columns, column_widths, words
from .typeset import BODY_SIZE, FLOOR, HEADER_ALLOWANCE, BookSource, Raw, text_area, typst_env

# Graphviz sets HTML-label point sizes in whole points: 8.5 would come out as 8. Print asks for 9.
PRINT_SMALL_FONT = 9.0
_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)pt" height="([\d.]+)pt"')
_FONT = re.compile(r'font-size="([\d.]+)"')
TABLE_SIZE = {"A4": 9.0, "A5": 8.0}
CAPTION = 14 + 8 / 25.4 * 72  # room for a figure's caption (one line) and the space around it, in points
# Paper flowcharts by everything that shapes them: the branch editions share most items, and one worker
# process typesets several editions.
_PAPER: dict[tuple, object] = {}
segmenter.on_new_words(_PAPER.clear)  # labels wrap between words: new words, new shapes


@dataclass
class Figure:
    """A diagram placed in the book: its file, printed width, caption, page and connectors."""

    file: str
    width: float
    caption: str
    landscape: bool = False
    label: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    connector: str = ""
    shrunk: bool = False  # smaller than the page's legible scale: the last resort, never for the shipped content


@dataclass
class Table:
    columns: Columns
    header: list[str]
    rows: list[list[object]]
    # Rows that might be taller than a page: the typesetter measures them and lets only those split.
    long: set[int] = field(default_factory=set)
    size: float = 9.0
    page: float = 0.0  # the height a row may take on a page, in points
    landscape: bool = False  # on a turned page: too wide for the portrait page without breaking words


def edition_title(model: Model, edition: Edition) -> tuple[str, str]:
    """The book's title and the line under it (branch type or audience)."""
    handbook = model.handbooks[edition.handbook]
    if edition.branch_type:
        return handbook.title, f"{model.branch_types[edition.branch_type].name}党支部适用"
    if edition.audience:
        names = {a.id: a.name for a in handbook.spec.audiences}
        return handbook.title, f"{names[edition.audience]}版"
    return handbook.title, ""


def svg_size(svg: str) -> tuple[float, float]:
    match = _SIZE.search(svg)
    return (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)


class _Placer:
    """Places an edition's diagrams on its pages, writing each SVG into the book's files."""

    def __init__(self, style: Style, cache: DiagramCache, paper: str, files: dict[str, str]):
        self.style, self.cache, self.paper, self.files = style, cache, paper, files
        self.portrait = text_area(paper)
        self.landscape = text_area(paper, landscape=True)

    def measure(self, diagram: Diagram) -> tuple[float, float]:
        return svg_size(self.cache.layout(diagram.dot))

    def _file(self, diagram: Diagram) -> str:
        svg = render(diagram, self.cache)
        # Links inside diagrams lead to site pages; on paper they lead nowhere.
        svg = re.sub(r'(?:xlink:)?href="@/[^"]*"', "", svg)
        name = f"{diagram.id}.svg"
        self.files[name] = svg
        return name

    def floor_scale(self, svg: str) -> float:
        smallest = min((float(s) for s in _FONT.findall(svg)), default=FLOOR)
        return min(1.0, FLOOR / smallest)

    def figure(self, diagram: Diagram, room: float) -> list[Figure]:
        """A diagram scaled to fit the text area (``room`` points high on its page), turned if too wide."""
        name = self._file(diagram)
        w, h = svg_size(self.files[name])
        least = self.floor_scale(self.files[name])
        width, height = self.portrait
        scale = min(1.0, width / w, (max(room, height) - CAPTION) / h)
        if scale >= least:
            return [Figure(name, w * scale, diagram.title)]
        lw, lh = self.landscape
        scale = max(least, min(1.0, lw / w, (lh - CAPTION) / h))
        return [Figure(name, w * scale, diagram.title, landscape=True)]

    def cut(self, item, room: float) -> PaperFlowchart:
        """``item``'s flowchart cut for this paper, its first part ``room`` points high."""
        width, height = self.portrait
        lw, lh = self.landscape
        least = FLOOR / min(self.style.theme.font_size, PRINT_SMALL_FONT)
        frames = [Frame(width, height - CAPTION, room, least), Frame(lw, lh - CAPTION, lh - CAPTION, least, landscape=True)]
        key = (item.model_dump_json(), tuple(frames), self.style.theme.model_dump_json(), id(self.style.model.roles),
               id(self.style.model.items))
        if key not in _PAPER:
            _PAPER[key] = paper_flowchart(self.style, item, frames, self.measure, lambda d: swimlane.measure(d.dot))
        return _PAPER[key]

    def flowchart(self, item, room: float, paper: PaperFlowchart | None = None) -> list[Figure]:
        """The figures of ``item``'s flowchart (``paper``: its parts, when already worked out elsewhere)."""
        if paper is None:
            paper = self.cut(item, room)
        figures = []
        count = len(paper.parts)
        for part, diagram in paper.parts:
            name = self._file(diagram)
            w, h = svg_size(self.files[name])
            # Last resort for a part that overflows a page even alone at the floor (one row of steps taller than
            # a page however its boxes are drawn): shrink it rather than lose its bottom off the page.
            # tests/test_print.py checks that no edition of the shipped content ever comes here.
            scale = min(paper.scale, paper.frame.height / h, paper.frame.width / w)
            if h * paper.scale <= paper.frame.height and w * paper.scale <= paper.frame.width * 1.04:
                scale = paper.scale  # a few points too wide: into the margin, rather than below the floor
            label = f"flow-{item.id}-part-{part.index + 1}"
            pages = {part.placeholder(sid): f"flow-{item.id}-part-{part.part_of[sid] + 1}"
                     for sid in part.part_of if part.placeholder(sid) in self.files[name]}
            connector = ""
            if count > 1:
                connector = f"第 {part.index + 1} 部分，共 {count} 部分"
            figures.append(Figure(name, w * scale, diagram.title, landscape=paper.frame.landscape,
                                  label=label, pages=pages, connector=connector, shrunk=scale < paper.scale - 1e-6))
        return figures


def _print_model(model: Model) -> Model:
    theme = model.theme
    assert theme is not None
    return replace(model, theme=theme.model_copy(update={"small_font_size": max(theme.small_font_size, PRINT_SMALL_FONT)}))


def _flowchart_rooms(view: Model, edition: Edition) -> list[tuple[str, float]]:
    """(item id, height left for its flowchart's first part) for every procedure of the edition, in book order."""
    handbook = view.handbooks[edition.handbook]
    total, page_height = text_area(edition.paper)
    body = BODY_SIZE[edition.paper]
    rooms = []
    for section in handbook.sections:
        for item in section.items:
            if item.procedure:
                summary_lines = len(item.summary or "") / (total / body) + 1
                # Title, breadcrumb, summary, caption and the parts note share the first part's page.
                used = 15 * 2.4 + body * 2.4 + summary_lines * body * 1.8 + 12 + 2 * 13 + 24
                rooms.append((item.id, page_height - used))
    return rooms


def _book_words(view: Model) -> list[str]:
    """Words never broken, in tables and diagram labels alike: the terms (with their aliases) and role names."""
    return sorted({n for t in view.terms.values() for n in (t.term, *t.aliases)} | {r.name for r in view.roles.values()})


# A helper process's edition: its view of the model and the placer that cuts its flowcharts (see build_book).
_HELPER: dict[str, tuple[Model, "_Placer"]] = {}


def start_helper(pickled: str, edition_id: str, cache: DiagramCache) -> None:
    """Set up a helper process for one edition: it cuts that edition's flowcharts (:func:`cut_flowchart`).
    The model comes pickled in a file: as an argument it would hold up the process starting the helper
    until the helper had imported everything and read it."""
    with open(pickled, "rb") as handle:
        model = pickle.load(handle)
    edition = model.editions[edition_id]
    view = _print_model(edition_model(model, edition))
    tables.add_words(_book_words(view))  # as the edition's own process does before any diagram
    _HELPER[edition_id] = (view, _Placer(Style(view), cache, edition.paper, {}))


def cut_flowchart(edition_id: str, item_id: str, room: float) -> PaperFlowchart:
    """In a helper process: one flowchart cut for paper; its layouts land in the shared diagram cache."""
    view, placer = _HELPER[edition_id]
    return placer.cut(view.items[item_id], room)


def build_book(model: Model, edition: Edition, cache: DiagramCache, colophon: dict[str, str],
               helpers: Executor | None = None) -> BookSource:
    """The whole edition as a book source, ready for :func:`generators.print.typeset.typeset`.

    ``helpers``, processes set up by :func:`start_helper` for this edition, cut the flowcharts meanwhile.
    """
    view = _print_model(edition_model(model, edition))
    handbook = view.handbooks[edition.handbook]
    style = Style(view)
    files: dict[str, str] = {}
    placer = _Placer(style, cache, edition.paper, files)
    rooms = _flowchart_rooms(view, edition)
    pending: dict[str, Future] = {}
    if helpers is not None:
        pending = {iid: helpers.submit(cut_flowchart, edition.id, iid, room) for iid, room in rooms}
    tables.add_words(_book_words(view))
    size = TABLE_SIZE[edition.paper]
    total, page_height = text_area(edition.paper)
    region = page_height + HEADER_ALLOWANCE * 72 / 25.4  # the page's body: the running header sits in the margin

    diagrams = handbook_diagrams(view, handbook.id, edition.branch_type)
    figures: dict[str, list[Figure]] = {}
    items_by_section = {}
    sections = [s for s in handbook.sections if s.items]
    for ident, diagram in diagrams.items():
        if diagram.kind == "root" and ident == f"root-handbook-{handbook.id}":
            # Taller than a page at a legible size: the sections only (each section's chapter has its items).
            w, h = placer.measure(diagram)
            least = placer.floor_scale(placer.cache.layout(diagram.dot))
            if h * least > page_height - CAPTION or w * least > total:
                diagram = handbook_tree(style, handbook, items=False)
        if diagram.kind in ("root", "logic"):
            figures[ident] = placer.figure(diagram, page_height * 0.75)
    body = BODY_SIZE[edition.paper]
    chars_per_line = total / body

    def table(header: list[str], rows: list[list[object]], minimum: dict[int, float] | None = None,
              short: tuple[int, ...] = (), turn: bool = False) -> Table:
        plain = [[str(c) for c in r] for r in rows]
        cols = column_widths(header, plain, total, size, minimum)
        room = region
        if turn and cols.squeezed:  # on a turned page rather than with words broken
            width, height = text_area(edition.paper, landscape=True)
            cols, room = column_widths(header, plain, width, size, minimum), height + HEADER_ALLOWANCE * 72 / 25.4
        cells = [[words(c) if i in short and c else c for i, c in enumerate(r)] for r in rows]
        long = {n for n, r in enumerate(plain) if tables.row_height(r, cols.widths, size) > room / 3}
        return Table(cols, header, cells, long, size, room - tables.row_height(header, cols.widths, size),
                     landscape=turn and room != region)

    # The matrices are tables on paper (generators.print.matrices): they continue across pages.
    handbook_items = [i for s in handbook.sections for i in s.items]
    matrix_tables = {
        "roles": matrices.role_tables(style, handbook_items, partial(table, turn=True), total, size),
        "months": matrices.month_table(handbook_items, partial(table, turn=True)),
        "types": (matrices.type_table(style, list(model.branch_types.values()), branch_work_items(view),
                                      edition.branch_type, partial(table, turn=True)) if edition.branch_type else []),
    }

    role_name = lambda rid: view.roles[rid].name if rid in view.roles else rid  # noqa: E731
    built: dict[str, Table] = {}
    built["sections"] = table([handbook.spec.section_label, "类别", "工作事项"],
                              [[s.title, s.spec.category or s.spec.kind, str(len(s.items))] for s in handbook.sections],
                              short=(1, 2))
    built["sections"].rows = [[r[0], words(s.spec.category or SECTION_KIND_LABELS[s.spec.kind]), r[2]]
                              for r, s in zip(built["sections"].rows, handbook.sections)]
    anchors = {f"handbook-{handbook.id}"}
    bt = view.branch_types[edition.branch_type] if edition.branch_type else None
    if bt:
        anchors.add(f"type-{bt.id}")
        branch_items = [(s, i) for h in view.handbooks.values() if h.spec.kind == "branch" for s in h.sections for i in s.items]
        applicable = [(s, i, emphasis_of(i, bt.id)) for s, i in branch_items if emphasis_of(i, bt.id)]
        built["applicable"] = table(["事项", "所属要素", "侧重", "频次"],
                                    [[i.title, s.title, EMPHASIS_LABELS[lv], FREQUENCY_LABELS[i.frequency]] for s, i, lv in applicable],
                                    short=(1, 2, 3))
    assessed_by: dict[str, list] = {}
    for aspect in view.rubric.aspects if view.rubric else []:
        for line in aspect.lines:
            for iid in line.assesses:
                assessed_by.setdefault(iid, []).append((aspect, line))
    audiences = {a.id: a.name for a in handbook.spec.audiences}
    for section in sections:
        anchors.add(f"section-{section.id}")
        built[f"section-{section.id}"] = table(
            ["事项", "责任主体", "频次", "时间节点"],
            [[i.title, role_name(i.owner), FREQUENCY_LABELS[i.frequency], "；".join(i.time_nodes)] for i in section.items],
            short=(1, 2))
        facts_list = []
        for item in section.items:
            anchors.add(f"item-{item.id}")
            built[f"facts-{item.id}"] = table(
                ["责任主体", "参与和配合", "频次", "时间节点"],
                [[role_name(item.owner), "、".join(role_name(r) for r in item.participants),
                  FREQUENCY_LABELS[item.frequency], "；".join(item.time_nodes)]], short=(0, 2))
            if item.procedure:
                numbers = step_numbers(item)
                titles = {s.id: s.title for s in item.procedure.steps}
                rows = []
                for step in item.procedure.steps:
                    content = step.description or ""
                    branches = "；".join(f"{b.label or ''} → {titles.get(b.next, b.next)}" for b in step.branches)
                    content = "\n".join(x for x in (content, branches) if x)
                    kind = "" if step.kind == "task" else f"［{STEP_KIND_LABELS[step.kind]}］"
                    rows.append([str(numbers.get(step.id, "")), kind + step.title, role_name(step_role(item, step)),
                                 content, step.time_limit or "", step.output or ""])
                built[f"steps-{item.id}"] = table(["序号", "步骤", "责任主体", "工作内容", "时限", "输出"], rows,
                                                  short=(0, 2))
            types = []
            if handbook.spec.kind == "branch":
                types = [(b, emphasis_of(item, b.id)) for b in model.branch_types.values() if emphasis_of(item, b.id)]
                built[f"types-{item.id}"] = table(["支部类型", "侧重"], [[b.name, EMPHASIS_LABELS[lv]] for b, lv in types],
                                                  short=(0, 1))
            key_tasks = [(b, t) for b in model.branch_types.values() for t in b.key_tasks if item.id in t.items]
            facts_list.append({
                "item": item, "types": types, "key_tasks": key_tasks, "assessed": assessed_by.get(item.id, []),
                "audiences": [audiences[a] for a in item.audiences if a in audiences],
            })
        items_by_section[section.id] = facts_list

    form_ids = sorted({f for s in handbook.sections for i in s.items for f in i.forms}, key=list(view.forms).index)
    form_items: dict[str, list] = {}
    for item in view.items.values():
        for f in item.forms:
            form_items.setdefault(f, []).append(item)
    forms = []
    for fid in form_ids:
        form = view.forms[fid]
        anchors.add(f"form-{fid}")
        description_lines = len(form.description or "") / chars_per_line + (1 if form.description else 0)
        first = page_height - 15 * 1.8 - description_lines * body * 1.75 - 3 * body * 1.75 - 10
        used_by = form_items.get(fid, [])
        note = (f"保存期限：{form.retention}　" if form.retention else "") + (
            "用于：" + "、".join(i.title for i in used_by) if used_by else "")
        # The note under the form, 8 pt: its lines, the space above it, and a little to spare.
        tail = ((tables.text_width(note, 8.0) // total + 1) * 8.0 * 1.75 + body * 1.5 + 6) if note else 0.0
        forms.append({"id": fid, "title": form.title, "description": form.description, "retention": form.retention,
                      "used_by": used_by,
                      "pages": tables.form_pages(form.fields, first, page_height - body * 2.5 - 10, tail)})

    appendices = []
    numbers_cn = "一二三四五"
    if forms:
        appendices.append({"anchor": "forms", "name": "记录表"})
    rubric = view.rubric if (bt and view.rubric) else None
    if rubric:
        appendices.append({"anchor": "score-sheet", "name": "考核评分表"})
        space = {4: 16 / 25.4 * 72, 5: 16 / 25.4 * 72, 6: 20 / 25.4 * 72}
        score_rows = []
        for aspect in rubric.aspects:
            for n, line in enumerate(aspect.lines):
                score_rows.append([aspect.title if n == 0 else "", line.title, f"{line.points:g}", line.criteria, "", "", ""])
        score_rows.append([Raw("*合计*"), "", f"{rubric.total:g}", "", "", "", ""])
        built["score"] = table(["考核方面", "子项", "分值", "评分标准", "自评得分", "考核得分", "扣分说明"],
                               score_rows, minimum=space, short=(0, 1, 2))
        built["bonus"] = table(["加分项", "最高加分", "条件", "自评加分", "考核加分"],
                               [[b.title, f"{b.points:g}", b.criteria, "", ""] for b in rubric.bonus],
                               minimum={3: space[4], 4: space[4]}, short=(1,))
        built["veto"] = table(["否决项", "情形", "是否发生（是／否）"], [[v.title, v.criteria, ""] for v in rubric.veto],
                              minimum={2: space[6]})
    cited = sorted({c.doc for s in handbook.sections for i in s.items for c in i.basis}, key=list(view.documents).index)
    if cited:
        appendices.append({"anchor": "documents", "name": "依据文件"})
        built["documents"] = table(["文件", "制定机关", "印发日期"],
                                   [[view.documents[d].title + ("（本企业制度）" if view.documents[d].enterprise_rule else ""),
                                     view.documents[d].issuer, str(view.documents[d].issued or "")] for d in cited],
                                   short=(2,))
    for n, appendix in enumerate(appendices):
        appendix["title"] = f"附录{numbers_cn[n]}　{appendix['name']}"

    overview = [(g.title, table(["事项", "频次", "责任主体", "时间节点", "需留存的记录"],
                                [[r.title, r.frequency, r.owner, r.time_nodes, r.records] for r in g.rows],
                                short=(1, 2)))
                for g in work_overview(view, handbook.id, edition.branch_type)]
    meeting_rows = meeting_overview(view, handbook.spec.kind)
    if meeting_rows:
        built["meetings"] = table(["会议", "召集人", "参加人员", "频次", "到会要求", "表决规则", "需留存的记录"],
                                  [[r.name + ("［示例］" if r.sample else ""), r.convener, r.attendees, r.frequency,
                                    r.quorum, r.vote_rule, r.records] for r in meeting_rows], short=(1,))

    papers: dict[str, PaperFlowchart] = {}
    # The tables are set: this process cuts, from the last, the flowcharts not yet handed to a helper.
    for iid, room in reversed(rooms):
        if iid not in pending or pending[iid].cancel():
            papers[iid] = placer.cut(view.items[iid], room)
    for iid, room in rooms:
        if iid not in papers:
            try:
                papers[iid] = pending[iid].result()
            except BrokenProcessPool:  # a helper died (out of memory, killed): this process cuts the chart
                papers[iid] = placer.cut(view.items[iid], room)
    for iid, room in rooms:
        figures[f"flow-{iid}"] = placer.flowchart(view.items[iid], room, papers[iid])

    env = typst_env()
    text = env.get_template("edition.typ.j2").render(overview=overview,
        model=view, handbook=handbook, bt=bt, sections=sections, items=items_by_section, figures=_Figures(figures),
        tables=built, matrices=matrix_tables, anchors=anchors, forms=forms, appendices=appendices, rubric=rubric, periods=RUBRIC_PERIODS,
        words=words, heading=tables.heading,
        # Regulation or 示例, as on the site's pages (the domain question is the model's).
        status_of=lambda item: review.STATUS_LABELS[review.item_status(view, item)],
        task_status_of=lambda task: review.STATUS_LABELS[review.task_status(view, task)],
        rule_status_of=lambda rule: review.STATUS_LABELS[review.rule_status(view, rule)],
        rules_of=lambda item: review.item_rules(view, item),
    )
    title, subtitle = edition_title(model, edition)
    return BookSource(
        title=title, subtitle=subtitle, enterprise=model.site.enterprise, paper=edition.paper,
        edition_line=f"{model.site.edition_year} 年版",
        colophon=[("书名", f"{title}（{subtitle}）" if subtitle else title), ("编印单位", model.site.enterprise),
                  ("版次", f"{model.site.edition_year} 年版　版本 {model.site.version}"),
                  ("内容版本", colophon["revision"]), ("印制日期", colophon["date"])],
        note="本手册由标准化工作手册数据生成，与内网站点内容一致。标有“示例”的内容是根据实践设计的做法，采用时请结合本单位实际调整。",
        body=text, files=files, keywords=[title, subtitle] if subtitle else [title],
    )


class _Figures(dict):
    """Figures by diagram id; a diagram the edition does not have places nothing."""

    def __missing__(self, key: str) -> list[Figure]:
        return []
