"""From the project folder to everything a site or a print edition needs, in one pass."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .diagrams import DiagramCache, build_all, cache_for, render
from .model import Model, load_model
from .pages import Page, build_pages


@dataclass
class Prepared:
    model: Model
    svgs: dict[str, str]
    pages: dict[str, Page]
    cache: DiagramCache
    assets: dict[str, str]  # other files of the site: calendar feeds, the machine-readable standard


def prepare(root: Path, cache_dir: Path | None = None, base_url: str | None = None, *, keep: bool = False,
            editors: bool = False) -> Prepared:
    """Load and check the model, draw every diagram (through the cache), generate every page."""
    model = load_model(root, keep=keep)
    cache = cache_for(model, cache_dir)
    # The DOT sources are dropped once drawn: at scale they take as much memory as the SVGs.
    svgs = {ident: render(diagram, cache) for ident, diagram in build_all(model).items()}
    pages = build_pages(model, svgs, git_dates(model.root), editors=editors)
    return Prepared(model, svgs, pages, cache, site_assets(model, base_url))


def site_assets(model: Model, base_url: str | None = None) -> dict[str, str]:
    """The non-page files the site publishes: iCalendar feeds and the exported standard with its schema."""
    from .calendar import occurrences
    from .diagrams.matrix import emphasis_of
    from .export import export_json, export_schema_json
    from .ical import feed

    year = model.site.edition_year
    found = occurrences(model, year)
    kept = model.root / ".cache" / "calendar"
    assets = {
        "calendar/committee.ics": feed("党委工作日历", [o for o in found if o.level == "committee"], year, base_url, kept),
    }
    for bt in model.branch_types.values():
        mine = [o for o in found if o.level == "branch" and emphasis_of(o.item, bt.id)]
        assets[f"calendar/branch-{bt.id}.ics"] = feed(f"{bt.name}党支部工作日历", mine, year, base_url, kept)
    assets["export/handbook.json"] = export_json(model)
    assets["export/handbook.schema.json"] = export_schema_json()
    return assets


def git_dates(root: Path) -> dict[str, str]:
    """The date of the last commit that touched each file under modules/ and diagrams/ (empty outside git)."""
    try:
        log = subprocess.run(
            ["git", "-C", str(root), "log", "--format=%x00%cs", "--name-only", "--", "modules", "diagrams"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, str] = {}
    date = ""
    for line in log.splitlines():
        if line.startswith("\0"):
            date = line[1:]
        elif line.strip() and re.match(r"\d{4}-\d{2}-\d{2}$", date):
            dates.setdefault(line.strip(), date)
    return dates


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
