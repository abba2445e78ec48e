"""Make a scaled copy of the reference handbook: every section repeated N times, valid and real-shaped.

Section files are copied as new sections (ids suffixed ``-rK``) and listed in their handbook, so
the number of work items, procedures, pages and diagrams grows N times while every reference
stays valid.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import yaml

KEEP = ("modules", "diagrams", "content", "mkdocs.yml")


def scaled_copy(source: Path, target: Path, factor: int) -> Path:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in KEEP:
        src = source / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, target / name)
    if factor == 1:
        return target
    for handbook_file in sorted((target / "modules/handbooks").glob("*/handbook.yml")):
        folder = handbook_file.parent
        text = handbook_file.read_text(encoding="utf-8")
        sections = yaml.safe_load(text)["sections"]
        extra = []
        for section in sections:
            original = (folder / f"{section}.yml").read_text(encoding="utf-8")
            item_ids = re.findall(r"^  - id: ([a-z0-9-]+)$", original, re.M)
            for k in range(2, factor + 1):
                copy = original
                for item_id in item_ids:
                    copy = re.sub(rf"^  - id: {re.escape(item_id)}$", f"  - id: {item_id}-r{k}", copy, flags=re.M)
                copy = re.sub(r"^title: (.+)$", rf"title: \1（{k}）", copy, count=1, flags=re.M)
                (folder / f"{section}-r{k}.yml").write_text(copy, encoding="utf-8")
                extra.append(f"{section}-r{k}")
        listed = "".join(f"  - {s}\n" for s in sections + extra)
        text = re.sub(r"sections:\n(?:  - .*\n)+", "sections:\n" + listed, text)
        handbook_file.write_text(text, encoding="utf-8")
    return target


if __name__ == "__main__":
    scaled_copy(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
