"""An edition is the model filtered before rendering, so its text, diagrams and forms agree."""

from __future__ import annotations

from dataclasses import replace

from ..diagrams.matrix import emphasis_of
from ..model import Handbook, Model, Section
from ..model.schema import Edition, WorkItem


def includes(edition: Edition, item: WorkItem) -> bool:
    """Whether the edition prints this item of its handbook."""
    if edition.branch_type and not emphasis_of(item, edition.branch_type):
        return False
    if edition.audience and item.audiences and edition.audience not in item.audiences:
        return False
    return True


def edition_model(model: Model, edition: Edition) -> Model:
    """The model as this edition sees it: its handbook's items, its branch type, its audience."""
    handbooks = {}
    for hid, handbook in model.handbooks.items():
        if hid != edition.handbook:
            handbooks[hid] = handbook
            continue
        spec = handbook.spec
        if edition.audience:
            spec = spec.model_copy(update={"audiences": [a for a in spec.audiences if a.id == edition.audience]})
        sections = [
            Section(s.id, hid, s.spec.model_copy(update={"items": [i for i in s.items if includes(edition, i)]}), s.source)
            for s in handbook.sections
        ]
        handbooks[hid] = Handbook(hid, spec, handbook.source, sections)
    branch_types = (
        {edition.branch_type: model.branch_types[edition.branch_type]} if edition.branch_type else model.branch_types
    )
    return replace(model, handbooks=handbooks, branch_types=branch_types)
