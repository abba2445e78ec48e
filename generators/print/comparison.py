"""The 修订对照表 as a printed document in the editions' house style (Typst, ``comparison.typ.j2``).

It goes through the same entry point as the editions (:func:`.typeset.typeset`): cover, colophon,
contents, running headers and folios come from ``book.typ``; this module only lays out the
:class:`~generators.model.compare.Comparison` it is given.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from ..model.compare import CHANGE_LABELS, Comparison
from ..model.schema import SiteSettings
from .typeset import BookSource, build_date, typeset, typst_env

RENDERER_VERSION = "typst-1"


def print_comparison(comparison: Comparison, site: SiteSettings, target: Path, cache_dir: Path | None = None,
                     root: Path | None = None) -> Path:
    """Typeset ``comparison`` into ``target`` (A4); reuse a PDF made from the same source before.

    ``root`` is the project folder, whose commit dates the PDF (never the clock).
    """
    body = typst_env().get_template("comparison.typ.j2").render(comparison=comparison, labels=CHANGE_LABELS)
    subtitle = f"{comparison.branch_types[comparison.branch_type]}党支部适用" if comparison.branch_type else ""
    source = BookSource(
        title=f"{site.title}修订对照表",
        subtitle=subtitle,
        enterprise=site.enterprise,
        paper="A4",
        edition_line=f"{comparison.old.edition} → {comparison.new.edition}",
        colophon=[("原版本", comparison.old.label + (f"，{comparison.old.date}" if comparison.old.date else "")),
                  ("修订后", comparison.new.label + (f"，{comparison.new.date}" if comparison.new.date else "")),
                  ("编印单位", site.enterprise)],
        body=body,
        keywords=["修订对照表"],
    )
    date = build_date(root or Path.cwd())
    key = hashlib.sha256((RENDERER_VERSION + source.main(date)).encode("utf-8")).hexdigest()
    kept = (cache_dir / f"comparison-{key}.pdf") if cache_dir else None
    if kept is None or not kept.is_file():
        out = kept or target
        out.parent.mkdir(parents=True, exist_ok=True)
        typeset(source, out, date)
    if kept is not None and kept != target:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(kept, target)
    return target
