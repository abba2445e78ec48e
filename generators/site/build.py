"""Build the site somewhere else, then swap it in: a failed build never touches the last good site/."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from ..errors import HandbookError
from ..fsutil import write_atomic
from ..pipeline import prepare
from ..urls import relative


class BuildError(HandbookError):
    """MkDocs could not build the site; the message says why, in Chinese where it comes from us."""


@contextmanager
def _mkdocs_errors(messages: list[str]):
    """MkDocs logs the cause of a failed build and then raises a bare "Aborted"; keep the cause."""

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Keep(logging.ERROR)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def _swap(staging: Path, target: Path) -> None:
    """Put the new site in place of the old one. Two builds finishing at once take turns (a lock
    on the folder that holds the site); the later one's site stays."""
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        if target.exists():
            os.rename(target, old)
        os.rename(staging, target)
    finally:
        os.close(folder)  # releases the lock
    shutil.rmtree(old, ignore_errors=True)


def build_site(root: Path, target: Path | None = None, config_file: str = "mkdocs.yml", *, print_editions: bool = True,
               for_editors: bool = False, site_url: str | None = None) -> Path:
    """Build the MkDocs site of the project at ``root`` into ``target`` (default ``root/site``)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    target = (target or root / "site").resolve()
    staging = target.with_name(f".{target.name}-build-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    messages: list[str] = []
    try:
        with _mkdocs_errors(messages):
            overrides = {"site_url": site_url} if site_url else {}
            config = load_config(str(root / config_file), site_dir=str(staging), **overrides)
            for plugin in config.plugins.values():
                if "print_editions" in getattr(plugin, "config", {}):
                    plugin.config.print_editions = plugin.config.print_editions and print_editions
                    plugin.config.for_editors = plugin.config.for_editors or for_editors
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
    except MkDocsException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        cause = "\n".join(m for m in messages if m.strip()) or str(exc)
        raise BuildError(f"{cause}\n\n站点没有生成，原有的站点保持不变。") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, target)
    return target


def build_markdown(root: Path, target: Path) -> Path:
    """Write the generated pages as plain Markdown and the diagrams as SVG files, for any Markdown site engine."""
    from ..pages.build import PageBuilder

    prepared = prepare(root, root / ".cache" / "diagrams")
    target = target.resolve()
    staging = target.with_name(f".{target.name}-build-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        builder = PageBuilder(prepared.model, prepared.svgs, {}, predecessor=prepared.predecessor)
        content = root / "content"
        for path in sorted(content.rglob("*.md")) if content.is_dir() else []:
            rel = path.relative_to(content).as_posix()
            text = builder.expand_embeds(path.read_text(encoding="utf-8"), rel, path.relative_to(root).as_posix())
            write_atomic(staging / rel, text)
        for rel, page in prepared.pages.items():
            write_atomic(staging / rel, page.markdown)
        for rel, text in prepared.assets.items():
            write_atomic(staging / rel, text)
        for ident, svg in prepared.svgs.items():
            # A diagram file of its own links to the pages from its own folder.
            write_atomic(staging / "diagrams" / f"{ident}.svg", relative(svg, "diagrams/"))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, target)
    return target
