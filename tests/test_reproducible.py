"""The same commit builds the same bytes on any day: site, feeds, search index and printed editions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from conftest import FIXTURES

COMMIT_DATE = "2026-03-02T09:30:00+08:00"
CLOCKS = ["2026-12-01 10:00:00", "2028-07-15 23:59:00"]


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    (project / "modules" / "editions.yml").write_text("editions:\n  - id: hb-a4\n    handbook: hb\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    # A site address turns on the sitemap, whose dates MkDocs takes from the build.
    config.write_text("site_url: https://handbook.example.com/\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE,
           "GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "editor@example.com",
           "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "editor@example.com"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "内容"]):
        subprocess.run(["git", "-C", str(project), *command], check=True, env=env)
    return project


def _build(project: Path, site: Path, clock: str) -> None:
    """A cold build (no caches) under a different system clock, in a fresh process."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    run = subprocess.run(
        ["faketime", clock, sys.executable, "-m", "generators.cli", "build", "--root", str(project), "--site-dir", str(site)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert run.returncode == 0, run.stderr
    clock_year = clock[:4]
    check = subprocess.run(["faketime", clock, sys.executable, "-c", "import datetime; print(datetime.date.today().year)"],
                           capture_output=True, text=True, check=True)
    assert check.stdout.strip() == clock_year  # the clock really was moved


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_on_different_days_are_byte_identical(tmp_path: Path):
    project = _project(tmp_path)
    sites = [tmp_path / f"site-{n}" for n in range(len(CLOCKS))]
    for site, clock in zip(sites, CLOCKS):
        _build(project, site, clock)
    first, second = (_files(site) for site in sites)
    assert "print/hb-a4.pdf" in first and "sitemap.xml" in first and "sitemap.xml.gz" in first
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []

    # The dates that are written are the commit's, not either clock's.
    assert b"<lastmod>2026-03-02</lastmod>" in first["sitemap.xml"]
    reader = PdfReader(sites[0] / "print" / "hb-a4.pdf")
    created = str(reader.metadata.get("/CreationDate"))
    assert created.startswith("D:20260302"), created
    assert "2026-03-02" in "".join(page.extract_text() for page in reader.pages)
