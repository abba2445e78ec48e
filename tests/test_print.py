"""Printed editions as a branch receives them: the PDF's text, fonts, outline, contents and page numbers."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT
from generators.model import load_model
from generators.diagrams.matrix import emphasis_of
from generators.print.book import edition_title
from generators.print.edition import edition_model

MODEL = load_model(ROOT)
EDITIONS = list(MODEL.editions.values())


def text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"] + (["-f", str(first), "-l", str(last or first)] if first else []) + [str(pdf), "-"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    # Contents leaders come out as ". . . ." with a word joiner before the page number.
    return re.sub(r"(?:\. ?){3,}", "....", out.replace("\u2060", ""))


def flat(value: str) -> str:
    return re.sub(r"\s", "", value)


def test_every_edition_is_in_site_print(site: Path):
    names = sorted(p.name for p in (site / "print").glob("*.pdf"))
    assert len(names) >= 11
    assert names == sorted(f"{e.id}.pdf" for e in EDITIONS)
    assert all(re.fullmatch(r"[a-z0-9-]+\.pdf", n) for n in names)
    listing = (site / "print/index.html").read_text(encoding="utf-8")
    for e in EDITIONS:
        assert f'href="{e.id}.pdf"' in listing


@pytest.mark.parametrize("edition", EDITIONS, ids=[e.id for e in EDITIONS])
def test_edition_text_fonts_and_metadata(site: Path, edition):
    pdf = site / "print" / f"{edition.id}.pdf"
    body = flat(text(pdf))
    title, subtitle = edition_title(MODEL, edition)
    assert flat(title) in body and flat(subtitle) in body
    if edition.branch_type:
        own = MODEL.branch_types[edition.branch_type]
        for task in own.key_tasks:
            assert flat(task.title) in body
        for other in MODEL.branch_types.values():
            if other.id != edition.branch_type:
                assert flat(other.spec.applies_to) not in body, other.id
        printed = [i for s in MODEL.handbooks[edition.handbook].sections for i in s.items
                   if emphasis_of(i, edition.branch_type)]
        mentioned = {r for i in printed for r in i.related} | {i.id for i in printed}
        for section in MODEL.handbooks[edition.handbook].sections:
            for item in section.items:
                if item.id not in mentioned:
                    assert flat(item.requirement)[:30] not in body, item.id
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in cjk)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"^Title:\s+{re.escape(title)}", info, re.M)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 10 <= pages <= 600


@pytest.mark.parametrize("edition", EDITIONS, ids=[e.id for e in EDITIONS])
def test_outline_has_a_bookmark_per_chapter(site: Path, edition):
    reader = PdfReader(site / "print" / f"{edition.id}.pdf")
    top = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    handbook = edition_model(MODEL, edition).handbooks[edition.handbook]
    assert handbook.title in top
    for section in handbook.sections:
        if section.items:
            assert section.title in top
    items = [i.title for s in handbook.sections for i in s.items]
    nested = [e.title for entry in reader.outline if isinstance(entry, list) for e in entry if not isinstance(e, list)]
    forms = [MODEL.forms[f].title for f in {f for s in handbook.sections for i in s.items for f in i.forms}]
    assert sorted(nested) == sorted(items + forms)


@pytest.mark.parametrize("edition", EDITIONS, ids=[e.id for e in EDITIONS])
def test_contents_page_numbers_match_the_pages(site: Path, edition):
    pdf = site / "print" / f"{edition.id}.pdf"
    contents = text(pdf, 3, _first_body_page(pdf))
    entries = re.findall(r"^\s*(\S[^.\n]*?)\s*\.{3,}\s*(\d+)\s*$", contents, re.M)
    assert len(entries) > 15
    for title, page in entries[:: max(1, len(entries) // 12)]:
        on_page = flat(text(pdf, int(page)))
        assert flat(title)[:8] in on_page, (title, page)
        assert on_page.endswith(page), f"page {page} carries no folio"


def test_previews_of_cover_and_a_flowchart_page(site: Path):
    pdf = site / "print" / "branch-project.pdf"
    out = ROOT / "test-output"
    out.mkdir(exist_ok=True)
    contents = text(pdf, 3, 4)
    page = re.search(r"三会一课\s*\.{3,}\s*(\d+)", contents).group(1)
    for name, number in (("print-cover", 1), ("print-flowchart", int(page) + 1)):
        subprocess.run(["pdftoppm", "-f", str(number), "-l", str(number), "-r", "70", "-png", "-singlefile", str(pdf),
                        str(out / name)], check=True)
        assert (out / f"{name}.png").stat().st_size > 5_000


def test_hostile_title_is_literal_in_the_pdf(minimal_project: Path, tmp_path: Path):
    from generators.diagrams import cache_for
    from generators.print.render import print_editions

    hostile = '<script>alert(1)</script> {{ 7*7 }} "]; x ['
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    quoted = '"' + hostile.replace('"', '\\"') + '"'
    sec.write_text(sec.read_text(encoding="utf-8").replace("    title: 三会一课", f"    title: {quoted}"), encoding="utf-8")
    (minimal_project / "modules/editions.yml").write_text(
        "editions:\n  - id: hb-alpha\n    handbook: hb\n    branch_type: alpha\n", encoding="utf-8")
    model = load_model(minimal_project)
    [printed] = print_editions(model, cache_for(model), out_dir=tmp_path / "print", progress=lambda _: None, workers=1)
    pdf = tmp_path / "print" / printed.filename
    body = flat(text(pdf))
    # The title as written: in the chapter heading, the running header and the contents.
    assert body.count(flat(hostile)) >= 2
    assert "{{7*7}}" in body and "49" not in body.split(flat(hostile))[1][:20]
    # A title is text, never markup or a script: the PDF carries no JavaScript action.
    outline = [entry.title for entry in PdfReader(pdf).outline if not isinstance(entry, list)]
    assert any(hostile in title for title in outline) or hostile in str(PdfReader(pdf).outline)
    assert b"/JavaScript" not in pdf.read_bytes() and b"/JS" not in pdf.read_bytes()


def test_an_unchanged_edition_is_reused_and_a_changed_one_typeset_again(minimal_project: Path, tmp_path: Path):
    from generators.diagrams import cache_for
    from generators.print.render import print_editions

    (minimal_project / "modules/editions.yml").write_text(
        "editions:\n  - id: hb-alpha\n    handbook: hb\n    branch_type: alpha\n", encoding="utf-8")

    def run() -> tuple[bool, str]:
        model = load_model(minimal_project)
        [printed] = print_editions(model, cache_for(model), out_dir=tmp_path, progress=lambda _: None, workers=1)
        return printed.rebuilt, flat(text(tmp_path / printed.filename))

    assert run()[0] is True
    assert run()[0] is False
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    sec.write_text(sec.read_text(encoding="utf-8").replace("    title: 三会一课", "    title: 三会一课（修订）"), encoding="utf-8")
    rebuilt, body = run()
    assert rebuilt is True and "三会一课（修订）" in body


FLOOR = 7.5


def smallest_glyph(pdf: Path) -> tuple[float, int, str]:
    """The smallest text on paper: font size × text matrix × CTM, over every text run of every page."""
    low = (1e9, 0, "")
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        runs: list[tuple[float, str]] = []

        def visit(run, cm, tm, font, size):
            if run.strip():
                # The vertical scale of the text space on the page: the second row of tm × cm.
                c = tm[2] * cm[0] + tm[3] * cm[2]
                d = tm[2] * cm[1] + tm[3] * cm[3]
                runs.append((size * (c * c + d * d) ** 0.5, run))

        page.extract_text(visitor_text=visit)
        for size, run in runs:
            if size < low[0]:
                low = (size, number, run.strip()[:20])
    return low


def test_no_glyph_below_the_legibility_floor(site: Path):
    report = []
    for edition in EDITIONS:
        size, page, run = smallest_glyph(site / "print" / f"{edition.id}.pdf")
        report.append(f"{edition.id}: {size:.2f} pt（第 {page} 页「{run}」）")
        print(report[-1])
        assert size >= FLOOR - 0.01, report[-1]
    (ROOT / "test-output").mkdir(exist_ok=True)
    (ROOT / "test-output" / "print-smallest-glyph.txt").write_text("\n".join(report) + "\n", encoding="utf-8")


def _flowchart_parts(pdf: Path, title: str) -> list[int]:
    """Pages that carry a part of ``title``'s flowchart: its caption and the note "第 k 部分，共 n 部分"."""
    pages = []
    for number in range(1, int(re.search(r"Pages:\s+(\d+)", subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True).stdout).group(1)) + 1):
        body = flat(text(pdf, number))
        if flat(title + "流程图") in body and re.search(r"第\d+部分，共\d+部分", body):
            pages.append(number)
    return pages


def _member_development_book(tmp_path: Path, paper: str) -> Path:
    from generators.diagrams import cache_for
    from generators.model.schema import Edition
    from generators.print.render import print_editions

    model = load_model(ROOT)
    edition = Edition(id=f"committee-{paper.lower()}", handbook="committee", paper=paper)
    from dataclasses import replace

    model = replace(model, editions={edition.id: edition})
    [printed] = print_editions(model, cache_for(model), out_dir=tmp_path, progress=lambda _: None, workers=1)
    return tmp_path / printed.filename


_TYPESET_ONE = """
import sys
from pathlib import Path
from generators.diagrams import cache_for
from generators.model import load_model
from generators.print.render import print_editions
root = Path(sys.argv[1])
model = load_model(root)
workers = int(sys.argv[2]) or None
print_editions(model, cache_for(model), only=["branch-decision"], out_dir=root / "out", workers=workers,
               progress=lambda note: print(note, flush=True))
"""


def test_one_edition_with_helper_processes_is_the_same_book(tmp_path: Path):
    """One edition on a machine with cores to spare: helper processes cut its flowcharts while the tables are
    set. The book must not depend on which process cut which chart. Each build runs in a process of its own,
    as `handbook print` does (this test process has loaded other projects' words)."""
    import os
    import shutil
    import subprocess
    import sys

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: no helper process to compare with")
    books, notes = {}, {}
    for mode, workers in (("helpers", 0), ("alone", 1)):
        root = tmp_path / mode  # cold: no diagram or print cache
        for part in ("modules", "diagrams"):
            shutil.copytree(ROOT / part, root / part)
        done = subprocess.run([sys.executable, "-c", _TYPESET_ONE, str(root), str(workers)], capture_output=True,
                              text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        notes[mode] = done.stdout
        books[mode] = (root / "out" / "branch-decision.pdf").read_bytes()
    assert "个进程绘制流程图" in notes["helpers"], notes["helpers"]
    assert "个进程绘制流程图" not in notes["alone"], notes["alone"]
    assert books["helpers"] == books["alone"]


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_member_development_is_split_into_parts_with_connectors(site: Path, tmp_path: Path, paper: str):
    from generators.diagrams.flowchart import step_numbers

    item = MODEL.items["member-development"]
    pdf = _member_development_book(tmp_path, paper) if paper == "A5" else site / "print" / "committee.pdf"
    pages = _flowchart_parts(pdf, item.title)
    assert len(pages) >= 2
    assert pages == list(range(pages[0], pages[0] + len(pages))), "parts on consecutive pages"
    seen: list[int] = []
    for number in pages:
        body = text(pdf, number)
        if number != pages[0]:
            assert "（续）" in body
        seen += [int(n) for n in re.findall(r"(?<![\d.])(\d{1,2})\.(?!\d)", body)]
        # Off-page connectors name a real page: the page where that step's part is.
        for target_page, step in re.findall(r"第\s*(\d+)\s*页\s+步骤\s*(\d+)", flat(body).replace("页步骤", "页 步骤")):
            assert int(target_page) in pages, (target_page, step)
    numbers = step_numbers(item)
    assert len(numbers) == 25
    assert sorted(set(seen) & set(range(1, 100))) == list(range(1, 26))
    out = ROOT / "test-output"
    out.mkdir(exist_ok=True)
    # Every page of the chart, as printed (earlier runs' pages removed first: the page numbers move).
    for old in out.glob(f"print-member-development-{paper.lower()}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-f", str(pages[0]), "-l", str(pages[-1]), "-r", "60", "-png", str(pdf),
                    str(out / f"print-member-development-{paper.lower()}")], check=True)
    assert len(list(out.glob(f"print-member-development-{paper.lower()}-*.png"))) == len(pages)


@pytest.mark.parametrize("edition", EDITIONS, ids=[e.id for e in EDITIONS])
def test_header_cells_never_break_inside_a_word(site: Path, edition):
    pdf = site / "print" / f"{edition.id}.pdf"
    body = text(pdf)
    headers = ["责任主体", "参与和配合", "时间节点", "工作内容", "需留存的记录", "工作事项"]
    if edition.branch_type:
        headers += ["自评得分", "考核得分", "扣分说明", "支部类型"]
    for header in headers:
        assert header in body, header
    # Table headers are whole words on one line: no line holds only part of one.
    for part in ("责任主", "自评得", "考核得", "时间节", "工作内", "需留存的", "参与和"):
        assert not re.search(rf"^\s*{part}\s*$", body, re.M), part
    # Nor split between its words: no line of the page holds only the tail of a heading.
    for tail in ("主体", "得分", "节点", "说明"):
        assert not re.search(rf"^\s*{tail}\s*$", body, re.M), tail
    # Month columns of the 年度工作日历: "12月" never as "12" over "月".
    assert not re.search(r"^\s*(?:\d{1,2}\s+){6,}\s*$", body, re.M)


def test_score_columns_leave_room_to_write(site: Path):
    """自评得分, 考核得分 and 扣分说明 are at least 16, 16 and 20 mm wide: read from the header positions."""
    pdf = site / "print" / "branch-project.pdf"
    contents = text(pdf, 3, 5)
    score = int(re.search(r"考核评分表\s*\.{3,}\s*(\d+)", contents).group(1))
    page = runs(pdf)[score - 1]
    x = {}
    for left, _, _, _, run in page:
        for header in ("分值", "评分标准", "自评得分", "考核得分", "扣分说明"):
            if flat(run).startswith(header[:2]) and header not in x and (header != "分值" or flat(run) == "分值"):
                x[header] = left
    mm = 72 / 25.4
    assert x["考核得分"] - x["自评得分"] >= 16 * mm - 1
    assert x["扣分说明"] - x["考核得分"] >= 16 * mm - 1
    # The last column: from its left rule (the header's text less the cell's inset) to the right margin.
    right = float(PdfReader(pdf).pages[score - 1].mediabox.width) - 20 * mm
    assert right - (x["扣分说明"] - 1.6 * mm) >= 20 * mm - 1


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_blank_forms_fill_whole_pages_with_lines_8mm_apart(paper: str):
    """Every form's rows fill each of its pages (the last page too: no one-line spill page), handwriting lines
    9 mm apart; as the editions lay them out."""
    from generators.print.tables import LINE_GAP, MM, form_pages
    from generators.print.typeset import text_area

    assert LINE_GAP >= 8 * MM
    style = (Path(__file__).resolve().parent.parent / "generators/print/templates/book.typ").read_text(encoding="utf-8")
    assert re.search(r"#let writing-lines\(height, gap: (\d+)mm\)", style).group(1) == "9"
    _, height = text_area(paper)
    checked = 0
    for form in MODEL.forms.values():
        first, rest = height - 120, height - 40
        pages = form_pages(form.fields, first, rest)
        for n, rows in enumerate(pages):
            room = first if n == 0 else rest
            used = sum(r.height for r in rows)
            assert used <= room + 0.5, (form.id, n)
            # Filled: less than a handwriting line (or a single row when nothing grows) is left over.
            assert room - used < max(LINE_GAP, 10 * MM) + 2, (form.id, n, room - used)
            checked += 1
    assert checked >= len(MODEL.forms)


def test_score_sheet_and_form_pages_are_previewed(site: Path):
    pdf = site / "print" / "branch-project.pdf"
    out = ROOT / "test-output"
    out.mkdir(exist_ok=True)
    contents = text(pdf, 3, 5)
    score = int(re.search(r"考核评分表\s*\.{3,}\s*(\d+)", contents).group(1))
    # The appendix opens with its list of forms; the first form is the contents' next entry.
    forms = int(re.search(r"记录表\s*\.{3,}\s*\d+\s*\n\s*\S[^.\n]*?\s*\.{3,}\s*(\d+)", contents).group(1))
    assert "自评得分" in text(pdf, score)
    assert "签字" in text(pdf, forms) or "年" in text(pdf, forms)
    for name, number in (("print-score-sheet", score), ("print-form", forms)):
        subprocess.run(["pdftoppm", "-f", str(number), "-l", str(number), "-r", "70", "-png", "-singlefile", str(pdf),
                        str(out / name)], check=True)
        assert (out / f"{name}.png").stat().st_size > 5_000


def test_pdf_dates_come_from_source_date_epoch(minimal_project: Path, tmp_path: Path, monkeypatch):
    from generators.diagrams import cache_for
    from generators.print.render import print_editions

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")  # 2001-09-09 01:46:40 UTC
    (minimal_project / "modules/editions.yml").write_text(
        "editions:\n  - id: hb-alpha\n    handbook: hb\n    branch_type: alpha\n", encoding="utf-8")
    model = load_model(minimal_project)
    [printed] = print_editions(model, cache_for(model), out_dir=tmp_path, progress=lambda _: None, workers=1)
    pdf = tmp_path / printed.filename
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^CreationDate:.*2001", info, re.M), info
    assert "2001-09-09" in flat(text(pdf, 2))  # the colophon's 印制日期
    first = pdf.read_bytes()
    (tmp_path / "again").mkdir()
    import shutil

    shutil.rmtree(minimal_project / ".cache" / "print")
    [again] = print_editions(load_model(minimal_project), cache_for(model), out_dir=tmp_path / "again",
                             progress=lambda _: None, workers=1)
    assert (tmp_path / "again" / again.filename).read_bytes() == first  # typeset again, byte for byte the same


def runs(pdf: Path) -> list[list[tuple[float, float, float, str, str]]]:
    """Every text run of every page as (x, y, size on paper, font, text); y grows upwards from the page's bottom."""
    pages = []
    for page in PdfReader(pdf).pages:
        found: list[tuple[float, float, float, str, str]] = []

        def visit(run, cm, tm, font, size):
            if run.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                c = tm[2] * cm[0] + tm[3] * cm[2]
                d = tm[2] * cm[1] + tm[3] * cm[3]
                name = str(font.get("/BaseFont", "")) if font else ""
                found.append((x, y, size * (c * c + d * d) ** 0.5, name, run.strip()))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def _body_runs(page: list, height: float, paper: str) -> list:
    """A page's text without its running header and folio (they sit in the margins)."""
    top, bottom = {"A4": (22, 20), "A5": (16, 14)}[paper]
    return [r for r in page if bottom / 25.4 * 72 - 2 < r[1] < height - top / 25.4 * 72 + 2]


def _first_body_page(pdf: Path) -> int:
    reader = PdfReader(pdf)
    return min(reader.get_destination_page_number(e) for e in reader.outline if not isinstance(e, list))


@pytest.mark.parametrize("edition", EDITIONS, ids=[e.id for e in EDITIONS])
def test_no_heading_ends_a_page_and_no_caption_starts_one(site: Path, edition):
    """Keep with next, read off the PDF: the last text of a page is never a heading (sans bold, larger than the
    body), and a figure's caption is never the first text of a page (it stays with its figure)."""
    pdf = site / "print" / f"{edition.id}.pdf"
    reader = PdfReader(pdf)
    body = {"A4": 10.5, "A5": 9.0}[edition.paper]
    caption = max({"A4": 9.0, "A5": 8.0}[edition.paper] - 0.5, FLOOR)
    first = _first_body_page(pdf)
    checked = 0
    for number, page in enumerate(runs(pdf)[first:], start=first + 1):
        height = float(reader.pages[number - 1].mediabox.height)
        text = _body_runs(page, height, edition.paper)
        if not text:
            continue
        checked += 1
        last = min(text, key=lambda r: (round(r[1], 1), -r[0]))
        heading = "Sans" in last[3] and "Bold" in last[3] and last[2] > body + 0.3
        assert not heading, f"{edition.id}: 第 {number} 页以标题「{last[4]}」结尾"
        top = max(text, key=lambda r: (round(r[1], 1), -r[0]))
        is_caption = "Sans" in top[3] and "Bold" not in top[3] and abs(top[2] - caption) < 0.05 and "图" in top[4]
        assert not is_caption, f"{edition.id}: 第 {number} 页以图题「{top[4]}」开头"
    assert checked > 20


def _fixture_book(project: Path, out: Path, paper: str = "A5") -> Path:
    from generators.diagrams import cache_for
    from generators.print.render import print_editions

    (project / "modules/editions.yml").write_text(
        f"editions:\n  - id: hb-alpha\n    handbook: hb\n    branch_type: alpha\n    paper: {paper}\n", encoding="utf-8")
    model = load_model(project)
    [printed] = print_editions(model, cache_for(model), out_dir=out, progress=lambda _: None, workers=1)
    return out / printed.filename


def test_a_row_taller_than_a_page_splits_and_nothing_is_shrunk_or_clipped(minimal_project: Path, tmp_path: Path):
    """A step whose 工作内容 alone is longer than a page: its row continues on the next page, every sentence
    printed at the table's size inside the page's text area; the other rows of the table stay whole."""
    sentences = [f"第{n:03d}项要点由支部委员会逐条核对并签字确认，形成记录后归档备查。" for n in range(1, 91)]
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    source = sec.read_text(encoding="utf-8")
    source = source.replace("          title: 开会\n", "          title: 开会\n          description: " + "".join(sentences) + "\n")
    source = source.replace("          title: 人数过半？\n", "          title: 人数过半？\n          description: 清点到会人数，核对请假情况。\n")
    sec.write_text(source, encoding="utf-8")
    pdf = _fixture_book(minimal_project, tmp_path)
    reader = PdfReader(pdf)
    pages = runs(pdf)
    where: dict[int, int] = {}
    for number, page in enumerate(pages, start=1):
        height = float(reader.pages[number - 1].mediabox.height)
        text = flat("".join(r[4] for r in page))
        for n in range(1, 91):
            if f"第{n:03d}项要点" in text:
                where.setdefault(n, number)
        for x, y, size, font, run in page:
            if re.search(r"第\d{3}项", run):
                assert size >= 8.0 - 0.01, (number, run, size)  # the A5 table size: not shrunk
                assert 14 / 25.4 * 72 - 1 < y < height - 16 / 25.4 * 72, (number, run, y)  # inside the text area
    assert sorted(where) == list(range(1, 91)), "every sentence printed"
    spread = sorted(set(where.values()))
    assert len(spread) >= 2 and spread == list(range(spread[0], spread[0] + len(spread))), spread
    assert [where[n] for n in range(1, 91)] == sorted(where[n] for n in range(1, 91))
    # The ordinary row before it (人数过半？) is whole, on one page.
    step = [number for number, page in enumerate(pages, start=1)
            if "清点到会人数" in flat("".join(r[4] for r in page))]
    assert len(step) == 1 and "核对请假情况" in flat("".join(r[4] for r in pages[step[0] - 1]))


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_member_development_step_rows_never_split(site: Path, tmp_path: Path, paper: str):
    """Every row of the 发展党员 step table (工作步骤) is on one page: its 工作内容 starts and ends there."""
    item = MODEL.items["member-development"]
    pdf = _member_development_book(tmp_path, paper) if paper == "A5" else site / "print" / "committee.pdf"
    reader = PdfReader(pdf)

    def entries(outline):
        for entry in outline:
            if isinstance(entry, list):
                yield from entries(entry)
            else:
                yield entry.title, reader.get_destination_page_number(entry)

    marks = list(entries(reader.outline))
    at = [n for n, (title, _) in enumerate(marks) if title == item.title][0]
    first, end = marks[at][1], marks[at + 1][1]  # the item's pages: from its bookmark to the next one
    pages = [flat("".join(r[4] for r in page)) for page in runs(pdf)[first:end + 1]]
    checked = 0
    for step in item.procedure.steps:
        content = flat(step.description or "")
        if len(content) < 16:
            continue
        head, tail = content[:8], content[-8:]
        on = [n for n, t in enumerate(pages) if head in t]
        assert on, step.id
        # The table's row is the last place the description appears (the flowchart shows titles only).
        assert tail in pages[on[-1]], f"{paper} 工作步骤「{step.title}」跨页"
        checked += 1
    assert checked >= 10


def test_a_phase_too_tall_for_a_page_is_split_between_steps(minimal_project: Path, tmp_path: Path):
    """One phase of 30 steps, on A5: parts on consecutive pages, each at a legible size, every step once."""
    steps = ["        - id: start\n          kind: start\n          title: 开始\n          phase: only\n          next: s1\n"]
    for n in range(1, 31):
        role = "committee" if n % 2 else "secretary"
        steps.append(f"        - id: s{n}\n          title: 第{n}项工作的具体办理\n          role: {role}\n"
                     f"          phase: only\n          next: {'s' + str(n + 1) if n < 30 else 'end'}\n")
    steps.append("        - id: end\n          kind: end\n          title: 结束\n          phase: only\n")
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    source = sec.read_text(encoding="utf-8")
    head, _, _ = source.partition("    procedure:\n")
    sec.write_text(head + "    procedure:\n      phases:\n        - id: only\n          title: 办理\n      steps:\n"
                   + "".join(steps), encoding="utf-8")
    pdf = _fixture_book(minimal_project, tmp_path)
    parts = _flowchart_parts(pdf, "三会一课")
    assert len(parts) >= 2 and parts == list(range(parts[0], parts[0] + len(parts)))
    seen = []
    for number in parts:
        body = flat(text(pdf, number))
        if number != parts[0]:
            assert "（续）" in body
        seen += [int(n) for n in re.findall(r"(\d+)\.第\1项", body)]
    assert sorted(seen) == list(range(1, 31))
    low = min(r[2] for number in parts for r in runs(pdf)[number - 1])
    assert low >= FLOOR - 0.01


def test_no_flowchart_part_is_shrunk_below_its_page_scale():
    """The placer's last resort (a part shrunk to fit its page) never fires: not in the shipped editions, nor in any
    handbook printed on A4 or A5."""
    from generators.diagrams import cache_for
    from generators.diagrams.flowchart import _lanes
    from generators.print import book

    cache = cache_for(MODEL)
    shrunk, parts, turned = [], 0, 0
    original = book._Placer.flowchart

    def spy(self, item, room, paper=None):
        nonlocal parts, turned
        figures = original(self, item, room, paper)
        parts += len(figures)
        turned += sum(f.landscape for f in figures)
        shrunk.extend(f"{self.paper} {item.id} {f.file}" for f in figures if f.shrunk)
        for f in figures:
            # Lanes use the page's width: no part of a cut chart narrower than 90 % of its text area (a chart
            # whole on one page may be narrower, shrunk for its height), none wider.
            width = (self.landscape if f.landscape else self.portrait)[0]
            assert f.width <= width * 1.04 + 1, (self.paper, item.id, f.file, f.width, width)  # at most into the margin
            assert len(figures) == 1 or f.width >= 0.9 * width, (self.paper, item.id, f.file, f.width, width)
        if len(figures) > 1 and len(_lanes(self.style, item)[0]) >= 5:
            assert all(f.landscape for f in figures), (self.paper, item.id)  # wide and cut: turned pages
        return figures

    from generators.model.schema import Edition

    # The shipped editions, and every handbook on both papers (an edition file may print any of them on A5).
    every = EDITIONS + [Edition(id=f"{h}-{paper.lower()}", handbook=h, paper=paper)
                        for h in MODEL.handbooks for paper in ("A4", "A5")]
    book._Placer.flowchart = spy
    try:
        for edition in every:
            book.build_book(MODEL, edition, cache, {"revision": "x", "date": "y"})
    finally:
        book._Placer.flowchart = original
    assert parts > 100 and turned > 10
    assert not shrunk, shrunk


@pytest.mark.parametrize("edition", EDITIONS, ids=[e.id for e in EDITIONS])
def test_no_form_spills_onto_a_page_of_its_own(site: Path, edition):
    """In the 记录表 appendix every page is a form's page: none carries only a line or two at its top (a row or
    the note under a form spilled from the page before)."""
    pdf = site / "print" / f"{edition.id}.pdf"
    contents = text(pdf, 3, _first_body_page(pdf))
    found = re.search(r"附录\S\s*记录表\s*\.{3,}\s*(\d+)", contents)
    if not found:
        pytest.skip("no forms in this edition")
    after = re.search(r"附录\S\s*(?:考核评分表|依据文件)\s*\.{3,}\s*(\d+)", contents)
    reader = PdfReader(pdf)
    end = int(after.group(1)) if after else len(reader.pages) + 1
    pages = runs(pdf)
    spilled = []
    for number in range(int(found.group(1)) + 1, end):
        height = float(reader.pages[number - 1].mediabox.height)
        body = _body_runs(pages[number - 1], height, edition.paper)
        if body and min(r[1] for r in body) > 0.65 * height:  # all its text in the top third
            spilled.append(number)
    assert end - int(found.group(1)) > 3 and not spilled, spilled


CLOSING = "，。、；：？！）》」』】〕’”"
OPENING = "（《「『【〔‘“"


def line_edges(pdf: Path) -> list[tuple[int, str]]:
    """Every printed line's text, per column: runs on one baseline, cut where a gap wider than a character
    separates them (table cells, lanes). Read from the runs' positions: pdftotext moves a compressed
    punctuation mark to a line of its own where the page has none."""
    found = []
    for number, page in enumerate(runs(pdf), start=1):
        lines: dict[int, list] = {}
        for x, y, size, _, run in page:
            lines.setdefault(round(y / 2.5), []).append((x, size, run))
        for items in lines.values():
            items.sort()
            pieces: list[list[str]] = []
            end = None
            for x, size, run in items:
                if end is None or x - end > size * 1.5:
                    pieces.append([])
                pieces[-1].append(run)
                end = x + sum(size if ord(ch) >= 0x2E80 else size * 0.55 for ch in run)
            found += [(number, "".join(p)) for p in pieces]
    return found


def test_line_edges_finds_a_closing_mark_that_starts_a_line(tmp_path: Path):
    """The 避头尾 check below can fail: a line forced to start with "，" is found."""
    from generators.print.typeset import BookSource, typeset

    source = BookSource(title="测试", subtitle="", enterprise="测试企业", paper="A5", edition_line="2026 年版",
                        colophon=[("书名", "测试")], body="= 章\n\n甲乙丙丁 \\\n，戊己庚辛。\n")
    typeset(source, tmp_path / "t.pdf")
    assert any(text.startswith("，戊") for _, text in line_edges(tmp_path / "t.pdf"))


@pytest.mark.parametrize("edition", EDITIONS, ids=[e.id for e in EDITIONS])
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(site: Path, edition):
    """避头尾 over every line of every edition, tables and diagrams included."""
    bad = [(page, text[:20]) for page, text in line_edges(site / "print" / f"{edition.id}.pdf")
           if text[0] in CLOSING or text[-1] in OPENING]
    assert not bad, bad[:10]
