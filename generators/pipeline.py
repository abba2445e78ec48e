"""From the project folder to everything a site or a print edition needs, in one pass."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .diagrams import DiagramCache, build_all, cache_for, render
from .model import Model, load_model
from .model.history import History, Predecessor, compare_with_previous, model_history
from .pages import Page, build_pages
from .pages.build import SCRIPTS


@dataclass
class Prepared:
    model: Model
    svgs: dict[str, str]
    pages: dict[str, Page]
    cache: DiagramCache
    assets: dict[str, str]  # other files of the site: calendar feeds, the machine-readable standard
    history: History | None = None
    predecessor: Predecessor | None = None


def prepare(root: Path, cache_dir: Path | None = None, base_url: str | None = None, *, keep: bool = False,
            editors: bool = False, export: bool = True) -> Prepared:
    """Load and check the model, draw every diagram (through the cache), generate every page.

    ``export=False`` leaves out the machine-readable export (no page links to it): the preview does not
    need it and would write it again on every save.
    """
    model = load_model(root, keep=keep)
    cache = cache_for(model, cache_dir)
    # The DOT sources are dropped once drawn: at scale they take as much memory as the SVGs.
    svgs = {ident: render(diagram, cache) for ident, diagram in build_all(model).items()}
    # One walk over git's history serves the pages' dates, each item's revision history and the change pages.
    history = model_history(model.root)
    predecessor = compare_with_previous(model.root, model)
    pages = build_pages(model, svgs, history.dates, history=history, predecessor=predecessor, editors=editors)
    assets = site_assets(model, base_url, export=export)
    if predecessor is not None and predecessor.comparison is not None:
        from .model.compare import comparison_schema_json
        from .pages.build import REVISIONS_JSON

        assets[REVISIONS_JSON] = predecessor.comparison.model_dump_json(indent=2) + "\n"
        assets[REVISIONS_JSON.replace(".json", ".schema.json")] = comparison_schema_json()
    return Prepared(model, svgs, pages, cache, assets, history, predecessor)


def site_assets(model: Model, base_url: str | None = None, *, export: bool = True) -> dict[str, str]:
    """The non-page files the site publishes: iCalendar feeds and the exported standard with its schema."""
    from .calendar import occurrences
    from .model import emphasis_of
    from .export import export_json, export_schema_json
    from .ical import feed

    year = model.site.edition_year
    found = occurrences(model, year)
    kept = model.root / ".cache" / "calendar"
    remind = model.site.reminder_days
    assets = {
        "calendar/committee.ics": feed("党委工作日历", [o for o in found if o.level == "committee"], year, base_url, kept, remind),
    }
    for bt in model.branch_types.values():
        mine = [o for o in found if o.level == "branch" and emphasis_of(o.item, bt.id)]
        assets[f"calendar/branch-{bt.id}.ics"] = feed(f"{bt.name}党支部工作日历", mine, year, base_url, kept, remind)
    for script in sorted((Path(__file__).parent / "pages" / "scripts").glob("*.js")):
        assets[SCRIPTS + script.name] = script.read_text(encoding="utf-8")
    if export:
        assets["export/handbook.json"] = export_json(model)
        assets["export/handbook.schema.json"] = export_schema_json()
    return assets


def search_words(model: Model) -> list[str]:
    """Words the Chinese segmenter must keep whole: glossary terms and aliases, role names, short titles."""
    words: set[str] = set()
    for term in model.terms.values():
        words.add(term.term)
        words.update(term.aliases)
    words.update(role.name for role in model.roles.values())
    words.update(bt.name for bt in model.branch_types.values())
    titles = [i.title for i in model.items.values()] + [s.title for h in model.handbooks.values() for s in h.sections]
    words.update(t for t in (re.split(r"[（(]", title)[0] for title in titles) if len(t) <= 6)
    cleaned = {re.sub(r"[“”\"'（）()《》\s]", "", w) for w in words}
    return sorted(w for w in cleaned if len(w) >= 2)
