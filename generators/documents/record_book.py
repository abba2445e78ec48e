"""The yearly 党支部工作手册 (record book) of one branch type: reminds and records, filled by hand.

Cover blanks (年度, 党支部名称, 党支部书记), 使用说明, 基本情况 and 支委会成员, then one chapter per month: the
work due that month for the type (:func:`generators.documents.monthly.due_in`, the calendar's occurrences),
each item followed by the blank record forms it names, sized for handwriting; quarter pages after March,
June, September and December, and a year-end page. Typeset through the house book style
(:func:`generators.print.typeset.typeset`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache

from .. import segmenter
from ..calendar import due_label
from ..model import Model
from ..model.schema import RecordForm
from ..overview import role_name
from ..print import tables
from ..print.tables import LINE_GAP, SINGLE, FormRow, words
from ..print.typeset import BookSource, typst_env
from .monthly import due_in
from .pdf import TEMPLATES

PAPER = "A4"
# The item whose time nodes say when the record book is handed in and handed over (使用说明 quotes them).
MANUAL_ITEM = "branch-work-manual"
BASIC_INFO_FORM = "branch-basic-info"
QUARTERS = {3: "第一季度", 6: "第二季度", 9: "第三季度", 12: "第四季度"}
MEMBER_ROWS = 7  # 支委会 of up to 7 members (支部工作条例: 3 to 5, at most 7)


@dataclass
class MonthItem:
    item_id: str
    title: str
    nodes: list[str]
    deadline: str
    owner: str
    records: str
    summary: str
    forms: list[dict] = field(default_factory=list)
    sample: bool = False


@dataclass
class Month:
    month: int
    items: list[MonthItem]
    quarter: str = ""
    quarter_items: list[MonthItem] = field(default_factory=list)


@cache
def _env():
    return typst_env(TEMPLATES)


def natural_rows(form: RecordForm) -> list[FormRow]:
    """The form's rows at their natural writing height (9 mm a line), not grown to fill a page."""
    rows = []
    for f in form.fields:
        height = (f.lines * LINE_GAP if f.kind == "multiline" else SINGLE) + 2
        rows.append(FormRow(f.name, f.required, f.kind, list(f.choices), height))
    return rows


def months_of(model: Model, year: int, branch_type: str, every=None) -> list[Month]:
    """Each month's work for the type in ``year``: one entry per item, its nodes that fall in the month."""
    found = due_in(model, year, branch_type, None, every)
    order = list(model.items)
    months = []
    for month in range(1, 13):
        by_item: dict[str, list] = {}
        for o in found:
            if o.month == month:
                by_item.setdefault(o.item.id, []).append(o)
        items = []
        for item_id in sorted(by_item, key=order.index):
            os_ = by_item[item_id]
            item = os_[0].item
            forms = [{"id": f, "title": model.forms[f].title, "rows": natural_rows(model.forms[f])}
                     for f in item.forms if f in model.forms]
            items.append(MonthItem(item_id, item.title, [o.node.text for o in os_],
                                   "；".join(dict.fromkeys(due_label(o) for o in os_)), role_name(model, item.owner),
                                   "、".join(item.records), item.summary or item.requirement, forms, item.sample))
        entry = Month(month, items)
        if month in QUARTERS:
            entry.quarter = QUARTERS[month]
            quarter = (month - 2, month - 1, month)
            periodic = {o.item.id for o in found if o.month in quarter and len(o.node.months) < 12}
            entry.quarter_items = [i for m in months[-2:] + [entry] for i in m.items if i.item_id in periodic]
            entry.quarter_items = list({i.item_id: i for i in entry.quarter_items}.values())
        months.append(entry)
    return months


_known_words: set[str] = set()


@lru_cache(maxsize=None)
def _words(text: str):
    return words(text)


segmenter.on_new_words(_words.cache_clear)  # whoever adds words (an edition typeset in this process too)


@dataclass
class RecordBookData:
    """Everything a record book shows; its ``repr`` keys the cache, so the book is rendered only when it changed."""

    branch_type: str
    type_name: str
    year: int
    enterprise: str
    version: str
    edition_year: int
    months: list[Month]
    year_items: list[tuple[str, str, str]]
    manual_nodes: list[str]
    basic: list[FormRow] | None


def record_book_data(model: Model, branch_type: str, year: int, every=None) -> RecordBookData:
    bt = model.branch_types[branch_type]
    year_items = []
    seen = set()
    for o in due_in(model, year, branch_type, None, every):
        if len(o.node.months) == 1 and o.item.id not in seen:
            seen.add(o.item.id)
            year_items.append((o.item.title, o.node.text, f"{o.month}月" + (due_label(o) if o.node.day else "")))
    manual = model.items.get(MANUAL_ITEM)
    basic = model.forms.get(BASIC_INFO_FORM)
    return RecordBookData(branch_type, bt.name, year, model.site.enterprise, model.site.version,
                          model.site.edition_year, months_of(model, year, branch_type, every), year_items,
                          list(manual.time_nodes) if manual else [], natural_rows(basic) if basic else None)


def build_record_book(model: Model, data: RecordBookData, colophon: dict[str, str]) -> BookSource:
    """The record book as a book source for :func:`generators.print.typeset.typeset`."""
    terms = {n for t in model.terms.values() for n in (t.term, *t.aliases)} | {r.name for r in model.roles.values()}
    if not terms <= _known_words:  # the segmenter learns the handbook's terms once per process
        tables.add_words(sorted(terms - _known_words))
        _known_words.update(terms)
    body = _env().get_template("record_book.typ.j2").render(d=data, words=_words, member_rows=MEMBER_ROWS)
    title = "党支部工作手册"
    subtitle = f"{data.type_name}党支部　{data.year} 年度"
    return BookSource(
        title=title, subtitle=subtitle, enterprise=data.enterprise, paper=PAPER,
        edition_line=f"{data.enterprise}党委印制",
        colophon=[("书名", f"{title}（{subtitle}）"), ("编印单位", data.enterprise),
                  ("版次", f"{data.edition_year} 年版　版本 {data.version}"),
                  ("内容版本", colophon["revision"]), ("印制日期", colophon["date"])],
        note="本手册由标准化工作手册数据生成：每月的工作事项、时间节点和记录表与内网站点的工作日历一致。"
             "标有“示例”的是本企业的做法，采用时请结合本单位实际调整。",
        body=body, keywords=[title, subtitle, str(data.year)], cover_fields=["年　　度", "党支部名称", "党支部书记"],
    )
