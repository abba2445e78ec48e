"""The reference content as a 组织部 reviewer checks it: one regression test per contradiction the
review found, and proof that the checks catch each one if it comes back."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from generators.errors import ContentError
from generators.model import load_model
from generators.model.review import item_status, open_questions, unconfirmed_documents
from generators.model.rules import cadence_of


@pytest.fixture(scope="module")
def model():
    return load_model(ROOT)


def steps(model, item_id):
    return {s.id: s for s in model.items[item_id].procedure.steps}


def cited(model, item_id, doc):
    """Article numbers of ``doc`` cited by an item and its steps."""
    item = model.items[item_id]
    found = [n for c in item.basis if c.doc == doc for n in c.articles]
    for step in item.procedure.steps if item.procedure else []:
        found += [n for c in step.basis if c.doc == doc for n in c.articles]
    return found


# ---------------------------------------------------------------- contradicts the regulations


def test_excellent_share_is_one_third_and_regulation(model):
    rule = model.rules["democratic-appraisal-grades"]
    assert "1/3" in rule.statement and not rule.sample
    for grade in ("优秀", "合格", "基本合格", "不合格"):
        assert grade in rule.statement
    item = model.items["democratic-appraisal"]
    assert "1/3" in item.requirement and "30%" not in item.requirement
    assert "democratic-appraisal-grades" in item.rules
    assert "democratic-appraisal-grades" in model.items["member-annual-life-meeting"].rules
    assert item_status(model, item) == "regulation"


def test_workers_congress_meets_at_least_half_yearly(model):
    doc = model.documents["workers-congress-regulations"]
    assert "职工代表大会条例" in doc.title and doc.issued == "1986"
    assert [a.number for a in doc.articles] == ["第十八条"]
    rule = model.rules["workers-congress-half-yearly"]
    assert rule.frequency == "half_yearly" and rule.at_least
    item = model.items["workers-congress"]
    assert item.frequency == "half_yearly"
    assert "half_yearly" in {cadence_of(t) for t in item.time_nodes}
    assert "每年至少召开一次" not in item.requirement and "至少每半年召开一次" in item.requirement
    assert "第十八条" in cited(model, "workers-congress", "workers-congress-regulations")


def test_admission_vote_is_by_secret_ballot_with_its_article(model):
    assert "无记名投票" in model.rules["admission-vote"].statement
    for item_id in ("member-development", "branch-member-development"):
        vote = steps(model, item_id)["assembly-vote"]
        assert "无记名投票" in vote.description
        assert "admission-vote" in vote.rules
        assert "第二十一条" in [n for c in vote.basis for n in c.articles]


# ---------------------------------------------------------------- inconsistent between files


def test_party_lecture_rule_cites_article_fifteen_everywhere(model):
    for item in model.items.values():
        if "secretary-party-lecture" in item.rules:
            numbers = cited(model, item.id, "branch-regulations")
            assert "第十五条" in numbers and "第十六条" not in numbers, item.id
    summary = {a.number: a.summary for a in model.documents["branch-regulations"].articles}
    assert "党课" in summary["第十五条"] and "主题党日" in summary["第十六条"]


def test_branch_closure_cites_article_eight_and_setup_article_seven(model):
    for item_id in ("project-branch-closure", "project-branch-dissolution"):
        numbers = cited(model, item_id, "branch-regulations")
        assert "第八条" in numbers and "第七条" not in numbers, item_id
    for bt in ("project", "comprehensive"):
        tasks = [t for t in model.branch_types[bt].key_tasks if "project-branch-closure" in t.items]
        assert tasks and all("第七条" not in c.articles for t in tasks for c in t.basis)
    summary = {a.number: a.summary for a in model.documents["branch-regulations"].articles}
    assert "撤销" in summary["第八条"] and "成立" in summary["第七条"]


def test_organizational_life_meeting_fourth_quarter_is_regulation_in_both_handbooks(model):
    rule = model.rules["organizational-life-meeting-yearly"]
    assert not rule.sample and "第四季度" in rule.statement
    for item_id in ("organizational-life-meeting", "member-annual-life-meeting"):
        item = model.items[item_id]
        assert "organizational-life-meeting-yearly" in item.rules
        node = next(t for t in item.time_nodes if "第四季度" in t)
        assert "示例" not in node
        assert "示例：安排在第四季度" not in item.requirement


def test_democratic_life_report_time_is_sample_everywhere(model):
    assert model.rules["democratic-life-report"].sample
    for item_id in ("democratic-life-meeting", "cadre-democratic-life-meeting", "leadership-democratic-life"):
        item = model.items[item_id]
        assert "democratic-life-report" in item.rules
        texts = list(item.time_nodes) + [s.time_limit for s in item.procedure.steps if s.time_limit]
        for text in texts:
            if "15日" in text:
                assert "示例" in text, (item_id, text)
        assert "第十三条" not in cited(model, item_id, "democratic-life-rules")


def test_yearly_party_lecture_binds_only_the_committee_secretary(model):
    assert not model.rules["secretary-party-lecture"].sample
    assert model.rules["leader-party-lecture"].sample
    texts = [model.items["dual-organizational-life"].requirement, model.items["cadre-party-lecture"].requirement]
    texts += [t.description for t in model.branch_types["decision"].key_tasks if t.id == "dual-organizational-life"]
    for text in texts:
        assert "党委书记每年至少" in text or "党委书记每年至少1次" in text
        assert not re.search(r"党员领导干部每年至少", text)


def test_member_development_step_order_and_pre_review_phase_agree(model):
    for item_id in ("member-development", "branch-member-development"):
        order = [s.title for s in model.items[item_id].procedure.steps]
        joined = "｜".join(order)
        assert joined.index("编入党支部和党小组") < joined.index("宣誓"), item_id
    committee = steps(model, "member-development")["pre-review"]
    branch = steps(model, "branch-member-development")["pretrial"]
    assert committee.phase == branch.phase == "admission"


def test_branch_file_states_the_extension_of_probation(model):
    vote = steps(model, "branch-member-development")["conversion-vote"]
    assert "不少于半年" in vote.description and "probation-extension" in vote.rules


# ---------------------------------------------------------------- article numbers


def test_corrected_article_numbers(model):
    assert "第三条" in cited(model, "member-development", "member-development-rules")
    assert "第二条" not in cited(model, "member-development", "member-development-rules")
    committee = steps(model, "member-development")
    assert committee["activist-filing"].basis[0].articles == ["第八条"]
    assert committee["assign-contact"].basis[0].articles == ["第九条"]
    for item in model.items.values():
        assert "第五条" not in cited(model, item.id, "main-responsibility-rules"), item.id
    summary = {a.number: a.summary for a in model.documents["member-development-rules"].articles}
    assert "总要求" in summary["第三条"]


def test_member_development_rules_version_is_stated_as_unconfirmed(model):
    doc = model.documents["member-development-rules"]
    assert not doc.version_confirmed and "2026" in doc.note and "2014" in doc.revision
    assert doc in unconfirmed_documents(model)


def test_open_questions_went_down_and_are_listed(model):
    questions = model.open_questions
    assert 0 < len(questions) < 188
    raw = sum(p.read_text(encoding="utf-8").count("待核实") for p in (ROOT / "modules").rglob("*.yml"))
    assert len(questions) == raw
    first = questions[0]
    line = (ROOT / first.file).read_text(encoding="utf-8").splitlines()[first.line - 1]
    assert "待核实" in line


# ---------------------------------------------------------------- the checks catch a relapse


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for part in ("modules", "diagrams"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path


def relapse(root: Path, rel: str, old: str, new: str) -> list:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_model(root)
    line = text[: text.index(old)].count("\n") + 1
    return [(d.code, d.file, d.line) for d in caught.value.diagnostics], line


def test_check_catches_thirty_percent_again(copy):
    rel = "modules/handbooks/branch/organization-management.yml"
    found, _ = relapse(copy, rel, "评为优秀的一般不超过党员总数的1/3", "评为优秀的一般不超过党员总数的30%")
    assert [code for code, file, _ in found if file == rel] == ["HB163"]


def test_check_catches_yearly_workers_congress_again(copy):
    rel = "modules/handbooks/committee/mass-work.yml"
    found, line = relapse(copy, rel, "      - 每半年（召开职代会）\n", "      - 每年（召开职代会）\n")
    assert ("HB164", rel, line) in found


def test_check_catches_fourth_quarter_as_sample_again(copy):
    rel = "modules/handbooks/member/depth.yml"
    found, _ = relapse(copy, rel, "党支部每年至少召开1次组织生活会，一般安排在第四季度",
                       "党支部每年至少召开1次组织生活会（示例：安排在第四季度）")
    assert any(code == "HB166" and file == rel for code, file, _ in found)


def test_check_catches_an_unlisted_article(copy):
    rel = "modules/handbooks/branch/role-play.yml"
    text = (copy / rel).read_text(encoding="utf-8")
    line = text.splitlines().index("        articles: [第十五条]") + 1
    found, _ = relapse(copy, rel, "        articles: [第十五条]", "        articles: [第十五条, 第九十九条]")
    assert ("HB162", rel, line) in found


# ---------------------------------------------------------------- what a reader sees


def text_of(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    body = html[html.index('<article'):html.index('</article>')]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_review_page_lists_every_open_question(site: Path, model):
    html = (site / "review/index.html").read_text(encoding="utf-8")
    count = len(model.open_questions)
    assert f"待核实的问题（{count} 处）" in html and count < 188
    for q in model.open_questions:
        assert f"<code>{q.file}</code></td>\n<td>{q.line}</td>" in html
    text = text_of(site, "review/index.html")
    assert "版本未核实的依据文件" in text and "《中国共产党发展党员工作细则》" in text
    assert re.search(r"支部手册 \d+ \d+ \d+ \d+ \d+ \d+%", text)


def test_editor_guide_links_to_the_review_page(site: Path):
    html = (site / "guide/index.html").read_text(encoding="utf-8")
    assert 'href="../review/"' in html and 'href="../rules/"' in html


def test_document_page_lists_articles_and_who_cites_them(site: Path):
    text = text_of(site, "documents/branch-regulations/index.html")
    assert "第十五条" in text and "党委（党组）书记每年至少讲1次" in text
    after = text[text.index("第十五条"):]
    assert "事项： 党员领导干部讲党课" in after or "党员领导干部讲党课" in after[:2000]
    mdr = text_of(site, "documents/member-development-rules/index.html")
    assert "版本待核实" in mdr and "2026" in mdr


def test_regulation_or_sample_is_marked_everywhere(site: Path):
    item = text_of(site, "items/democratic-appraisal/index.html")
    assert "法规规定" in item and "适用的规定" in item and "1/3" in item
    sample_item = text_of(site, "items/member-points-management/index.html")
    assert "示例" in sample_item.split("工作要求")[0]
    checklist = text_of(site, "checklist/branch/index.html")
    assert "性质" in checklist and "示例" in checklist and "法规规定" in checklist
    months = "".join(text_of(site, f"calendar/{m:02d}/index.html") for m in range(1, 13))
    assert "示例" in months
    branch_type = (site / "branch-types/decision/index.html").read_text(encoding="utf-8")
    assert branch_type.count('class="hb-badge hb-regulation"') >= 2
    feed = (site / "calendar/committee.ics").read_text(encoding="utf-8")
    assert "SUMMARY:［示例］" in feed and "性质：法规规定" in feed.replace("\r\n ", "")


def test_printed_edition_marks_key_tasks_and_items(site: Path):
    import subprocess

    pdf = site / "print" / "branch-decision.pdf"
    body = re.sub(r"\s", "", subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                            check=True).stdout)
    assert re.search(r"1\.落实前置研究讨论法规规定", body)
    assert "适用的规定" in body and "法规规定" in body and "示例" in body
