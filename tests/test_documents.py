"""The documents branches use every year: record book, wall chart, monthly Word/PDF arrangement, Word forms,
and the 一览表 at the front of every handbook. Each is read back the way a user gets it: the PDF's outline,
text and glyph sizes, the DOCX through python-docx, and the DOCX converted by LibreOffice."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from conftest import ROOT
from generators.diagrams.matrix import emphasis_of
from generators.documents import word
from generators.documents.monthly import arrangement, due_in, levels
from generators.model import load_model
from test_print import smallest_glyph

MODEL = load_model(ROOT)
YEAR = 2027
MM_PT = 72 / 25.4


def pdf_text(pdf: Path) -> str:
    """The text in reading order (each table cell whole, not interleaved with its neighbours)."""
    return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def flat(value: str) -> str:
    """Text without spaces and quotation marks (pdftotext may place a quote apart from its words)."""
    return re.sub(r"[\s“”]", "", value)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("yearly")
    from generators.cli import main

    assert main(["print", "--record-book", "project", "--year", str(YEAR), "--out", str(out), "--root", str(ROOT)]) == 0
    for level in ("project", "committee"):
        assert main(["print", "--wall-chart", level, "--year", str(YEAR), "--out", str(out), "--root", str(ROOT)]) == 0
    return out


# ---------------------------------------------------------------- record book


def test_record_book_march_lists_exactly_the_work_due_in_march(printed: Path):
    pdf = printed / f"record-book-project-{YEAR}.pdf"
    reader = PdfReader(pdf)
    outline = reader.outline
    top = [e.title if not isinstance(e, list) else None for e in outline]
    march = top.index("3月")
    children = outline[march + 1]
    assert isinstance(children, list)
    listed = [e.title.removeprefix("3月 · ") for e in children if not isinstance(e, list) and e.title.startswith("3月 · ")]
    due = {o.item.title for o in due_in(MODEL, YEAR, "project", (3,))}
    assert due and sorted(listed) == sorted(due)
    # Every item is followed by the blank forms it names, before the next item's heading.
    text = flat(pdf_text(pdf))
    start = text.index(flat("3月 · "))
    section = text[start:text.index(flat("4月 · "), start)]
    for o in due_in(MODEL, YEAR, "project", (3,)):
        head = section.index(flat(f"3月 · {o.item.title}"))
        following = section[head:]
        nxt = following.find(flat("3月 · "), 1)
        body = following[: nxt if nxt > 0 else None]
        for form in o.item.forms:
            assert flat(MODEL.forms[form].title) in body, (o.item.id, form)
        if not o.item.forms:
            assert "工作记录" in body
    # The first quarter's page follows March.
    assert any(not isinstance(e, list) and e.title == "第一季度小结" for e in children)


def test_record_book_front_matter_pages_and_legibility(printed: Path):
    pdf = printed / f"record-book-project-{YEAR}.pdf"
    first = flat(subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                                check=True).stdout)
    for blank in ("年度", "党支部名称", "党支部书记"):
        assert blank in first
    text = flat(pdf_text(pdf))
    for heading in ("使用说明", "基本情况", "支委会成员", "交接记录", "年度小结", "第四季度小结"):
        assert heading in text
    manual = MODEL.items["branch-work-manual"]
    assert flat("每年1月底前（上一年度手册交党群工作部归档，示例）") in flat("；".join(manual.time_nodes))
    assert flat("上一年度手册交党群工作部归档") in text  # the hand-in date comes from the YAML
    pages = len(PdfReader(pdf).pages)
    assert 100 <= pages <= 500, pages
    size, page, run = smallest_glyph(pdf)
    assert size >= 7.5 - 0.01, (size, page, run)


# ---------------------------------------------------------------- wall chart


@pytest.mark.parametrize("level", ["project", "committee"])
def test_wall_chart_is_a3_landscape_with_every_item_and_no_small_text(printed: Path, level: str):
    pdf = printed / f"wall-chart-{level}-{YEAR}.pdf"
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (1191, 842)  # A3 landscape
    text = flat(pdf_text(pdf))
    for title in {o.item.title for o in due_in(MODEL, YEAR, level)}:
        assert flat(title) in text, title
    assert "图例" in text
    size, page, run = smallest_glyph(pdf)
    assert size >= 8.0 - 0.01, (size, page, run)


# ---------------------------------------------------------------- monthly arrangement (Word)


def _widths(table) -> list[int]:
    grid = table._tbl.tblGrid
    return [int(col.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w")) for col in grid.gridCol_lst]


@pytest.mark.parametrize("layout", word.LAYOUTS)
def test_monthly_docx_reads_back(tmp_path: Path, layout: str):
    arr = arrangement(MODEL, YEAR, 3, "project")
    path = tmp_path / f"m-{layout}.docx"
    path.write_bytes(word.monthly_docx(arr, layout))
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert texts[0] == f"关于印发{YEAR}年3月项目型党支部工作安排的通知"
    assert texts[1] == "各项目型党支部："
    for heading in ("一、总体要求", "二、重点工作", "三、操作提示"):
        assert heading in texts
    assert f"{YEAR}年3月1日" in texts and f"附件：{arr.attachment_title}" in texts
    (table,) = doc.tables
    header = [c.text for c in table.rows[0].cells]
    assert header == ["工作事项", "具体要求", "完成时限", "责任主体", "需留存的记录"]
    due = list(dict.fromkeys(o.item.id for o in due_in(MODEL, YEAR, "project", (3,))))
    assert len(table.rows) - 1 == len(due)
    cells = sorted(r.cells[0].text for r in table.rows[1:])
    titles = sorted(MODEL.items[i].title for i in due)
    assert all(cell.startswith(title) for cell, title in zip(cells, titles)), (cells, titles)
    # Widths: grid columns, every cell and the table, adding up to the text width (WPS needs them).
    style = word.STYLES[layout]
    widths = _widths(table)
    assert all(w > 0 for w in widths)
    assert abs(sum(widths) - style.text_width / 25.4 * 1440) < 5
    for row in table.rows:
        for cell, w in zip(row.cells, widths):
            assert cell.width is not None and abs(cell.width.twips - w) <= 1
    assert table._tbl.tblPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblLayout") is not None


def test_gongwen_margins_grid_fonts_and_folios(tmp_path: Path):
    path = tmp_path / "g.docx"
    path.write_bytes(word.monthly_docx(arrangement(MODEL, YEAR, 3, "committee"), "gongwen"))
    doc = Document(str(path))
    section = doc.sections[0]
    assert abs(section.page_width.mm - 210) < 0.1 and abs(section.page_height.mm - 297) < 0.1
    assert abs(section.top_margin.mm - 37) < 0.1 and abs(section.left_margin.mm - 28) < 0.1
    text_w = section.page_width.mm - section.left_margin.mm - section.right_margin.mm
    text_h = section.page_height.mm - section.top_margin.mm - section.bottom_margin.mm
    assert abs(text_w - 156) < 0.1 and abs(text_h - 225) < 0.1
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    grid = section._sectPr.find(f"{ns}docGrid")
    pitch = int(grid.get(f"{ns}linePitch"))
    assert math.floor(text_h / 25.4 * 1440 / pitch + 0.01) == 22  # 22 lines
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.rFonts.get(f"{ns}eastAsia") == "仿宋_GB2312"
    condense = int(normal.element.rPr.find(f"{ns}spacing").get(f"{ns}val")) / 20
    assert math.floor(text_w * 72 / 25.4 / (16 + condense)) == 28  # 28 characters
    assert abs(normal.paragraph_format.line_spacing.pt - pitch / 20) < 0.01
    # The font table names free substitutes for the 公文 fonts.
    fonts = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml").blob.decode()
    assert re.search(r'w:name="仿宋_GB2312".*?w:altName w:val="仿宋"', fonts, re.S)
    # “— 1 —” folios: odd pages right, even pages left, with a PAGE field.
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer._element.xml
        assert "PAGE" in xml and "— " in footer.paragraphs[0].text and " —" in footer.paragraphs[0].text
        assert f'w:jc w:val="{align}"' in xml


def _soffice(docx: Path, out: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (libreoffice-writer-nogui) is installed by make test"
    profile = out / "profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(docx)], capture_output=True, text=True, check=True, timeout=240)
    return out / (docx.stem + ".pdf")


@pytest.mark.parametrize("layout", word.LAYOUTS)
def test_libreoffice_reads_the_monthly_docx(tmp_path: Path, layout: str):
    arr = arrangement(MODEL, YEAR, 3, "project")
    docx = tmp_path / f"arrangement-{layout}.docx"
    docx.write_bytes(word.monthly_docx(arr, layout))
    pdf = _soffice(docx, tmp_path)
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = flat(pdf_text(pdf))
    assert flat(arr.title) in text and flat(arr.attachment_title) in text
    for row in arr.rows:
        assert flat(row.title) in text, row.title
    if layout == "gongwen":
        assert "—1—" in text and "—2—" in text


def test_libreoffice_reads_a_blank_form(tmp_path: Path):
    form = MODEL.forms["meeting-record"]
    docx = tmp_path / "meeting-record.docx"
    docx.write_bytes(word.form_docx(form, MODEL.site.enterprise))
    text = flat(pdf_text(_soffice(docx, tmp_path)))
    assert flat(form.title) in text
    for field in form.fields:
        assert flat(field.name) in text


def test_every_form_as_docx(tmp_path: Path):
    for form in MODEL.forms.values():
        path = tmp_path / f"{form.id}.docx"
        path.write_bytes(word.form_docx(form, MODEL.site.enterprise))
        doc = Document(str(path))
        assert doc.paragraphs[0].text == form.title
        (table,) = doc.tables
        assert [r.cells[0].text.removesuffix("（必填）") for r in table.rows] == [f.name for f in form.fields]
        assert all(w > 0 for w in _widths(table))
        for row, f in zip(table.rows, form.fields):
            if f.kind == "multiline":
                assert row.height.mm >= 9 * f.lines - 0.1  # room to write by hand
            if f.kind == "choice":
                assert all(c in row.cells[1].text for c in f.choices)


def test_monthly_pdf_has_the_same_rows(tmp_path: Path):
    import datetime as dt

    from generators.documents.pdf import monthly_pdf

    arr = arrangement(MODEL, YEAR, 6, "committee")
    pdf = tmp_path / "m.pdf"
    pdf.write_bytes(monthly_pdf(arr, dt.datetime(2026, 1, 1)))
    text = flat(pdf_text(pdf))
    assert flat(arr.title) in text
    for row in arr.rows:
        assert flat(row.title) in text


# ---------------------------------------------------------------- site


def test_site_links_every_yearly_document(site: Path):
    year = MODEL.site.edition_year

    def hrefs(page: str) -> list[Path]:
        html = (site / page).read_text(encoding="utf-8")
        found = re.findall(r'href="([^"#]+\.(?:docx|pdf))"', html)
        return [((site / page).parent / h).resolve() for h in found]

    calendar = hrefs("calendar/index.html")
    for level in [lv.id for lv in levels(MODEL)]:
        assert (site / f"downloads/wall-charts/wall-chart-{level}-{year}.pdf").resolve() in calendar
    for bt in MODEL.branch_types:
        assert (site / f"downloads/record-books/record-book-{bt}-{year}.pdf").resolve() in calendar
        page = hrefs(f"branch-types/{bt}/index.html")
        assert (site / f"downloads/record-books/record-book-{bt}-{year}.pdf").resolve() in page
        assert (site / f"downloads/monthly/{year}-03-{bt}.docx").resolve() in page
    march = hrefs("calendar/03/index.html")
    assert len(march) == 3 * len(levels(MODEL))
    forms = hrefs("forms/index.html")
    assert {p.name for p in forms} >= {f"{f}.docx" for f in MODEL.forms}
    for target in calendar + march + forms:
        assert target.is_file() and target.stat().st_size > 1000, target


def test_overview_tables_on_handbook_and_branch_type_pages(site: Path):
    for handbook in MODEL.handbooks.values():
        html = (site / f"handbooks/{handbook.id}/index.html").read_text(encoding="utf-8")
        start = html.index(">一览表<")
        overview = html[start:html.index("<h2", start)]
        for item in (i for s in handbook.sections for i in s.items):
            assert f"items/{item.id}/" in overview, item.id
    html = (site / "branch-types/temporary/index.html").read_text(encoding="utf-8")
    start = html.index(">一览表<")
    overview = html[start:html.index(">会议一览表<")]
    branch = MODEL.handbooks["branch"]
    for item in (i for s in branch.sections for i in s.items):
        link = f"items/{item.id}/"
        assert (link in overview) == bool(emphasis_of(item, "temporary")), item.id
    meetings = html[html.index(">会议一览表<"):]
    for meeting in (m for m in MODEL.meetings.values() if m.level == "branch"):
        assert meeting.name in meetings
        assert (meeting.quorum or "未作规定") in meetings


def test_meetings_cite_their_rules():
    for meeting in MODEL.meetings.values():
        assert meeting.basis, meeting.id  # every quorum and vote rule has a source (or is marked 示例)
        for rule in (meeting.quorum, meeting.vote_rule):
            if rule and "示例" not in rule and not meeting.sample:
                assert any(c.articles or c.note for c in meeting.basis), meeting.id


def test_print_record_book_names_an_unknown_type_in_chinese(capsys):
    from conftest import run_cli

    status, _, err = run_cli(capsys, "print", "--record-book", "projet", "--year", "2027", "--root", str(ROOT))
    assert status == 2 and "找不到支部类型 `projet`" in err and "project" in err
    status, _, err = run_cli(capsys, "print", "--wall-chart", "nobody", "--root", str(ROOT))
    assert status == 2 and "committee" in err
