"""The one date a build may write: the commit's, never the clock's.

Two builds of the same commit, on any day, must give the same files. Everything that carries a
date (the sitemap, the colophon of a printed edition, PDF metadata) takes it from
``SOURCE_DATE_EPOCH`` (the reproducible-builds convention, also read by MkDocs), which the build
sets to the time of the checked-out commit unless the caller set it already.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

VARIABLE = "SOURCE_DATE_EPOCH"


def commit_epoch(root: Path) -> int | None:
    """Seconds since 1970 of the commit checked out at ``root``; ``None`` outside git."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct", "HEAD"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return int(out) if out.isdigit() else None


def pin_source_date(root: Path) -> None:
    """Set ``SOURCE_DATE_EPOCH`` from the commit when the caller has not set it."""
    if os.environ.get(VARIABLE, "").isdigit():
        return
    epoch = commit_epoch(root)
    if epoch is not None:
        os.environ[VARIABLE] = str(epoch)


def source_date(root: Path) -> dt.datetime | None:
    """The build's date, in China Standard Time: the commit's, or ``None`` outside git with nothing set."""
    pin_source_date(root)
    value = os.environ.get(VARIABLE, "")
    if not value.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(value), dt.timezone(dt.timedelta(hours=8)))


def pinned_datetime() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` as a UTC datetime (set by the build from the commit); 1980-01-01 when unset,
    the earliest date a ZIP file (DOCX) can hold."""
    value = os.environ.get(VARIABLE, "")
    earliest = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
    if not value.isdigit():
        return earliest
    return max(earliest, dt.datetime.fromtimestamp(int(value), dt.timezone.utc))
