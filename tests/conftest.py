from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from generators.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The search timing is measured by the same code in `make bench` and in the phone tests.
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture
def minimal_project(tmp_path: Path) -> Path:
    """A fresh copy of the small valid fixture project."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``handbook`` in-process; return (exit status, stdout, stderr)."""
    try:
        status = main(list(args))
    except SystemExit as exc:  # argparse exits on usage errors and --help
        status = exc.code
    out = capsys.readouterr()
    return status, out.out, out.err


def validate_json(capsys, root: Path) -> tuple[int, list[dict]]:
    status, out, _ = run_cli(capsys, "validate", "--format", "json", "--root", str(root))
    return status, json.loads(out)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The reference handbook site, built once per test session."""
    from generators.site.build import build_site

    return build_site(ROOT, tmp_path_factory.mktemp("built") / "site")
