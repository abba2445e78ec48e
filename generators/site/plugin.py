"""The ``handbook`` MkDocs plugin: the generated pages as virtual files, checked once per build."""

from __future__ import annotations

import hashlib
import html
import logging
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from ..errors import ContentError
from ..fsutil import write_atomic
from ..pages import build_print_page as print_page
from ..pipeline import Prepared, prepare, search_words
from .config import HandbookConfig
from .nav import navigation

log = logging.getLogger("mkdocs.plugins.handbook")
POLL_SECONDS = 0.1


def _content_error(exc: ContentError, root: Path) -> PluginError:
    def read(file: str, line: int) -> str | None:
        try:
            lines = (root / file).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None
        return lines[line - 1] if 0 < line <= len(lines) else None

    return PluginError("手册内容有错误，站点没有生成：\n\n" + exc.render(read))


class _Generated(File):
    """A generated file that a dirty rebuild skips when its content is what the last build wrote."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


class _DirtyNotice(logging.Filter):
    """MkDocs warns that a dirty build may leave links and navigation stale. This plugin rebuilds
    every page whose text changed, and every page when the navigation changed, so the warning
    does not apply; in strict mode it would also fail the rebuild."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build is being performed" not in record.getMessage()


class HandbookPlugin(BasePlugin[HandbookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.prepared: Prepared | None = None
        self.root = Path.cwd()
        self.command = "build"
        self.dirty = False
        self.printed: list = []
        self.yearly: list = []
        # What the last finished build wrote, to rebuild only what changed (dirty rebuilds in serve).
        self.written: dict[str, str] = {}
        self.writing: dict[str, str] = {}
        self.rebuilt: set[str] = set()  # page URLs rendered by this build
        self.search_entries: list[dict] = []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())

    @event_priority(100)  # before the search plugin reads its jieba dictionary
    def on_config(self, config):
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        self.rebuilt = set()
        try:
            # A preview keeps the parsed files between rebuilds.
            self.prepared = prepare(self.root, self.root / self.config.cache_dir, config.site_url, keep=self.dirty)
        except ContentError as exc:
            raise _content_error(exc, self.root) from None
        model = self.prepared.model
        self.printed = []
        if self.config.print_editions and self.command != "serve" and model.editions:
            from ..print.render import print_editions

            self.printed = print_editions(model, self.prepared.cache)
            self.prepared.pages.update(print_page(model, self.prepared.svgs, self.printed))
        self.yearly = []
        if self.config.print_editions and self.command != "serve":
            self._make_yearly_documents(model)
        if not config.nav:
            config.nav = navigation(model, self.prepared.pages)
        logging.getLogger("jieba").setLevel(logging.WARNING)  # its start-up notes are not for our users
        words = self.root / ".cache" / "jieba" / "userdict.txt"
        write_atomic(words, "".join(f"{w} 100000 n\n" for w in search_words(model)))
        for plugin in config.plugins.values():
            if "jieba_dict_user" in getattr(plugin, "config", {}):
                plugin.config.jieba_dict_user = str(words)
        return config

    def _make_yearly_documents(self, model) -> None:
        """Record books, wall charts, monthly Word/PDF documents and Word forms of the edition year, and the
        pages that link to them."""
        from ..documents.build import make_documents
        from ..documents.links import Links
        from ..documents.monthly import levels
        from ..pages import build_yearly_pages
        from ..pipeline import git_dates

        assert self.prepared is not None
        self.yearly = make_documents(model)
        links = Links(model.site.edition_year, tuple((lv.id, lv.name) for lv in levels(model)))
        self.prepared.pages.update(build_yearly_pages(model, self.prepared.svgs, links, git_dates(self.root)))

    def on_files(self, files: Files, *, config) -> Files:
        assert self.prepared is not None
        if self.dirty:
            # A hand-written page may embed diagrams and steps from the YAML: always rebuild it.
            for file in files.documentation_pages():
                file.is_modified = lambda: True
        contents = {path: page.markdown for path, page in self.prepared.pages.items()}
        contents.update(self.prepared.assets)
        # The nav is written into every page: when it changes, every page is rebuilt.
        contents["\0nav"] = repr(config.nav)
        self.writing = {path: hashlib.sha256(text.encode("utf-8")).hexdigest() for path, text in contents.items()}
        everything = self.writing["\0nav"] != self.written.get("\0nav")
        for path, text in contents.items():
            if path.startswith("\0"):
                continue
            if path.endswith(".md") and files.get_file_from_path(path) is not None:
                raise PluginError(f"content/{path} 与生成的页面同名，请给手写页面换一个文件名。")
            file = _Generated.generated(config, path, content=text)
            file.changed = everything or self.writing[path] != self.written.get(path)
            files.append(file)
        for printed in self.printed:
            files.append(File.generated(config, f"print/{printed.filename}", abs_src_path=printed.pdf))
        for made in self.yearly:
            files.append(File.generated(config, made.rel, abs_src_path=made.source))
        return files

    def on_env(self, env, *, config, files):
        """Keep the theme's compiled templates between runs (Jinja's bytecode cache in the user's
        temporary folder); MkDocs otherwise compiles them again on every build and rebuild."""
        if env.bytecode_cache is None:
            env.bytecode_cache = FileSystemBytecodeCache()
        return env

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        assert self.prepared is not None
        generated = self.prepared.pages.get(page.file.src_uri)
        if generated is not None:
            # The theme prints the page's title into <title> after stripping tags, which turns
            # entities back into markup; an escaped meta title is printed as it is.
            page.meta["title"] = html.escape(generated.title)
            return markdown
        from ..pages.build import PageBuilder

        builder = PageBuilder(self.prepared.model, self.prepared.svgs, {})
        docs = Path(config.docs_dir).resolve()
        try:
            source = (docs / page.file.src_uri).relative_to(self.root).as_posix()
        except ValueError:
            source = page.file.src_uri
        try:
            return builder.expand_embeds(markdown, page.file.src_uri, source)
        except ContentError as exc:
            raise _content_error(exc, self.root) from None

    def on_page_context(self, context, *, page, config, nav):
        """Edit links open the YAML a page is generated from, or the hand-written page itself."""
        assert self.prepared is not None
        base = self.config.edit_url
        generated = self.prepared.pages.get(page.file.src_uri)
        if generated is not None:
            source = generated.source
        else:
            docs = Path(config.docs_dir).resolve()
            source = (docs / page.file.src_uri).relative_to(self.root).as_posix() if docs.is_relative_to(self.root) else None
        page.edit_url = base.rstrip("/") + "/" + source if base and source else None
        self.rebuilt.add(page.url)
        return context

    @event_priority(100)  # before the search plugin writes its index
    def on_post_build(self, *, config) -> None:
        if self.dirty:
            self._keep_search_entries(config)
        self.written = self.writing
        self._patch_theme_scripts(config)

    def _keep_search_entries(self, config) -> None:
        """A dirty rebuild indexes only the pages it rebuilt; keep the other pages' entries from before.

        The theme's search plugin has its own merge for this, but it assumes that a single page was
        rebuilt and drops entries of pages it did not rebuild; do the merge here and switch its off.
        """
        for plugin in config.plugins.values():
            index = getattr(plugin, "search_index", None)
            if index is None or not hasattr(index, "entries"):
                continue
            kept = [e for e in self.search_entries if e["location"].partition("#")[0] not in self.rebuilt]
            index.entries = kept + index.entries
            self.search_entries = index.entries
            plugin.search_index_prev = None
        self.rebuilt = set()

    def _patch_theme_scripts(self, config) -> None:
        """Two workarounds in the theme's scripts, applied to the built copy only.

        1. The page script lazy-loads two polyfills from unpkg.com when a browser lacks them; on
           an intranet that request can only fail, so point it at the site itself and drop the
           source maps that repeat the address.
        2. The search worker splits a Chinese query into the longest words of the index, but
           never tries the whole query as one word, so "三会一课" is looked up as "三会" and "一".
           Let it consider the whole query too.
        """
        scripts = Path(config.site_dir) / "assets" / "javascripts"
        for path in scripts.rglob("*.map"):
            path.unlink()
        patches = {
            "bundle.*.js": ("https://unpkg.com/", "assets/javascripts/unavailable/"),
            "workers/search.*.js": ("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e", "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"),
        }
        for pattern, (old, new) in patches.items():
            for path in scripts.glob(pattern):
                text = path.read_text(encoding="utf-8")
                if new in text:  # already patched: a dirty rebuild keeps the copied script
                    continue
                if old in text:
                    write_atomic(path, text.replace(old, new))
                else:
                    log.warning("主题脚本 %s 已更新，未能应用针对 %r 的修正；请检查搜索和离线效果。", path.name, old[:30])

    def on_serve(self, server, *, config, builder):
        for folder in ("modules", "diagrams"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        # Workaround: MkDocs looks for saved files every 0.5 s, a quarter to a half of the time an
        # editor waits for the page after saving. The project is a few dozen files: look every 0.1 s.
        observer = getattr(server, "observer", None)
        for watcher in [observer, *getattr(observer, "emitters", ())]:
            if watcher is not None and isinstance(getattr(watcher, "_timeout", None), (int, float)):
                watcher._timeout = min(watcher._timeout, POLL_SECONDS)
        return server
