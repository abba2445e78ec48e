"""The ``handbook`` MkDocs plugin: the generated pages as virtual files, checked once per build."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from ..confine import TREES, check_trees, inside, source_line_reader
from ..errors import ContentError
from ..fsutil import write_atomic
from ..sourcedate import pin_source_date
from ..pages import build_print_page as print_page
from ..pages.build import REVISIONS_JSON, REVISIONS_PDF
from ..pinyin import pinyin_words
from ..pipeline import Prepared, prepare, search_words
from .config import HandbookConfig
from .console import ChineseConsole
from .nav import navigation
from . import search
from .overlay import Failure, insert

log = logging.getLogger("mkdocs.plugins.handbook")
POLL_SECONDS = 0.1
OPEN_SECONDS = 90  # a page's reload request is answered within a minute; then its browser asks again
_PINYIN_MARK = "data-pinyin"
THEME_DIR = Path(__file__).resolve().parent / "theme"

# The theme's page script fetches the search index as soon as the page loads (``ze`` requests
# JSON, ``F`` is RxJS's Observable, ``Z`` its shareReplay, all in the bundle's own scope).
_INDEX_FETCH = 'ze(new URL("search/search_index.json",Or.base))}'
# The same request, made when the reader first reaches for the search box. Plain ES2017.
_LAZY_INDEX_FETCH = (
    'hbLazyIndex(function(){return ze(new URL("search/search_index.json",Or.base))})}'
    "function hbLazyIndex(load){return new F(function(subscriber){"
    "var inner=null,events=[\"focusin\",\"click\",\"change\"];"
    "function start(){if(inner)return;events.forEach(function(e){document.removeEventListener(e,used,!0)});"
    "inner=load().subscribe(subscriber)}"
    "function used(ev){var t=ev.target;"
    "if(t&&t.closest&&(t.closest(\".md-search\")||t.closest(\"label[for=__search]\")||t.id===\"__search\"))start()}"
    "events.forEach(function(e){document.addEventListener(e,used,!0)});"
    "if(/[?&][qh]=/.test(location.search))start();"
    "return function(){events.forEach(function(e){document.removeEventListener(e,used,!0)});if(inner)inner.unsubscribe()}"
    "}).pipe(Z(1))}"
)


def _theme_version() -> str:
    from importlib import metadata

    return metadata.version("mkdocs-material")


def _content_error(exc: ContentError, root: Path) -> PluginError:
    return PluginError("手册内容有错误，站点没有生成：\n\n" + exc.render(source_line_reader(root)))


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


class _Superseded(Exception):
    """A newer save arrived while the preview was giving pages the new nav."""


class _SupersededNotice(logging.Filter):
    """MkDocs logs the page it was building when a build stops; a pass cut short on purpose is no error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.getMessage().startswith(("Error building page", "Error reading page"))
                    and sys.exc_info()[0] is _Superseded)


class HandbookPlugin(BasePlugin[HandbookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.prepared: Prepared | None = None
        self.root = Path.cwd()
        self.command = "build"
        self.editors = False
        self.dirty = False
        self.printed: list = []
        self.comparison_pdf: Path | None = None
        self.yearly: list = []
        # What the last finished build wrote, to rebuild only what changed (dirty rebuilds in serve).
        self.written: dict[str, str] = {}
        self.writing: dict[str, str] = {}
        self.rebuilt: set[str] = set()  # page URLs rendered by this build
        self.search_entries: list[dict] = []
        self.failure: Failure | None = None  # why the last preview rebuild failed (shown on every page)
        self.nav_behind: set[str] = set()  # pages still showing the previous nav (preview only)
        self.second_pass = False  # the preview's pass that gives those pages the new nav
        self.superseded = lambda: False  # whether a newer save is waiting (preview only)
        self.page_words: dict[str, tuple[str, ...]] = {}  # page URL → its front matter's search words
        # The preview's pages not built yet (it serves its first page before building them all), the
        # ones a browser is waiting for, the ones the pass under way builds first, and each page's
        # output file (site-relative) → its source path.
        self.unbuilt: set[str] = set()
        self.wanted: set[str] = set()
        self.wanted_now: frozenset[str] = frozenset()
        self.built_now: set[str] = set()
        self.page_at: dict[str, str] = {}
        self.stale = False  # pages left for the second pass are open in browsers with the old nav
        self.resume = False  # the next rebuild carries on with the pages left at start-up
        self.built_cond = threading.Condition()  # notified when pages have been built
        self.open: dict[str, float] = {}  # page → when a browser showing it last asked whether to reload
        self.compounds: tuple[tuple[str, ...], search.CompoundWords] | None = None  # for the words they come from

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())

    @event_priority(100)  # before the search plugin reads its jieba dictionary
    def on_config(self, config):
        # A preview is for the person editing; a build is for readers unless asked otherwise.
        self.editors = self.config.for_editors or self.command == "serve"
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        self.rebuilt = set()
        pin_source_date(self.root)  # the sitemap's dates and the editions' colophons are the commit's
        docs = Path(config.docs_dir)
        if not inside(self.root, docs):
            raise PluginError(f"mkdocs.yml 的 docs_dir 指向项目目录之外（{config.docs_dir}）；手写页面只能放在项目目录中，如 content/。")
        try:
            # The standard trees are checked by the loader; a docs_dir elsewhere in the project too.
            extra = docs.resolve().relative_to(self.root).as_posix()
            if extra not in TREES:
                outside = check_trees(self.root, [extra])
                if outside:
                    raise ContentError(outside)
            # A preview keeps the parsed files between rebuilds. A pass that only builds pages left
            # for later (no file saved since the last pass) works from the content already prepared.
            if not (self.second_pass and self.prepared is not None and not self.superseded()):
                self.prepared = prepare(self.root, self.root / self.config.cache_dir, config.site_url, keep=self.dirty,
                                        editors=self.editors, export=self.command != "serve")
        except ContentError as exc:
            self.failure = Failure(exc)
            raise _content_error(exc, self.root) from None
        model = self.prepared.model
        self.printed = []
        if self.config.print_editions and self.command != "serve" and model.editions:
            from ..print.render import print_editions

            self.printed = print_editions(model, self.prepared.cache)
            self.prepared.pages.update(print_page(model, self.prepared.svgs, self.printed))
        self.comparison_pdf = None
        predecessor = self.prepared.predecessor
        if self.config.print_editions and self.command != "serve" and predecessor and predecessor.comparison:
            from ..pages.build import PageBuilder
            from ..print.comparison import print_comparison

            store = self.root / ".cache" / "print"
            self.comparison_pdf = print_comparison(predecessor.comparison, model.site, store / "comparison.pdf", store, root=self.root)
            builder = PageBuilder(model, self.prepared.svgs, {}, predecessor=predecessor, editors=self.editors)
            builder.revisions(downloads=[(REVISIONS_PDF, "PDF"), (REVISIONS_JSON, "JSON")])
            self.prepared.pages.update(builder.pages)
        self.yearly = []
        if self.config.print_editions and self.command != "serve":
            self._make_yearly_documents(model)
        if not config.nav:
            config.nav = navigation(model, self.prepared.pages)
        # The plugin's own theme templates (a named search dialog, a Chinese 404 page) come
        # before the theme's; a project's custom_dir, if any, still comes first.
        theme_dir = str(THEME_DIR)
        if theme_dir not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, theme_dir)
        logging.getLogger("jieba").setLevel(logging.WARNING)  # its start-up notes are not for our users
        words = self.root / ".cache" / "jieba" / "userdict.txt"
        write_atomic(words, "".join(f"{w} 100000 n\n" for w in search_words(model)))
        for plugin in config.plugins.values():
            if "jieba_dict_user" in getattr(plugin, "config", {}):
                plugin.config.jieba_dict_user = str(words)
                # The theme's search stems index words with an English stemmer but looks words up as
                # typed, as prefixes: pinyin such as "fzdy" would be indexed as "fzdi" and never found.
                # An English stemmer does nothing for Chinese text, so switch it off.
                plugin.config.pipeline = []
                plugin.config.separator = search.SEPARATOR
                plugin.config.fields.setdefault(search.FIELD, {"boost": 1.0})
        return config

    def _make_yearly_documents(self, model) -> None:
        """Record books, wall charts, monthly Word/PDF documents and Word forms of the edition year, and the
        pages that link to them."""
        from ..documents.build import make_documents
        from ..documents.links import Links
        from ..documents.monthly import levels
        from ..pages import build_yearly_pages

        assert self.prepared is not None
        self.yearly = make_documents(model)
        history = self.prepared.history
        dates = history.dates if history is not None else {}  # the dates the other pages show
        links = Links(model.site.edition_year, tuple((lv.id, lv.name) for lv in levels(model)))
        self.prepared.pages.update(build_yearly_pages(model, self.prepared.svgs, links, dates, editors=self.editors))

    def on_files(self, files: Files, *, config) -> Files:
        assert self.prepared is not None
        self.built_now = set()
        if self.dirty:
            # A hand-written page may embed diagrams and steps from the YAML: always rebuild it.
            # (A pass that only catches up leaves them alone: they were built before it.)
            for file in files.documentation_pages():
                file.is_modified = lambda: not self.second_pass
        contents = {path: page.markdown for path, page in self.prepared.pages.items()}
        contents.update(self.prepared.assets)
        # The nav is written into every page: when it changes, every page is rebuilt.
        contents["\0nav"] = repr(config.nav)
        self.writing = {path: hashlib.sha256(text.encode("utf-8")).hexdigest() for path, text in contents.items()}
        everything = self.writing["\0nav"] != self.written.get("\0nav")
        # A preview rebuilds first the changed pages that a browser shows or asks for (all changed
        # pages when none is), and shows them; the other changed pages and those that only need the
        # new nav follow in a second pass (see _show_failures). Its first build makes the hand-written
        # pages and the files pages use, and serves them at once; the generated pages follow, each
        # one first when a browser asks for it.
        preview = self.dirty and self.command == "serve"
        starting = preview and not self.written
        split = preview and bool(self.written)
        changed = {path for path in contents if self.writing[path] != self.written.get(path)}
        focus = changed & (self._wanted() | self._open_pages()) if split and not self.second_pass else set()
        behind: set[str] = set()
        for path, text in contents.items():
            if path.startswith("\0"):
                continue
            if path.endswith(".md") and files.get_file_from_path(path) is not None:
                raise PluginError(f"content/{path} 与生成的页面同名，请给手写页面换一个文件名。")
            file = _Generated.generated(config, path, content=text)
            own = path in changed
            if starting and path.endswith(".md"):
                file.changed = False
                behind.add(path)
                self.unbuilt.add(path)
            elif not split:
                file.changed = own or everything
            elif self.second_pass:
                file.changed = own or path in (self.wanted_now or self.nav_behind)
            else:
                file.changed = own and (not focus or path in focus or not path.endswith(".md"))
                if not file.changed and (own or everything or path in self.nav_behind):
                    behind.add(path)
                    self.stale |= path not in self.unbuilt  # a browser may show this page as it was
            if path.endswith(".md"):
                self.page_at[file.dest_uri] = path
            files.append(file)
        if starting or (split and not self.second_pass):
            self.nav_behind = behind
        for printed in self.printed:
            files.append(File.generated(config, f"print/{printed.filename}", abs_src_path=printed.pdf))
        if self.comparison_pdf is not None:
            files.append(File.generated(config, REVISIONS_PDF, abs_src_path=str(self.comparison_pdf)))
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
        self._stop_if_superseded()
        generated = self.prepared.pages.get(page.file.src_uri)
        if generated is not None:
            # The theme prints the page's title into <title> after stripping tags, which turns
            # entities back into markup; an escaped meta title is printed as it is.
            page.meta["title"] = html.escape(generated.title)
            return markdown
        from ..pages.build import PageBuilder

        builder = PageBuilder(self.prepared.model, self.prepared.svgs, {}, predecessor=self.prepared.predecessor,
                              editors=self.editors)
        docs = Path(config.docs_dir).resolve()
        try:
            source = (docs / page.file.src_uri).relative_to(self.root).as_posix()
        except ValueError:
            source = page.file.src_uri
        try:
            return builder.expand_embeds(markdown, page.file.src_uri, source)
        except ContentError as exc:
            self.failure = Failure(exc)
            raise _content_error(exc, self.root) from None

    def on_page_context(self, context, *, page, config, nav):
        """Edit links open the YAML a page is generated from, or the hand-written page itself."""
        assert self.prepared is not None
        base = self.config.edit_url if self.editors else None
        generated = self.prepared.pages.get(page.file.src_uri)
        if generated is not None:
            source = generated.source
        else:
            docs = Path(config.docs_dir).resolve()
            source = (docs / page.file.src_uri).relative_to(self.root).as_posix() if docs.is_relative_to(self.root) else None
        page.edit_url = base.rstrip("/") + "/" + source if base and source else None
        self.page_words[page.url] = tuple(str(w) for w in (page.meta.get("search") or {}).get("words") or ())
        self._stop_if_superseded()
        self.rebuilt.add(page.url)
        self.built_now.add(page.file.src_uri)
        return context

    def _stop_if_superseded(self) -> None:
        """Cut the preview's second pass short when a file was saved, or when a browser waits for a page
        this pass would build later; the rest of the pass is taken up after that."""
        if self.second_pass and (self.superseded() or (not self.wanted_now and self._wanted() & self.unbuilt)):
            raise _Superseded

    @event_priority(100)  # before the search plugin writes its index
    def _complete_search_index(self, *, config) -> None:
        if self.second_pass:
            self.nav_behind -= self.built_now
        fresh = self._keep_search_entries(config) if self.dirty else None
        self._add_pinyin(config)
        self._add_search_words(config, fresh)
        self.written = self.writing
        self._patch_theme_scripts(config)
        with self.built_cond:
            self.unbuilt -= self.built_now
            self.wanted = (self.wanted - self.built_now) & (self.unbuilt | self.nav_behind)
            self.built_cond.notify_all()

    @event_priority(-100)  # after the search plugin has written its index
    def _write_search_index_as_utf8(self, *, config) -> None:
        """The theme writes the search index with every Chinese character escaped (``\\u515a``: six
        bytes where UTF-8 needs three). Write it again as UTF-8: 40 % fewer bytes to download and parse."""
        path = Path(config.site_dir) / "search" / "search_index.json"
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            write_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))

    on_post_build = CombinedEvent(_complete_search_index, _write_search_index_as_utf8)

    def _add_pinyin(self, config) -> None:
        """Pinyin initials and full pinyin of each page and heading title, as hidden words of its
        entry in the search index: the theme's search box then finds 三会一课 for ``shyk`` with
        its scripts unchanged, and the words never show in the results."""
        assert self.prepared is not None
        model = self.prepared.model
        overrides = model.search.pinyin if model.search else {}
        terms = search_words(model)
        for plugin in config.plugins.values():
            index = getattr(plugin, "search_index", None)
            for entry in getattr(index, "entries", None) or []:
                text = entry.get("text", "")
                if _PINYIN_MARK in text:  # kept from the last build by a preview rebuild
                    continue
                words = pinyin_words(html.unescape(entry.get("title", "")).replace("\u200b", ""), overrides, terms)
                if words:
                    entry["text"] = f'{text}<span {_PINYIN_MARK} hidden>{" ".join(words)}</span>'

    def _keep_search_entries(self, config) -> list[dict]:
        """A dirty rebuild indexes only the pages it rebuilt; keep the other pages' entries from before.

        The theme's search plugin has its own merge for this, but it assumes that a single page was
        rebuilt and drops entries of pages it did not rebuild; do the merge here and switch its off.
        """
        fresh: list[dict] = []
        for plugin in config.plugins.values():
            index = getattr(plugin, "search_index", None)
            if index is None or not hasattr(index, "entries"):
                continue
            fresh += index.entries
            kept = [e for e in self.search_entries if e["location"].partition("#")[0] not in self.rebuilt]
            index.entries = kept + index.entries
            self.search_entries = index.entries
            plugin.search_index_prev = None
        self.rebuilt = set()
        return fresh

    def _add_search_words(self, config, fresh: list[dict] | None = None) -> None:
        """Compound words and their parts, and each page's own search words, in a field of their own.

        A preview rebuild gives them to the entries of the pages it rebuilt (``fresh``); the other
        entries keep theirs unless the domain words changed.
        """
        assert self.prepared is not None
        words = tuple(search_words(self.prepared.model))
        if self.compounds is None or self.compounds[0] != words:
            fresh = None
            self.compounds = None
        for plugin in config.plugins.values():
            index = getattr(plugin, "search_index", None)
            if index is None or not hasattr(index, "entries") or search.FIELD not in plugin.config.get("fields", {}):
                continue
            if self.compounds is None:
                self.compounds = (words, search.CompoundWords(words, search.JiebaWords()))
            search.add_words(index.entries if fresh is None else fresh, self.compounds[1], self.page_words)

    def _patch_theme_scripts(self, config) -> None:
        """Three workarounds in the theme's scripts, applied to the built copy only.

        1. The page script lazy-loads two polyfills from unpkg.com when a browser lacks them; on
           an intranet that request can only fail, so point it at the site itself and drop the
           source maps that repeat the address.
        2. The search worker splits a Chinese query into the longest words of the index, but
           never tries the whole query as one word, so "三会一课" is looked up as "三会" and "一".
           Let it consider the whole query too.
        3. The page script downloads the whole search index on every page, whether or not the
           reader searches: most of the bytes of a first visit. Fetch it only when the search box
           is first used (focused, its toggle clicked, or a search link ``?q=`` / ``?h=`` opened).
        """
        scripts = Path(config.site_dir) / "assets" / "javascripts"
        for path in scripts.rglob("*.map"):
            path.unlink()
        patches = [
            ("bundle.*.js", "https://unpkg.com/", "assets/javascripts/unavailable/"),
            ("workers/search.*.js", "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e", "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"),
            ("bundle.*.js", _INDEX_FETCH, _LAZY_INDEX_FETCH),
        ]
        found = {(pattern, old): False for pattern, old, _ in patches}
        for pattern, old, new in patches:
            for path in scripts.glob(pattern):
                text = path.read_text(encoding="utf-8")
                if new in text:  # already patched: a dirty rebuild keeps the copied script
                    found[pattern, old] = True
                    continue
                if old not in text:
                    # Shipping the unpatched script would silently break search or make outside
                    # requests: stop, and say what to check.
                    raise PluginError(
                        f"主题 mkdocs-material {_theme_version()} 的脚本 {path.name} 中找不到需要修正的代码 {old[:40]!r}。"
                        "本项目对主题脚本的三处修正（中文整词搜索、不向外网请求补丁脚本、用到搜索框时才下载搜索索引）只针对 requirements/ 中锁定的版本；"
                        "升级主题后请按 README“升级依赖”一节检查并更新 HandbookPlugin._patch_theme_scripts。"
                    )
                write_atomic(path, text.replace(old, new))
                found[pattern, old] = True
        missing = [pattern for (pattern, _), done in found.items() if not done]
        if missing:
            raise PluginError(f"主题 mkdocs-material {_theme_version()} 的脚本中找不到 {'、'.join(missing)}；请按 README“升级依赖”一节检查。")

    def on_serve(self, server, *, config, builder):
        logging.getLogger("mkdocs.livereload").addFilter(_RequestNotes())
        self._show_failures(server, builder)
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

    def _show_failures(self, server, builder) -> None:
        """A failed rebuild shows its mistakes on every page instead of stalling the preview.

        Workaround: MkDocs' preview holds every request while a rebuild is due and, when the rebuild
        fails, keeps holding them until a later one succeeds, so the browser hangs and only the
        terminal says why. Here a failed rebuild still counts as done: the last good pages are served
        at once, each with the error overlay (added where MkDocs adds its reload script), and the next
        good rebuild reloads them without it.
        """

        warnings = _Warnings()
        logging.getLogger("mkdocs").addHandler(warnings)

        def rebuild() -> None:
            self.failure = None
            warnings.said.clear()
            try:
                if self.resume:
                    self.resume = False  # just started: nothing was saved, go on with the pages left
                else:
                    builder()
                catch_up()
            except Exception as exc:  # noqa: BLE001 - whatever failed is shown on the pages
                if self.failure is None:
                    # A strict build stops at the end with a count of its warnings: show the warnings.
                    said = "\n".join(warnings.said) if "strict mode" in str(exc) else ""
                    self.failure = Failure(text=said or str(exc) or type(exc).__name__)
                log.info("页面上已显示错误说明；改正并保存后，浏览器中的页面会自动刷新。")
            finally:
                with self.built_cond:
                    self.built_cond.notify_all()

        def catch_up() -> None:
            """The pages left for a second pass: after a new title or order, every page but the changed
            ones (they need the new nav); after start-up, every generated page. Show what is built now,
            then build them while the preview keeps serving. A newer save cuts this pass short (the next
            rebuild takes up what is left); a browser asking for one of them gets it built first."""
            while self.nav_behind:
                _publish(server)
                self.second_pass = True
                self.wanted_now = frozenset(self._wanted() & self.nav_behind)
                try:
                    builder()
                except _Superseded:
                    if self.superseded():
                        return
                    continue
                finally:
                    self.second_pass = False
                    self.wanted_now = frozenset()
            if self.stale:
                self.stale = False
                _next_version(server)  # open pages reload once more, with the new nav

        add_reload_script = server._inject_js_into_html

        def add_scripts(content: bytes, epoch: int) -> bytes:
            content = add_reload_script(content, epoch)
            failure = self.failure
            return insert(content, failure.render(self.root)) if failure is not None else content

        serve_file = server._serve_request

        def serve_request(environ, start_response):
            self._wait_for_page(environ, server)
            return serve_file(environ, start_response)

        server.builder = rebuild
        server._inject_js_into_html = add_scripts
        server._serve_request = serve_request
        if self.nav_behind:
            # The first page is served; build the others right away, without a word about changed files.
            self.resume = True
            quiet = _QuietResume()
            logging.getLogger("mkdocs.livereload").addFilter(quiet)
            with server._rebuild_cond:
                server._want_rebuild = True
                server._rebuild_cond.notify_all()
        self.superseded = lambda: bool(getattr(server, "_want_rebuild", False))
        logging.getLogger("mkdocs.commands.build").addFilter(_SupersededNotice())


    def _page_of(self, path: str, server) -> str | None:
        """The generated page a URL path of the preview serves (its source path), if any."""
        mount = server.mount_path
        if not (path + "/").startswith(mount):
            return None
        rel = path[len(mount):]
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        return self.page_at.get(rel.lstrip("/"))

    def _wanted(self) -> set[str]:
        """The pages browsers wait for (requests add to them while the build runs)."""
        with self.built_cond:
            return set(self.wanted)

    def _open_pages(self) -> set[str]:
        """The pages browsers show now: each open page keeps asking the preview whether to reload."""
        now = time.monotonic()
        return {page for page, seen in list(self.open.items()) if now - seen < OPEN_SECONDS}

    def _wait_for_page(self, environ, server, timeout: float = 60.0) -> None:
        """Note which pages browsers show and ask for, to build those first; hold a request for a page
        the preview has not built yet until it is built, so that a browser opened at start-up never
        gets a missing page."""
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
        if path.startswith("/livereload/"):
            page = self._page_of(urlsplit(environ.get("HTTP_REFERER") or "").path, server)
            if page is not None:
                self.open[page] = time.monotonic()
            return
        page = self._page_of(path, server)
        if page is None:
            return
        with self.built_cond:
            if server._visible_epoch != server._wanted_epoch:  # a rebuild is under way: this page first
                self.wanted.add(page)
            if page not in self.unbuilt or self.failure is not None:
                return
            self.wanted.add(page)
            self.built_cond.wait_for(lambda: page not in self.unbuilt or self.failure is not None, timeout=timeout)


class _RequestNotes(logging.Filter):
    """MkDocs' preview logs every request it does not answer with 200 as an English warning, and in strict
    mode a warning during a build fails that build: a browser asking for a missing page while the preview
    builds would stop the build. A missing page is said in Chinese, as a note; redirects are not said."""

    _REQUEST = re.compile(r'"(?:GET|HEAD) (\S+) [^"]*" code (\d+)$')

    def filter(self, record: logging.LogRecord) -> bool:
        found = self._REQUEST.search(record.getMessage())
        if found is None:
            return True
        path, code = found.groups()
        if code.startswith("3"):
            return False
        record.levelno, record.levelname = logging.INFO, "INFO"
        what = "找不到页面" if code == "404" else f"页面出错（{code}）"
        record.msg, record.args = f"{what}：{unquote(path)}", ()
        return True


class _Warnings(logging.Handler):
    """The warnings of the build under way, in Chinese where the preview's console has words for them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.said: list[str] = []
        self.addFilter(ChineseConsole())

    def emit(self, record: logging.LogRecord) -> None:
        self.said.append(record.getMessage())


class _QuietResume(logging.Filter):
    """The preview's build loop announces changed files and reloading browsers; the pass that builds the
    pages left at start-up follows no change and reloads nothing, so its two notes are dropped."""

    def __init__(self) -> None:
        super().__init__()
        self.quiet = True

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage().partition("] ")[2]  # after the time MkDocs puts first
        if not self.quiet or not message.startswith(("Detected file changes", "Reloading browsers")):
            return True
        if message.startswith("Reloading browsers"):
            self.quiet = False
        return False


def _publish(server) -> None:
    """Let browsers reload and requests through now, as MkDocs does when a rebuild has finished.

    Workaround: MkDocs' preview publishes a build only when its builder returns; these are the
    fields it sets then (mkdocs.livereload.LiveReloadServer._build_loop). The second pass then
    rewrites pages while they are served: a page fetched at the moment it is written may arrive
    incomplete, and the reload that follows the second pass fetches it whole.
    """
    with server._epoch_cond:
        server._visible_epoch = server._wanted_epoch
        server._epoch_cond.notify_all()


def _next_version(server) -> None:
    """Give the site a new version number, which MkDocs publishes when the builder returns."""
    from mkdocs.livereload import _timestamp

    with server._epoch_cond:
        server._wanted_epoch = max(_timestamp(), server._visible_epoch + 1)
