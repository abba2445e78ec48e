"""Diagrams as a reader sees them: counts match the model, labels present, text escaped, output stable."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pygraphviz
import pytest

from conftest import ROOT
from generators.diagrams import build_all, cache_for, render
from generators.model import load_model
from generators.model.procedures import edges

SVG = "{http://www.w3.org/2000/svg}"
OUTPUT = ROOT / "test-output"


def rendered(project: Path, cache_dir: Path) -> tuple[dict[str, str], object]:
    model = load_model(project)
    cache = cache_for(model, cache_dir)
    return {ident: render(d, cache) for ident, d in build_all(model).items()}, cache


def titles(svg: str, kind: str) -> list[str]:
    root = ET.fromstring(svg)
    return [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == kind]


def texts(svg: str) -> str:
    return " ".join(t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text"))


def flat(text: str) -> str:
    """Labels wrap at spaces and punctuation: compare text with the whitespace taken out."""
    return re.sub(r"\s", "", text)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    model = load_model(ROOT)
    svgs, cache = rendered(ROOT, tmp_path_factory.mktemp("cache"))
    return model, svgs, cache


def test_every_diagram_is_accessible_xml(shipped):
    _, svgs, _ = shipped
    assert svgs
    for ident, svg in svgs.items():
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and root.get("id") == ident
        assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
        assert "Noto Sans CJK SC" in svg


def test_flowcharts_match_their_procedures(shipped):
    model, svgs, _ = shipped
    flows = [item for item in model.items.values() if item.procedure]
    assert flows
    for item in flows:
        svg = svgs[f"flow-{item.id}"]
        steps = {f"s-{s.id}" for s in item.procedure.steps}
        assert {t for t in titles(svg, "node") if t.startswith("s-")} == steps
        transitions = {f"s-{s.id}->s-{target}" for s in item.procedure.steps for target, _ in edges(s)}
        drawn = {t.replace("&#45;", "-") for t in titles(svg, "edge") if t.startswith("s-")}
        assert drawn == transitions
        assert {t for t in titles(svg, "node") if t.startswith("phase-")} == {f"phase-{k}" for k in range(len(item.procedure.phases))}
        lanes = {t for t in titles(svg, "node") if t.startswith("lane-")}
        assert 1 <= len(lanes) <= max(5, 1)
        for step in item.procedure.steps:
            for branch in step.branches:
                assert flat(branch.label) in flat(texts(svg))
            if step.time_limit:
                assert flat(step.time_limit) in flat(texts(svg))


def test_loop_backs_are_dashed(shipped):
    model, svgs, _ = shipped
    found = 0
    for item in model.items.values():
        for step in item.procedure.steps if item.procedure else []:
            for target, loop_back in edges(step):
                if loop_back:
                    root = ET.fromstring(svgs[f"flow-{item.id}"])
                    edge = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"
                            and g.find(f"{SVG}title").text.replace("&#45;", "-") == f"s-{step.id}->s-{target}"][0]
                    assert edge.find(f"{SVG}path").get("stroke-dasharray")
                    found += 1
    assert found


def test_root_diagram_nodes_link_to_their_pages(shipped):
    model, svgs, _ = shipped
    for handbook in model.handbooks.values():
        svg = svgs[f"root-handbook-{handbook.id}"]
        for section in handbook.sections:
            assert f'xlink:href="@/sections/{section.id}/"' in svg
            for item in section.items:
                assert f'xlink:href="@/items/{item.id}/"' in svg


def test_matrix_of_branch_types_has_a_row_per_item_and_legend(shipped):
    model, svgs, _ = shipped
    svg = svgs["matrix-types"]
    body = texts(svg)
    for bt in model.branch_types.values():
        assert bt.name in body
    branch = model.handbooks["branch"]
    for item in (i for s in branch.sections for i in s.items):
        assert f'xlink:href="@/items/{item.id}/"' in svg
    assert "必做" in body and "重点" in body and "可选" in body


def test_second_build_is_identical_and_lays_out_nothing(tmp_path: Path):
    first, cache1 = rendered(ROOT, tmp_path / "cache")
    second, cache2 = rendered(ROOT, tmp_path / "cache")
    assert first == second
    assert cache1.misses == len(first) and cache2.misses == 0 and cache2.hits == len(first)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted(p.name for p in (tmp_path / "cache").glob("*.svg"))


def test_hostile_text_stays_literal(minimal_project: Path, tmp_path: Path):
    hostile = 'A "q" <b>&amp; {x} | y \\ z [1] </svg> <script>alert(1)</script> {{ 7*7 }} "]; x ['
    sec = minimal_project / "modules/handbooks/hb/sec.yml"
    text = sec.read_text(encoding="utf-8")
    quoted = '"' + hostile.replace("\\", "\\\\").replace('"', '\\"') + '"'
    text = text.replace("    title: 三会一课", f"    title: {quoted}").replace("          title: 开会", f"          title: {quoted}")
    text = text.replace("label: 否", 'label: "否\\n<i>退回</i>"')
    sec.write_text(text, encoding="utf-8")
    svgs, _ = rendered(minimal_project, tmp_path / "cache")
    for ident in ("flow-meetings", "root-section-sec", "matrix-types"):
        svg = svgs[ident]
        ET.fromstring(svg)  # still well-formed
        assert "<script>" not in svg and "<b>&amp;" not in svg
        assert flat(hostile) in flat(texts(svg))
    assert "<i>退回</i>" in texts(svgs["flow-meetings"])


def test_png_previews_for_people(shipped):
    model, _, _ = shipped
    diagrams = build_all(model)
    OUTPUT.mkdir(exist_ok=True)
    chosen = ["flow-three-meetings-one-lesson", "matrix-types", "root-handbook-branch", "system-map"]
    for ident in chosen:
        png = pygraphviz.AGraph(string=diagrams[ident].dot).draw(format="png", prog="dot")
        assert png.startswith(b"\x89PNG")
        (OUTPUT / f"{ident}.png").write_bytes(png)


def _centres(svg: str) -> dict[str, float]:
    """Horizontal centre of every node's outline, by node name."""
    found = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") != "node":
            continue
        shape = g.find(f".//{SVG}polygon")
        if shape is None:
            shape = g.find(f".//{SVG}path")
        if shape is None:  # text-only and invisible nodes
            continue
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", shape.get("points") or shape.get("d"))]
        xs = numbers[0::2]
        found[g.find(f"{SVG}title").text.replace("&#45;", "-")] = (min(xs) + max(xs)) / 2
    return found


def test_steps_sit_in_their_role_lane(shipped):
    model, svgs, _ = shipped
    diagrams = build_all(model)
    for ident in ("flow-three-meetings-one-lesson", "flow-collective-decision", "flow-member-development"):
        lanes = dict(re.findall(r'"(s-[a-z0-9-]+)" \[.*?hb_lane="(\d+)"', diagrams[ident].dot))
        centres = _centres(svgs[ident])
        assert lanes
        for node, lane in lanes.items():
            assert abs(centres[node] - centres[f"lane-{lane}"]) < 1.5, (ident, node)


def test_member_development_has_25_steps_in_5_phases_and_prints_legibly(shipped):
    model, svgs, _ = shipped
    procedure = model.items["member-development"].procedure
    phased = [s for s in procedure.steps if s.phase]
    assert len(phased) == 25 and len(procedure.phases) == 5
    svg = svgs["flow-member-development"]
    assert len({t for t in titles(svg, "node") if t.startswith("phase-")}) == 5
    width = float(re.search(r'width="([\d.]+)pt"', svg).group(1))
    a4_text_width = 170 / 25.4 * 72  # A4 portrait, 20 mm margins
    body = model.theme.font_size * min(1.0, a4_text_width / width)
    assert body >= 6.5, f"scaled to the A4 text width the labels would be {body:.1f} pt"


def test_two_builds_at_once_share_the_cache_safely(tmp_path: Path):
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from generators.model import load_model; "
        "from generators.diagrams import build_all, cache_for, render; m = load_model(Path(sys.argv[1])); "
        "c = cache_for(m, Path(sys.argv[2])); [render(d, c) for d in build_all(m).values()]"
    )
    runs = [subprocess.Popen([sys.executable, "-c", script, str(ROOT), str(tmp_path / "cache")], cwd=ROOT) for _ in range(2)]
    assert [r.wait(timeout=300) for r in runs] == [0, 0]
    files = list((tmp_path / "cache").iterdir())
    assert files and all(f.suffix == ".svg" and f.read_text(encoding="utf-8").rstrip().endswith("</svg>") for f in files)


def test_a_printed_edition_draws_exactly_what_the_site_draws(shipped):
    from generators.diagrams import handbook_diagrams

    model = shipped[0]
    everything = build_all(model)
    for handbook in model.handbooks.values():
        for branch_type in [None] + (list(model.branch_types) if handbook.spec.kind == "branch" else []):
            some = handbook_diagrams(model, handbook.id, branch_type)
            assert f"root-handbook-{handbook.id}" in some and f"matrix-roles-{handbook.id}" in some
            assert all(some[ident].dot == everything[ident].dot for ident in some)


def test_a_very_large_handbook_tree_stops_at_its_sections(tmp_path: Path):
    from benchmarks.corpus import scaled_copy
    from generators.diagrams.root import HANDBOOK_TREE_ITEMS, handbook_tree
    from generators.diagrams.style import Style

    model = load_model(scaled_copy(ROOT, tmp_path / "x4", 4))
    style = Style(model)
    for handbook in model.handbooks.values():
        count = sum(len(s.items) for s in handbook.sections)
        dot = handbook_tree(style, handbook).dot
        assert ("item-" in dot) == (count <= HANDBOOK_TREE_ITEMS), handbook.id
        assert all(f"sec-{s.id}" in dot for s in handbook.sections)
    assert any(sum(len(s.items) for s in h.sections) > HANDBOOK_TREE_ITEMS for h in model.handbooks.values())


def test_no_label_line_is_a_single_character_cut_from_its_word(shipped):
    """Labels wrap between words (jieba): a line of one Chinese character means a word was cut."""
    _, svgs, _ = shipped
    checked = 0
    for ident, svg in svgs.items():
        if ident.startswith("matrix-"):
            continue  # a matrix is one table of marks (●, 底), not wrapped labels
        for g in ET.fromstring(svg).iter(f"{SVG}g"):
            if g.get("class") not in ("node", "edge"):
                continue
            lines = [(t.text or "").strip() for t in g.iter(f"{SVG}text")]
            if len(lines) < 2:
                continue
            checked += 1
            for line in lines:
                alone = len(line) == 1 and "\u4e00" <= line <= "\u9fff"
                assert not alone, f"{ident} {g.find(f'{SVG}title').text}: {lines}"
    assert checked > 100


def test_no_label_line_ends_with_a_number_whose_unit_starts_the_next(shipped):
    """培养1年以上 wraps as 培养1年 / 以上, never 培养1 / 年以上: a number stays with its measure word."""
    _, svgs, _ = shipped
    for ident, svg in svgs.items():
        for g in ET.fromstring(svg).iter(f"{SVG}g"):
            if g.get("class") not in ("node", "edge"):
                continue
            lines = [(t.text or "").strip() for t in g.iter(f"{SVG}text")]
            for line, following in zip(lines, lines[1:]):
                if line[-1:].isdigit():
                    assert not ("\u4e00" <= following[:1] <= "\u9fff"), f"{ident} {g.find(f'{SVG}title').text}: {lines}"
    # The wrapping itself, on the labels that showed it.
    from generators.diagrams.dot import wrap

    assert wrap("培养1年以上、是否具备发展条件？", 5)[0] == "培养1年"
    assert "1至2名" in "|".join(wrap("指定1至2名培养联系人", 5)).split("|")

def _group(svg: str, kind: str, title: str):
    return next(g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == kind and g.find(f"{SVG}title").text == title)


def _outline(g) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a node's outline in SVG coordinates."""
    shape = g.find(f".//{SVG}polygon")
    if shape is None:
        shape = g.find(f".//{SVG}path")
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", shape.get("points") or shape.get("d"))]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def test_phase_titles_are_written_across_a_few_words_a_line(shipped):
    model, svgs, _ = shipped
    checked = 0
    for item in model.items.values():
        if not item.procedure or not item.procedure.phases:
            continue
        svg = svgs[f"flow-{item.id}"]
        for k, phase in enumerate(item.procedure.phases):
            lines = [(t.text or "").strip() for t in _group(svg, "node", f"phase-{k}").iter(f"{SVG}text")]
            assert lines[0].endswith("阶段") and len(lines[0]) >= 4, lines  # 第一阶段 on one line
            assert "".join(lines[1:]) == flat(phase.title), lines
            assert all(len(line) >= 2 for line in lines), lines  # never a character a line
            checked += 1
    assert checked >= 10


def test_every_step_box_carries_the_number_of_its_row_in_the_step_table(shipped):
    from generators.model.procedures import step_numbers

    model, svgs, _ = shipped
    for item in (i for i in model.items.values() if i.procedure):
        numbers = step_numbers(item.procedure)
        for ident in (f"flow-{item.id}", f"flow-{item.id}-narrow"):
            for step in item.procedure.steps:
                first = next(t.text for t in _group(svgs[ident], "node", f"s-{step.id}").iter(f"{SVG}text"))
                if step.id in numbers:
                    assert first.startswith(f"{numbers[step.id]}."), (ident, step.id, first)
                else:
                    assert not re.match(r"\d+\.", first), (ident, step.id, first)  # the start and the ends


def test_loop_backs_run_beside_the_lanes_and_through_no_box(shipped):
    """A loop-back leaves its step sideways, runs up in a channel outside every lane and comes back in
    level with the step it returns to: no part of it crosses a box, and it never runs up through the lanes."""
    model, svgs, _ = shipped
    checked = 0
    for item in (i for i in model.items.values() if i.procedure):
        svg = svgs[f"flow-{item.id}"]
        root = ET.fromstring(svg)
        lanes = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "none"]
        lanes_left = min(float(r.get("x")) for r in lanes)
        lanes_right = max(float(r.get("x")) + float(r.get("width")) for r in lanes)
        boxes = {g.find(f"{SVG}title").text: _outline(g) for g in root.iter(f"{SVG}g")
                 if g.get("class") == "node" and g.find(f"{SVG}title").text.startswith("s-")}
        for step in item.procedure.steps:
            for target, loop_back in edges(step):
                if not loop_back:
                    continue
                edge = _group(svg, "edge", f"s-{step.id}->s-{target}")
                path = edge.find(f"{SVG}path")
                assert path.get("stroke-dasharray")
                points = [tuple(map(float, p.split(","))) for p in re.findall(r"-?[\d.]+,-?[\d.]+", path.get("d"))]
                assert "C" not in path.get("d")  # straight legs, not a curve across the chart
                vertical = [(a, b) for a, b in zip(points, points[1:]) if abs(a[0] - b[0]) < 0.1 and abs(a[1] - b[1]) > 1]
                assert vertical, points
                track = max(vertical, key=lambda ab: abs(ab[0][1] - ab[1][1]))[0][0]  # the long run up
                assert track > lanes_right or track < lanes_left, (item.id, step.id, track, lanes_left, lanes_right)
                for a, b in zip(points, points[1:]):
                    for t in range(21):
                        x, y = a[0] + (b[0] - a[0]) * t / 20, a[1] + (b[1] - a[1]) * t / 20
                        for name, (left, top, right, bottom) in boxes.items():
                            if name in (f"s-{step.id}", f"s-{target}"):
                                continue
                            assert not (left + 0.5 < x < right - 0.5 and top + 0.5 < y < bottom - 0.5), (item.id, step.id, name)
                checked += 1
    assert checked >= 10


def test_every_phone_flowchart_fits_a_phone_without_shrinking_its_text(shipped):
    """At 375 px a page's column is about 343 px (257 pt); a chart up to 300 pt wide keeps 10.5 pt text
    at 12 CSS px or more. Edges that skip ahead run down the sides instead of swinging out."""
    model, svgs, _ = shipped
    for item in (i for i in model.items.values() if i.procedure):
        width = float(re.search(r'width="([\d.]+)pt"', svgs[f"flow-{item.id}-narrow"]).group(1))
        assert width <= 300, (item.id, width)


def test_label_words_ignore_what_the_site_search_adds_to_jiebas_default_dictionary():
    """The theme's search loads its own words into jieba's default tokenizer during a build. Labels are cut by a
    tokenizer of our own, so a label wraps the same in a process that built the site first (a helper process,
    which did not, draws charts of the same book)."""
    import subprocess
    import sys

    script = """
import jieba
from generators.diagrams.dot import words_of
text = "召开支部委员会会议研究确定发展对象"
before = words_of(text)
jieba.add_word("员会会议研", freq=10 ** 8)  # as a search dictionary loaded into jieba's default tokenizer would
assert "员会会议研" in jieba.lcut(text, HMM=False), jieba.lcut(text, HMM=False)  # it does cut otherwise now
print(before == words_of(text), before)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("True"), done.stdout
