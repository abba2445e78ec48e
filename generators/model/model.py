"""The validated model: every file's content with references checked and indexed.

Generators read only this. Lookups by id are plain dicts whose order is the
order editors gave (site.yml for handbooks and branch types, file order for
everything else), so whatever iterates them produces stable output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .schema import (
    BranchTypeFile,
    DiagramSpec,
    DuesFile,
    SearchFile,
    Edition,
    Theme,
    Document,
    GlossaryTerm,
    HandbookFile,
    KeyTask,
    Meeting,
    RecordForm,
    Role,
    Rule,
    RubricFile,
    RubricLine,
    SectionFile,
    SiteSettings,
    WorkItem,
)


def emphasis_of(item: WorkItem, type_id: str) -> str | None:
    """How an item applies to a branch type: required / emphasised / optional, or ``None`` when it does
    not. An item that names no types applies to every type as required work. Every view (pages, matrices,
    the branch-type switch, calendars, printed editions) asks this."""
    if not item.applies_to:
        return "required"
    return item.applies_to.get(type_id)


@dataclass
class BranchType:
    """One of the seven branch types; its id is its file name."""

    id: str
    spec: BranchTypeFile
    source: str

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def key_tasks(self) -> list[KeyTask]:
        return self.spec.key_tasks


@dataclass
class Section:
    """A module, element, task or dimension of a handbook; its id is its file name."""

    id: str
    handbook_id: str
    spec: SectionFile
    source: str

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def items(self) -> list[WorkItem]:
        return self.spec.items


@dataclass
class Handbook:
    """One of the four handbooks; its id is its folder name."""

    id: str
    spec: HandbookFile
    source: str
    sections: list[Section] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.spec.title


@dataclass
class Model:
    """Everything under ``modules/``, validated."""

    root: Path
    site: SiteSettings
    roles: dict[str, Role]
    documents: dict[str, Document]
    terms: dict[str, GlossaryTerm]
    forms: dict[str, RecordForm]
    rubric: RubricFile | None
    branch_types: dict[str, BranchType]
    handbooks: dict[str, Handbook]
    sources: dict[str, str] = field(default_factory=dict)
    theme: Theme | None = None
    diagram_specs: dict[str, DiagramSpec] = field(default_factory=dict)
    editions: dict[str, Edition] = field(default_factory=dict)
    # References written as Chinese names (generators.model.names.Resolved): the model holds their ids.
    written_names: list = field(default_factory=list)
    rules: dict[str, Rule] = field(default_factory=dict)
    # Questions editors left open in the YAML (``# 待核实`` comments), for the review page.
    open_questions: list = field(default_factory=list)
    dues: DuesFile | None = None
    search: SearchFile | None = None
    meetings: dict[str, Meeting] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.items: dict[str, WorkItem] = {}
        self.item_section: dict[str, Section] = {}
        for handbook in self.handbooks.values():
            for section in handbook.sections:
                for item in section.items:
                    self.items[item.id] = item
                    self.item_section[item.id] = section
        self.rubric_lines: dict[str, RubricLine] = {
            line.id: line for aspect in (self.rubric.aspects if self.rubric else []) for line in aspect.lines
        }

    def section_of(self, item_id: str) -> Section:
        return self.item_section[item_id]

    def handbook_of(self, item_id: str) -> Handbook:
        return self.handbooks[self.item_section[item_id].handbook_id]

    def item_source(self, item_id: str) -> str:
        """The repo-relative YAML file an item is written in."""
        return self.item_section[item_id].source
