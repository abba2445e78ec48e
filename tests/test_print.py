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
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


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


def test_contents_page_numbers_match_the_pages(site: Path):
    pdf = site / "print" / "branch-project.pdf"
    contents = text(pdf, 3, 4)
    entries = re.findall(r"^\s*(\S[^.\n]*?)\s*\.{3,}\s*(\d+)\s*$", contents, re.M)
    assert len(entries) > 20
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
