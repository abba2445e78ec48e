"""Load a whole project: find the files under ``modules/``, check each, resolve references.

``load_model(root)`` returns a :class:`Model` or raises :class:`ContentError`
holding every mistake found in the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pydantic import BaseModel

from ..confine import check_trees
from ..errors import Collector, ContentError, diagnostic
from . import schema as s
from .model import BranchType, Handbook, Model, Section
from .names import resolve_names
from .placeholders import check_placeholders
from .articles import check_articles
from .procedures import check_procedure
from .references import Registry
from .review import open_questions
from .rules import check_rules
from .shape import validate_shape
from .source import SourceFile, load_source

MODULES = "modules"
DIAGRAMS = "diagrams"
THEME = "theme.yml"

# Fixed files: name under modules/ → (kind, class).
FIXED_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "site.yml": ("site", s.SiteSettings),
    "roles.yml": ("roles", s.RolesFile),
    "documents.yml": ("documents", s.DocumentsFile),
    "rules.yml": ("rules", s.RulesFile),
    "glossary.yml": ("glossary", s.GlossaryFile),
    "forms.yml": ("forms", s.FormsFile),
    "meetings.yml": ("meetings", s.MeetingsFile),
    "rubric.yml": ("rubric", s.RubricFile),
    "editions.yml": ("editions", s.EditionsFile),
    "dues.yml": ("dues", s.DuesFile),
    "search.yml": ("search", s.SearchFile),
}
FILE_CLASSES: dict[str, type[BaseModel]] = {
    **{kind: cls for kind, cls in FIXED_FILES.values()},
    "branch-type": s.BranchTypeFile,
    "handbook": s.HandbookFile,
    "section": s.SectionFile,
    "theme": s.Theme,
    "diagram": s.DiagramSpec,
}
# Where each kind of file lives, as globs relative to the project root (for editors' tools;
# a leading "!" excludes).
FILE_GLOBS: dict[str, list[str]] = {
    **{kind: [f"{MODULES}/{name}"] for name, (kind, _) in FIXED_FILES.items()},
    "branch-type": [f"{MODULES}/branch-types/*.yml"],
    "handbook": [f"{MODULES}/handbooks/*/handbook.yml"],
    "section": [f"{MODULES}/handbooks/*/*.yml", f"!{MODULES}/handbooks/*/handbook.yml"],
    "theme": [f"{DIAGRAMS}/{THEME}"],
    "diagram": [f"{DIAGRAMS}/*.yml", f"!{DIAGRAMS}/{THEME}"],
}


@dataclass
class Loaded:
    """One file that passed its shape check."""

    kind: str
    id: str
    source: SourceFile
    spec: BaseModel


def classify(rel: PurePosixPath) -> tuple[str, str] | None:
    """(kind, id) of a file given its path relative to the project root; ``None`` if it has no place."""
    top, parts = rel.parts[0], rel.parts[1:]
    if top == DIAGRAMS:
        if len(parts) == 1:
            return ("theme", "") if parts[0] == THEME else ("diagram", rel.stem)
        return None
    if len(parts) == 1 and parts[0] in FIXED_FILES:
        return FIXED_FILES[parts[0]][0], ""
    if len(parts) == 2 and parts[0] == "branch-types":
        return "branch-type", rel.stem
    if len(parts) == 3 and parts[0] == "handbooks":
        return ("handbook", parts[1]) if parts[2] == "handbook.yml" else ("section", rel.stem)
    return None


def yaml_files(root: Path) -> list[Path]:
    """Every YAML file under ``modules/`` and ``diagrams/``, in a stable order."""
    found = [p for base in (MODULES, DIAGRAMS) for p in (root / base).rglob("*")]
    return sorted(p for p in found if p.suffix in (".yml", ".yaml") and p.is_file())


# Files read without a mistake, by path: the bytes they had, their parsed source and checked shape.
# A preview rebuild reads every file again but usually only one has changed (``load_model(keep=True)``).
# Nothing downstream modifies these objects.
_clean: dict[tuple[str, str], tuple[bytes, SourceFile, object]] = {}


def _read_before(path: Path, kind: str) -> tuple[SourceFile, object] | None:
    known = _clean.get((str(path), kind))
    if known is None:
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return (known[1], known[2]) if raw.removeprefix(b"\xef\xbb\xbf") == known[0] else None


def _remember(path: Path, kind: str, source: SourceFile, spec: object) -> None:
    _clean[(str(path), kind)] = (source.text.encode("utf-8"), source, spec)


def load_model(root: Path, *, keep: bool = False, placeholders_allowed: bool = False) -> Model:
    """Load, check and resolve everything under ``root/modules``.

    With ``keep``, files read without a mistake are kept in memory and not parsed again while their
    bytes stay the same: for a long-running preview, not for a one-off build (it costs memory).
    With ``placeholders_allowed``, template placeholders still to be written are not mistakes: for adding
    another item while the last one added is being written, never for a build.
    """
    root = root.resolve()
    # Nothing is read before every file the build would read is known to lie inside the project.
    outside = check_trees(root)
    if outside:
        raise ContentError(outside)
    errors = Collector()
    loaded: list[Loaded] = []
    failed_kinds: set[str] = set()

    if not (root / MODULES / "site.yml").is_file():
        errors.add(
            diagnostic(
                "missing-file", file=f"{MODULES}/site.yml", line=1, column=1, path="",
                hint="站点设置写在 modules/site.yml 中；请确认在项目根目录下运行命令，或用 --root 指定项目目录。",
            )
        )
        raise ContentError(errors.items)

    for path in yaml_files(root):
        rel = path.relative_to(root).as_posix()
        place = classify(PurePosixPath(rel).with_suffix(".yml"))
        if place is None:
            errors.add(diagnostic("unknown-file", file=rel, line=1, column=1))
            continue
        kind, ident = place
        known = _read_before(path, kind) if keep else None
        if known is not None:
            loaded.append(Loaded(kind, ident, *known))
            continue
        source = load_source(path, rel, errors)
        spec = validate_shape(source, FILE_CLASSES[kind], errors) if source else None
        if spec is None or not source.clean:
            failed_kinds.add(kind)
            continue
        placeholders_left = check_placeholders(source, Collector() if placeholders_allowed else errors)
        if keep and not placeholders_left:  # a kept file is not looked at again
            _remember(path, kind, source, spec)
        loaded.append(Loaded(kind, ident, source, spec))

    registry = Registry(errors, failed_kinds)
    registry.collect(loaded)
    written_names = resolve_names(registry, loaded)
    for resolved in written_names:
        # The checked content now holds the id where the file has a name: do not reuse it as the file's.
        _clean.pop((str(resolved.source.path), resolved.source_kind), None)
    registry.check_references()
    for owner, path, procedure in registry.procedures:
        check_procedure(owner, path, procedure, errors)
    documents = next(((e.source, e.spec) for e in loaded if e.kind == "documents"), None)
    check_articles(documents, registry.citations, errors)
    check_rules(loaded, errors)

    errors.raise_if_any()
    model = _assemble(root, loaded)
    model.written_names = written_names
    meetings = next((e.source for e in loaded if e.kind == "meetings"), None)
    if meetings is not None:
        check_meeting_levels(model, meetings, errors)
        errors.raise_if_any()
    return model


def check_meeting_levels(model: Model, source: SourceFile, errors) -> None:
    """A meeting is listed in the 会议一览表 of its level: the item that rules it must be in a handbook of that level."""
    from .source import format_path

    names = {"committee": "党委", "project": "项目党建", "branch": "党支部", "member": "党员教育管理"}
    for i, meeting in enumerate(model.meetings.values()):
        at = ("meetings", i, "level")
        if meeting.item not in model.items:
            continue
        kind = model.handbook_of(meeting.item).spec.kind
        if kind != meeting.level:
            mark = source.mark(at)
            errors.add(diagnostic(
                "meeting-level", file=source.rel, line=mark.line, column=mark.column, path=format_path(at),
                meeting=meeting.id, level=meeting.level, item=meeting.item, kind=names[kind], kind_id=kind,
            ))


def _assemble(root: Path, loaded: list[Loaded]) -> Model:
    by_kind: dict[str, list[Loaded]] = {}
    for entry in loaded:
        by_kind.setdefault(entry.kind, []).append(entry)

    def single(kind: str):
        entries = by_kind.get(kind, [])
        return entries[0].spec if entries else None

    site: s.SiteSettings = single("site")
    roles = single("roles")
    documents = single("documents")
    glossary = single("glossary")
    forms = single("forms")
    rules = single("rules")

    sections = {e.id: e for e in by_kind.get("section", [])}
    handbook_files = {e.id: e for e in by_kind.get("handbook", [])}
    handbooks: dict[str, Handbook] = {}
    for hid in site.handbooks:
        entry = handbook_files[hid]
        handbook = Handbook(id=hid, spec=entry.spec, source=entry.source.rel)
        for sid in entry.spec.sections:
            sec = sections[sid]
            handbook.sections.append(Section(id=sid, handbook_id=hid, spec=sec.spec, source=sec.source.rel))
        handbooks[hid] = handbook

    type_files = {e.id: e for e in by_kind.get("branch-type", [])}
    branch_types = {
        tid: BranchType(id=tid, spec=type_files[tid].spec, source=type_files[tid].source.rel)
        for tid in site.branch_types
    }
    return Model(
        root=root,
        site=site,
        roles={r.id: r for r in (roles.roles if roles else [])},
        documents={d.id: d for d in (documents.documents if documents else [])},
        terms={t.id: t for t in (glossary.terms if glossary else [])},
        forms={f.id: f for f in (forms.forms if forms else [])},
        meetings={m.id: m for m in (single("meetings").meetings if single("meetings") else [])},
        rubric=single("rubric"),
        branch_types=branch_types,
        handbooks=handbooks,
        sources={e.kind: e.source.rel for e in loaded if e.kind in FILE_CLASSES and not e.id},
        theme=single("theme"),
        diagram_specs={e.id: e.spec for e in sorted(by_kind.get("diagram", []), key=lambda e: e.id)},
        editions={e.id: e for e in (single("editions").editions if single("editions") else [])},
        rules={r.id: r for r in (rules.rules if rules else [])},
        open_questions=open_questions(e.source for e in loaded),
        dues=single("dues"),
        search=single("search"),
    )
