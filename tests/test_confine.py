"""No file outside the project is ever read or published, whatever links an editor commits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generators.site.build import BuildError, build_site

from conftest import run_cli

# A file outside the project whose text must never reach any output: a stand-in for a key or token.
SECRET = "TOP-SECRET-runner-token-4f1c9a"

# (where the link is, is it a directory link, expected code)
CASES = [
    ("content/leak.txt", False, "HB106"),
    ("content/leak.md", False, "HB106"),
    ("content/etc", True, "HB107"),
    ("modules/roles.yml", False, "HB106"),
    ("modules/handbooks/leak", True, "HB107"),
    ("diagrams/theme.yml", False, "HB106"),
    ("diagrams/specs", True, "HB107"),
]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    # The secret is on every line, so quoting any line of the file would show it.
    (folder / "token.yml").write_text(f"roles: # {SECRET}\n  - id: {SECRET}\n    name: {SECRET}\n", encoding="utf-8")
    return folder


def _link(project: Path, rel: str, target: Path) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to(target)


def _everything_written(folder: Path) -> str:
    if not folder.exists():
        return ""
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("rel,is_dir,code", CASES, ids=[c[0] for c in CASES])
def test_link_leaving_the_project_is_refused_everywhere(minimal_project: Path, secret: Path, tmp_path: Path, capsys, rel, is_dir, code):
    _link(minimal_project, rel, secret if is_dir else secret / "token.yml")

    status, out, err = run_cli(capsys, "validate", "--root", str(minimal_project))
    assert status == 1
    assert f"{rel}:1:1: 错误 {code}" in err
    assert "链接" in err
    assert SECRET not in out + err
    assert str(secret) not in out + err

    status, out, err = run_cli(capsys, "validate", "--format", "json", "--root", str(minimal_project))
    assert status == 1 and f'"code": "{code}"' in out and SECRET not in out + err

    status, out, err = run_cli(capsys, "print", "--all", "--root", str(minimal_project), "--out", str(tmp_path / "print"))
    assert status == 1 and code in err and SECRET not in out + err
    assert SECRET not in _everything_written(tmp_path / "print")

    site = tmp_path / "site"
    with pytest.raises(BuildError) as failed:
        build_site(minimal_project, site, print_editions=False)
    assert code in str(failed.value) and rel in str(failed.value)
    assert SECRET not in str(failed.value)
    assert not site.exists()

    status, out, err = run_cli(capsys, "build", "--markdown-out", str(tmp_path / "md"), "--root", str(minimal_project))
    assert status == 1 and code in err and SECRET not in out + err
    assert SECRET not in _everything_written(tmp_path / "md")


def test_failed_build_keeps_the_last_good_site_and_publishes_nothing(minimal_project: Path, secret: Path, tmp_path: Path):
    site = build_site(minimal_project, tmp_path / "site", print_editions=False)
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    _link(minimal_project, "content/leak.txt", secret / "token.yml")
    with pytest.raises(BuildError):
        build_site(minimal_project, site, print_editions=False)
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
    assert SECRET not in _everything_written(site)


def test_serve_refuses_before_starting(minimal_project: Path, secret: Path):
    _link(minimal_project, "content/leak.txt", secret / "token.yml")
    run = subprocess.run(
        [sys.executable, "-m", "generators.cli", "serve", "--root", str(minimal_project), "--dev-addr", "127.0.0.1:0"],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 1
    assert "content/leak.txt:1:1: 错误 HB106" in run.stderr
    assert SECRET not in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_links_inside_the_project_still_work(minimal_project: Path, tmp_path: Path):
    shared = minimal_project / "shared-note.md"
    shared.write_text("# 共用说明\n\n这是项目内的一页说明。\n", encoding="utf-8")
    (minimal_project / "content" / "note.md").symlink_to(Path("..") / "shared-note.md")
    site = build_site(minimal_project, tmp_path / "site", print_editions=False)
    assert "这是项目内的一页说明" in (site / "note" / "index.html").read_text(encoding="utf-8")


def test_a_special_file_is_refused(minimal_project: Path, capsys):
    os.mkfifo(minimal_project / "content" / "pipe.md")
    status, _, err = run_cli(capsys, "validate", "--root", str(minimal_project))
    assert status == 1 and "content/pipe.md:1:1: 错误 HB108" in err


def test_docs_dir_outside_the_project_is_refused(minimal_project: Path, secret: Path, tmp_path: Path):
    config = minimal_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("docs_dir: content", f"docs_dir: {secret}"), encoding="utf-8")
    assert f"docs_dir: {secret}" in config.read_text(encoding="utf-8")
    with pytest.raises(BuildError) as failed:
        build_site(minimal_project, tmp_path / "site", print_editions=False)
    assert "docs_dir" in str(failed.value) and SECRET not in str(failed.value)


def test_a_link_in_the_history_is_never_followed_by_diff(minimal_project: Path, secret: Path, capsys):
    """`handbook diff` reads old revisions from git: a link committed there is refused like one on disk."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "e@example.com",
           "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "e@example.com"}

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(minimal_project), *args], check=True, env=env, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "good")
    _link(minimal_project, "modules/roles.yml", secret / "token.yml")
    git("add", "-A")
    git("commit", "-q", "-m", "link")

    for revisions in (["HEAD~1", "HEAD"], ["HEAD~1", "WORKTREE"]):
        status, out, err = run_cli(capsys, "diff", *revisions, "--root", str(minimal_project))
        assert status == 1, (revisions, err)
        assert "roles.yml" in out + err
        assert SECRET not in out + err and str(secret) not in out + err
        assert "Traceback" not in err and "内部错误" not in err


def test_the_preview_overlay_quotes_nothing_behind_a_link(minimal_project: Path, secret: Path):
    """A link added while `handbook serve` runs fails the rebuild; the page overlay names it, quoting nothing of it."""
    from generators.confine import check_trees
    from generators.errors import ContentError
    from generators.site.overlay import Failure

    _link(minimal_project, "modules/roles.yml", secret / "token.yml")
    html = Failure(ContentError(check_trees(minimal_project))).render(minimal_project)
    assert "modules/roles.yml" in html and "HB106" in html
    assert SECRET not in html
