"""The whole validated model as one JSON document, for other systems to import."""

from __future__ import annotations

import json
from typing import Any

from .model import Model

SCHEMA_VERSION = 1


def export_model(model: Model) -> dict[str, Any]:
    """The model as plain data: handbooks in site order, everything else in file order."""

    def dump(spec) -> dict[str, Any]:
        return spec.model_dump(mode="json")

    return {
        "schema_version": SCHEMA_VERSION,
        "site": dump(model.site),
        "roles": [dump(r) for r in model.roles.values()],
        "documents": [dump(d) for d in model.documents.values()],
        "glossary": [dump(t) for t in model.terms.values()],
        "forms": [dump(f) for f in model.forms.values()],
        "branch_types": [{"id": bt.id, **dump(bt.spec)} for bt in model.branch_types.values()],
        "handbooks": [
            {
                "id": hb.id,
                **{k: v for k, v in dump(hb.spec).items() if k != "sections"},
                "sections": [{"id": sec.id, **dump(sec.spec)} for sec in hb.sections],
            }
            for hb in model.handbooks.values()
        ],
        "rubric": dump(model.rubric) if model.rubric else None,
    }


def export_json(model: Model) -> str:
    """Stable text: keys sorted, Chinese kept readable, a final newline."""
    return json.dumps(export_model(model), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
