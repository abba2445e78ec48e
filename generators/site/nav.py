"""The site navigation: a tab per handbook, then the branch types and the reference pages."""

from __future__ import annotations

from html import escape

from .. import urls
from ..model import Model
from ..pages import Page, item_page, md_path


def navigation(model: Model, pages: dict[str, Page]) -> list:
    """The nav for mkdocs.yml. Titles are escaped here: the theme writes nav titles into HTML as they are."""
    nav: list = [
        {"首页": ["index.md", {"使用说明": "usage.md"}, {"闭环管理": "loop.md"}, {"编辑入门": "editing.md"}]},
    ]
    for handbook in model.handbooks.values():
        entries: list = [{"概览": md_path(urls.handbook(handbook.id))}]
        for section in handbook.sections:
            entries.append(
                {escape(section.title): [md_path(urls.section(section.id))]
                 + [{escape(i.title): item_page(i.id)} for i in section.items]}
            )
        nav.append({escape(handbook.spec.short): entries})
    year = model.site.edition_year
    calendar: list = ["calendar/index.md"] + [{f"{m}月": f"calendar/{m:02d}/index.md"} for m in range(1, 13)]
    calendar.append({"标准工作清单": [p for p in pages if p.startswith("checklist/")]})
    nav.append({f"{year}年工作日历": calendar})
    nav.append({"支部类型": ["branch-types/index.md"] + [{escape(bt.name): md_path(urls.branch_type(bt.id))} for bt in model.branch_types.values()]})
    reference = [{"角色": "roles/index.md"}, {"依据文件": "documents/index.md"}, {"术语表": "glossary/index.md"},
                 {"记录表": ["forms/index.md"] + [{escape(f.title): f"forms/{f.id}/index.md"} for f in model.forms.values()]}]
    if "rubric/index.md" in pages:
        reference.append({"考核细则": ["rubric/index.md", {"考核评分表": "rubric/score-sheet/index.md"}]})
    if "revisions/index.md" in pages:
        reference.append({"修订对照表": "revisions/index.md"})
    if "changes/index.md" in pages:
        reference.append({"修订记录": "changes/index.md"})
    if "dues/index.md" in pages:
        reference.append({"党费计算": "dues/index.md"})
    reference += [{"印刷版": "print/index.md"}, {"编写指南": "guide/writing/index.md"}, {"编辑指南": ["guide/index.md", {"规则一览": "rules/index.md"}, {"内容审核": "review/index.md"}]}]
    nav.append({"参考": reference})
    return nav
