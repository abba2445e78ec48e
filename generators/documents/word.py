"""Word documents made with python-docx: the 《月度党建工作安排》 notice and blank record forms.

Two layouts. ``plain`` (the default): A4, 25 mm margins, 宋体 body, a centred page number. ``gongwen``: the
GB/T 9704—2012 layout of party and government documents: A4, text area 156 × 225 mm (top 37 mm, inner 28 mm),
22 lines of 28 characters on the document grid, 3号仿宋_GB2312 body, 2号小标宋 title, 3号黑体 headings, and
4号 "— 1 —" folios outside (right on odd pages, left on even ones). Where 仿宋_GB2312 or 方正小标宋简体 is absent,
the font table names a free substitute (仿宋 / 宋体, both shipped with Windows; LibreOffice falls back through
fontconfig to Noto Serif CJK).

Every table has its grid columns and every cell its width set explicitly, with a fixed layout: WPS shows a
table without widths as a sliver.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Literal

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from ..model.schema import RecordForm
from ..sourcedate import pinned_datetime
from .monthly import Arrangement

Layout = Literal["plain", "gongwen"]
LAYOUTS: tuple[str, ...] = ("plain", "gongwen")

# GB/T 9704—2012: 版心 156 × 225 mm, 天头 37 mm, 订口 28 mm; 22 lines × 28 characters of 3号 (16 pt) type.
GONGWEN_MARGINS = {"top": 37.0, "bottom": 297.0 - 37.0 - 225.0, "left": 28.0, "right": 210.0 - 28.0 - 156.0}
GONGWEN_LINES, GONGWEN_CHARS = 22, 28
GONGWEN_LINE_PITCH = round(225 / GONGWEN_LINES / 25.4 * 1440)  # twips: 579
GONGWEN_BODY = 16.0  # pt, 3号
# 28 characters of 16 pt are 158 mm, 2 mm more than the line: the body is condensed by a quarter point
# (w:spacing, twentieths of a point), so 28 characters fit in every engine. A character grid (linesAndChars)
# would do the same in Word and WPS, but LibreOffice gives each slightly-too-wide character two grid cells.
GONGWEN_CONDENSE = -5
PLAIN_MARGINS = {"top": 25.0, "bottom": 25.0, "left": 25.0, "right": 25.0}

FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
# Font → (substitute named in the font table, GB2312 charset) for machines without it.
SUBSTITUTES = {FANGSONG: "仿宋", XIAOBIAOSONG: "宋体", KAITI: "楷体", HEITI: "SimHei", SONGTI: "SimSun"}

# The 附件 table: header, share of the text width.
ARRANGEMENT_COLUMNS = (("工作事项", 0.17), ("具体要求", 0.37), ("完成时限", 0.14), ("责任主体", 0.13), ("需留存的记录", 0.19))


@dataclass(frozen=True)
class Style:
    layout: str
    body_font: str
    body_size: float
    title_font: str
    title_size: float
    heading_font: str
    table_size: float
    margins: dict[str, float]

    @property
    def text_width(self) -> float:
        return 210.0 - self.margins["left"] - self.margins["right"]


STYLES = {
    "plain": Style("plain", SONGTI, 12.0, HEITI, 18.0, HEITI, 10.5, PLAIN_MARGINS),
    "gongwen": Style("gongwen", FANGSONG, GONGWEN_BODY, XIAOBIAOSONG, 22.0, HEITI, 12.0, GONGWEN_MARGINS),
}


# ---------------------------------------------------------------- low-level helpers


def _fonts(element, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set a run's or style's fonts: the Chinese font for East Asian text, Times New Roman for the rest."""
    rpr = element.get_or_add_rPr() if hasattr(element, "get_or_add_rPr") else element
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(key), "Times New Roman")
    fonts.set(qn("w:eastAsia"), east_asian)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            node = rpr.find(qn(tag))
            if node is None:
                node = OxmlElement(tag)
                rpr.append(node)
            node.set(qn("w:val"), str(round(size * 2)))
    if bold is not None:
        node = rpr.find(qn("w:b"))
        if bold and node is None:
            rpr.append(OxmlElement("w:b"))
        elif not bold and node is not None:
            rpr.remove(node)


def _run(paragraph, text: str, font: str, size: float, bold: bool = False):
    run = paragraph.add_run(text)
    _fonts(run._r, font, size, bold)
    return run


def _no_grid(paragraph) -> None:
    """Table text and folios do not snap to the document grid (their lines would be 28.95 pt apart)."""
    ppr = paragraph._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert(0, snap)


def _font_table(document) -> None:
    """Name a substitute for each Chinese font, so Word, WPS and LibreOffice agree on what to use instead."""
    part = next((p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    for name, substitute in SUBSTITUTES.items():
        if root.find(f"w:font[@w:name='{name}']", ns) is not None:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), substitute)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "modern" if name in (HEITI,) else "roman")
        pitch = etree.SubElement(font, qn("w:pitch"))
        pitch.set(qn("w:val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(document, style: Style, landscape: bool = False) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    m = style.margins
    section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
    section.header_distance = Mm(15)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    for key in list(grid.attrib):
        del grid.attrib[key]
    if style.layout == "gongwen":
        # The folio sits 7 mm below the text area: the footer's baseline about 35 − 7 − 5.6 mm from the edge.
        section.footer_distance = Mm(22)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(GONGWEN_LINE_PITCH))
    else:
        section.footer_distance = Mm(12)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), "312")


def _field(paragraph, instruction: str, font: str, size: float) -> None:
    """A field (PAGE) Word and LibreOffice update as they lay out the pages."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _fonts(run._r, font, size)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text


def _folios(document, style: Style) -> None:
    section = document.sections[0]
    if style.layout == "gongwen":
        # 4号半角宋体 “— 1 —”: odd pages on the right, even pages on the left, one character in from the edge.
        document.settings.odd_and_even_pages_header_footer = True
        for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.alignment = align
            _no_grid(p)
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                p.paragraph_format.right_indent = Pt(14)
            else:
                p.paragraph_format.left_indent = Pt(14)
            _run(p, "— ", SONGTI, 14)
            _field(p, "PAGE", SONGTI, 14)
            _run(p, " —", SONGTI, 14)
    else:
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, "— ", SONGTI, 10.5)
        _field(p, "PAGE", SONGTI, 10.5)
        _run(p, " —", SONGTI, 10.5)


def new_document(layout: str, title: str, subject: str = "", author: str = "", landscape: bool = False):
    """An empty document in the layout, its Normal style set to the body font."""
    style = STYLES[layout]
    document = Document()
    # The document grid measures its character pitch from the default run size: make that the body size.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        _fonts(rpr, style.body_font, style.body_size)
    normal = document.styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), style.body_font, style.body_size)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if layout == "gongwen":
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(GONGWEN_CONDENSE))
        normal.element.get_or_add_rPr().append(spacing)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(GONGWEN_LINE_PITCH / 20)
    else:
        fmt.line_spacing = 1.5
    _page(document, style, landscape)
    _folios(document, style)
    _font_table(document)
    props = document.core_properties
    props.title, props.subject, props.author = title, subject, author
    # The commit's date, never the clock: the same commit gives the same file on any day.
    props.created = props.modified = pinned_datetime().replace(tzinfo=None)
    props.language = "zh-CN"
    return document, style


def _cell_width(cell, width_mm: float) -> None:
    cell.width = Mm(width_mm)


def fixed_table(document, style: Style, widths_mm: list[float], header: list[str] | None = None):
    """A table with a fixed layout and explicit widths (grid columns, cells and the table itself)."""
    table = document.add_table(rows=1 if header else 0, cols=len(widths_mm))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    width = tblpr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tblpr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(sum(widths_mm) / 25.4 * 1440)))
    for column, w in zip(table.columns, widths_mm):
        column.width = Mm(w)
    if header:
        row = table.rows[0]
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:tblHeader"))  # repeated on every page
        for cell, text, w in zip(row.cells, header, widths_mm):
            _cell_width(cell, w)
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _table_paragraph(p)
            _run(p, text, HEITI, style.table_size, bold=False)
    return table


def _table_paragraph(paragraph) -> None:
    _no_grid(paragraph)
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(0)


def add_row(table, style: Style, widths_mm: list[float], cells: list[str], height_mm: float | None = None,
            font: str | None = None):
    row = table.add_row()
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    if height_mm:
        row.height = Mm(height_mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell, text, w in zip(row.cells, cells, widths_mm):
        _cell_width(cell, w)
        for n, line in enumerate(str(text).split("\n")):
            p = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
            _table_paragraph(p)
            _run(p, line, font or style.body_font, style.table_size)
    return row


def to_bytes(document) -> bytes:
    """The DOCX file. python-docx stamps every ZIP entry with the current time; stamp them with the
    commit's instead, so the bytes depend on the content only."""
    out = io.BytesIO()
    document.save(out)
    stamp = pinned_datetime().timetuple()[:6]
    fixed = io.BytesIO()
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(fixed, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type, entry.external_attr = info.compress_type, info.external_attr
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()


# ---------------------------------------------------------------- the monthly notice


def _paragraph(document, style: Style, text: str, *, indent: bool = True, font: str | None = None,
               align=None, size: float | None = None):
    p = document.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(2 * style.body_size)
    if align is not None:
        p.alignment = align
    _run(p, text, font or style.body_font, size or style.body_size)
    return p


def monthly_docx(arr: Arrangement, layout: str = "plain") -> bytes:
    """The 《月度党建工作安排》 as a 通知: title, 主送, 总体要求 / 重点工作 / 操作提示, issuer and date, then the 附件 table."""
    document, style = new_document(layout, arr.title, arr.attachment_title, arr.issuer)
    gongwen = layout == "gongwen"
    if gongwen:
        _paragraph(document, style, "", indent=False)  # one blank line above the title, as in a 通知 without a 版头
    title = _paragraph(document, style, arr.title, indent=False, font=style.title_font, size=style.title_size,
                       align=WD_ALIGN_PARAGRAPH.CENTER)
    if not gongwen:
        title.paragraph_format.space_after = Pt(12)
    _paragraph(document, style, "", indent=False)
    _paragraph(document, style, f"{arr.level.recipients}：", indent=False)
    _paragraph(document, style, f"现将{arr.year}年{arr.month}月{arr.level.name}工作安排印发给你们，请结合实际认真抓好落实。")
    numbers = "一二三"
    for n, (heading, lines) in enumerate((("总体要求", arr.general), ("重点工作", arr.focus), ("操作提示", arr.tips))):
        _paragraph(document, style, f"{numbers[n]}、{heading}", font=style.heading_font)
        for k, line in enumerate(lines, start=1):
            _paragraph(document, style, f"（{k}）{line}" if len(lines) > 1 else line)
    _paragraph(document, style, "", indent=False)
    attach = _paragraph(document, style, f"附件：{arr.attachment_title}")
    attach.paragraph_format.first_line_indent = Pt(2 * style.body_size)
    for _ in range(2 if gongwen else 1):
        _paragraph(document, style, "", indent=False)
    for text in (arr.issuer, f"{arr.date.year}年{arr.date.month}月{arr.date.day}日"):
        p = _paragraph(document, style, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(4 * style.body_size)

    # 附件: a new page, “附件” at the top left, the title, the table.
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _paragraph(document, style, "附件", indent=False, font=HEITI)
    _paragraph(document, style, arr.attachment_title, indent=False, font=style.title_font,
               size=style.title_size if not gongwen else 18.0, align=WD_ALIGN_PARAGRAPH.CENTER)
    widths = [style.text_width * share for _, share in ARRANGEMENT_COLUMNS]
    table = fixed_table(document, style, widths, [h for h, _ in ARRANGEMENT_COLUMNS])
    for row in arr.rows:
        name = row.title + ("（示例）" if row.sample and "示例" not in row.title else "")
        add_row(table, style, widths, [name, row.requirement, row.deadline, row.owner, row.records])
    if not arr.rows:
        add_row(table, style, widths, ["本月无按期完成的工作事项", "", "", "", ""])
    return to_bytes(document)


# ---------------------------------------------------------------- blank forms

FORM_LINE = 9.0  # mm per handwriting line
FORM_SINGLE = 10.0


def _blank(kind: str, choices: list[str]) -> str:
    if kind == "choice":
        return "　".join(f"□ {c}" for c in choices)
    if kind == "checkbox":
        return "□ 是　　□ 否"
    if kind == "date":
        return "　　　　年　　月　　日"
    if kind == "signature":
        return "签字：　　　　　　　　　　日期：　　　　年　　月　　日"
    return ""


def form_docx(form: RecordForm, enterprise: str, layout: str = "plain") -> bytes:
    """A blank record form: its fields as a two-column table, each row as high as the writing it needs."""
    document, style = new_document(layout, form.title, "空白记录表", enterprise)
    _paragraph(document, style, form.title, indent=False, font=style.title_font,
               size=style.title_size if layout == "plain" else 18.0, align=WD_ALIGN_PARAGRAPH.CENTER)
    if form.description:
        _paragraph(document, style, form.description, size=style.table_size)
    meta = "单位（党支部）：" + "　" * 12 + (f"保存期限：{form.retention}" if form.retention else "")
    _paragraph(document, style, meta, indent=False, size=style.table_size)
    widths = [style.text_width * 0.24, style.text_width * 0.76]
    table = fixed_table(document, style, widths)
    for field in form.fields:
        lines = field.lines if field.kind == "multiline" else 1
        height = lines * FORM_LINE if field.kind == "multiline" else FORM_SINGLE
        name = field.name + ("（必填）" if field.required else "")
        add_row(table, style, widths, [name, _blank(field.kind, list(field.choices))], height)
    _paragraph(document, style, "填表人：" + "　" * 10 + "审核人（签字）：" + "　" * 8, indent=False, size=style.table_size)
    return to_bytes(document)
