"""``make bench``: the handbook build measured side by side with its floor, on the reference content ×1, ×10, ×50.

Every figure is the median of several runs made in this one invocation, and most rows are ratios
to a baseline measured alongside, because these machines are shared and absolute times drift.

- floor: a plain ``mkdocs build`` (same theme, plugins and nav) of the very pages our build
  generates, written out beforehand as Markdown with their SVGs (``handbook build --markdown-out``);
- cold / warm: ``handbook build --no-print`` with empty / full caches (diagrams, calendar feeds);
- layout: the pure Graphviz time of all diagrams, in this process, versus one ``dot`` process per
  call (what the usual MkDocs and Sphinx Graphviz plugins do);
- rebuild: from saving one YAML file to the changed page being served by ``handbook serve``;
- title change: the same for a new title, which changes the nav of every page; and the preview's start-up;
- print: ``handbook print --all`` and ``--edition`` with no cache at all / a full cache, with Typst, beside
  the previous WeasyPrint path (the last commit that had it, run from a ``git archive`` when WeasyPrint is
  installed); ``--print-only`` measures these rows alone;
- memory: the peak resident size of the build process.

The table is printed and written into benchmarks/README.md between its markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import scaled_copy  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")


@dataclass
class Sample:
    seconds: float
    peak_mib: float
    cpu: float = 0.0  # user + system seconds of the process and its children


@dataclass
class Scale:
    factor: int
    corpus: Path
    items: int = 0
    pages: int = 0
    diagrams: int = 0
    floor: list[Sample] = field(default_factory=list)
    cold: list[Sample] = field(default_factory=list)
    warm: list[Sample] = field(default_factory=list)
    layout: list[float] = field(default_factory=list)
    processes: list[float] = field(default_factory=list)


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run a command to completion; its wall time and the peak memory of its process tree's largest member."""
    with tempfile.TemporaryFile() as log:
        before = os.times()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdout=log, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            log.seek(0)
            sys.exit(f"基准测试中的命令失败（{' '.join(cmd)}）：\n{log.read().decode('utf-8', 'replace')[-3000:]}")
    after = os.times()
    # The reaped command and every descendant it waited for (``usage`` counts the same, so it is not added).
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Sample(elapsed, usage.ru_maxrss / 1024, cpu)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- floor: the same pages, already written out, built by MkDocs alone ---------------------------

def prepare_floor(scale: Scale, work: Path) -> Path:
    """Write the pages as Markdown and an mkdocs.yml without the handbook plugin; the config's path."""
    from generators.model import load_model
    from generators.pipeline import search_words
    from generators.site.nav import navigation

    docs = work / f"x{scale.factor}-markdown"
    run([str(BIN / "handbook"), "build", "--markdown-out", str(docs)], scale.corpus)
    for folder in ("stylesheets", "javascripts"):
        if (scale.corpus / "content" / folder).is_dir():
            shutil.copytree(scale.corpus / "content" / folder, docs / folder, dirs_exist_ok=True)
    shutil.rmtree(docs / "diagrams", ignore_errors=True)  # the pages carry their SVGs inline
    model = load_model(scale.corpus)
    pages = {p.relative_to(docs).as_posix(): None for p in docs.rglob("*.md")}
    scale.items, scale.pages = len(model.items), len(pages)
    words = work / f"x{scale.factor}-words.txt"
    words.write_text("".join(f"{w} 100000 n\n" for w in search_words(model)), encoding="utf-8")

    config = yaml.safe_load((scale.corpus / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(work / f"x{scale.factor}-floor-site")
    config["nav"] = navigation(model, pages)
    plugins = []
    for plugin in config["plugins"]:
        name = next(iter(plugin)) if isinstance(plugin, dict) else plugin
        if name == "handbook":
            continue
        if name == "search":
            options = dict(plugin["search"] or {}) if isinstance(plugin, dict) else {}
            plugin = {"search": {**options, "jieba_dict_user": str(words)}}
        plugins.append(plugin)
    config["plugins"] = plugins
    path = work / f"x{scale.factor}-floor.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# --- diagrams: in-process layout versus one process per call --------------------------------------

def measure_layout(corpus: Path, dot_binary: str | None) -> dict:
    """In a fresh interpreter: pure layout time of every diagram in-process, then through `dot` processes."""
    from generators.diagrams import build_all, swimlane
    from generators.diagrams.render import layout_svg
    from generators.model import load_model

    diagrams = build_all(load_model(corpus))
    start = time.perf_counter()
    for diagram in diagrams.values():
        layout_svg(diagram.dot)
    inprocess = time.perf_counter() - start
    result = {"diagrams": len(diagrams), "inprocess": inprocess, "processes": None}
    if not dot_binary:
        return result
    # The same Graphviz calls as separate processes: a swimlane is one `dot` pass for sizes and one
    # `neato` pass on the pinned graph; the Python work between them is not counted.
    calls: list[tuple[str, str]] = []
    for diagram in diagrams.values():
        if 'hb_layout="swimlane"' in diagram.dot:
            graph, _ = swimlane.place(diagram.dot)
            calls += [("dot", diagram.dot), ("neato", graph.string())]
        else:
            calls.append(("dot", diagram.dot))
    elapsed = 0.0
    for engine, source in calls:
        start = time.perf_counter()
        subprocess.run([dot_binary, f"-K{engine}", "-Tsvg"], input=source.encode("utf-8"),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        elapsed += time.perf_counter() - start
    result["processes"] = elapsed
    return result


# --- one-file rebuild: save a YAML file, wait for the page to change ------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def measure_rebuild(corpus: Path, runs: int) -> list[float]:
    """Seconds from writing one section file to ``handbook serve`` serving the changed item page."""
    section = corpus / "modules" / "handbooks" / "committee" / "cadres.yml"
    original = section.read_text(encoding="utf-8")
    item = re.search(r"^  - id: ([a-z0-9-]+)$", original, re.M).group(1)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/items/{item}/"
    log = tempfile.TemporaryFile()
    server = subprocess.Popen([str(BIN / "handbook"), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=corpus,
                              env=ENV, stdout=log, stderr=log)
    times = []
    try:
        deadline = time.monotonic() + 300
        while "<html" not in _get(url):
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                sys.exit("预览服务器没有启动：\n" + log.read().decode("utf-8", "replace")[-3000:])
            time.sleep(0.2)
        time.sleep(1.0)  # let the watcher take its first look at the files
        for n in range(runs):
            marker = f"基准测试第{n + 1}次修改{time.time_ns() % 100000}"
            changed = re.sub(r"^(    summary: ).*$", rf"\g<1>{marker}。", original, count=1, flags=re.M)
            start = time.perf_counter()
            section.write_text(changed, encoding="utf-8")
            while marker not in _get(url):
                if time.perf_counter() - start > 120:
                    sys.exit("修改后两分钟内页面没有更新。")
                time.sleep(0.01)
            times.append(time.perf_counter() - start)
            time.sleep(1.0)
    finally:
        section.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return times


def measure_search(site: Path, runs: int) -> list[float]:
    """Milliseconds from the search index's arrival to the first result, in Chromium, per visit (see
    ``search_timing``); the built ×1 site is served on loopback."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    from search_timing import answer_after_arrival

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            try:
                return [answer_after_arrival(browser, f"http://127.0.0.1:{httpd.server_address[1]}/") for _ in range(runs)]
            finally:
                browser.close()
    finally:
        httpd.shutdown()


def measure_title_change(corpus: Path, runs: int) -> tuple[float, list[float]]:
    """Seconds from starting ``handbook serve`` to the first page served; seconds from renaming one
    item (its title is in the nav of every page) to its page being served with the new title."""
    section = corpus / "modules" / "handbooks" / "committee" / "cadres.yml"
    original = section.read_text(encoding="utf-8")
    found = re.search(r"^  - id: ([a-z0-9-]+)\n    title: (.+)$", original, re.M)
    item, title = found.group(1), found.group(2)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/items/{item}/"
    log = tempfile.TemporaryFile()
    start = time.perf_counter()
    server = subprocess.Popen([str(BIN / "handbook"), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=corpus,
                              env=ENV, stdout=log, stderr=log)
    times = []
    try:
        while "<html" not in _get(url):
            if server.poll() is not None or time.perf_counter() - start > 300:
                log.seek(0)
                sys.exit("预览服务器没有启动：\n" + log.read().decode("utf-8", "replace")[-3000:])
            time.sleep(0.05)
        startup = time.perf_counter() - start
        time.sleep(1.0)
        for n in range(runs):
            new = f"{title}（基准测试{n + 1}）"
            changed = original.replace(f"    title: {title}\n", f"    title: {new}\n", 1)
            start = time.perf_counter()
            section.write_text(changed, encoding="utf-8")
            while not re.search(f"<h1[^>]*>{re.escape(new)}", _get(url).replace("\u200b", "")):
                if time.perf_counter() - start > 120:
                    sys.exit("改名后两分钟内页面没有更新。")
                time.sleep(0.01)
            times.append(time.perf_counter() - start)
            time.sleep(8.0)  # let the second pass (the other pages' nav) finish
    finally:
        section.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return startup, times


# --- the table -----------------------------------------------------------------------------------

def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M).group(1)
    except (OSError, AttributeError):
        pass
    memory = ""
    try:
        kib = int(re.search(r"^MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text(), re.M).group(1))
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    from generators.diagrams.render import graphviz_version
    import mkdocs
    import material

    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, MkDocs {mkdocs.__version__}, Material {material.__version__}, "
            f"Graphviz {graphviz_version()} (in-process)")


def fmt(value: float, digits: int = 2) -> str:
    return "–" if value != value else f"{value:.{digits}f}"


def table(scales: list[Scale], extra: dict, runs: int) -> str:
    head = "| | " + " | ".join(f"×{s.factor}" for s in scales) + " | target |"
    rows = [head, "|---|" + "---:|" * len(scales) + "---|"]

    def row(name: str, values: list[str], target: str = "") -> None:
        rows.append(f"| {name} | " + " | ".join(values) + f" | {target} |")

    base = scales[0]  # per-item rows are relative to the smallest corpus measured
    row("work items / pages / diagrams", [f"{s.items} / {s.pages} / {s.diagrams}" for s in scales])
    row("floor: plain `mkdocs build`, s", [fmt(median([x.seconds for x in s.floor]), 1) for s in scales])
    floor = {s.factor: median([x.seconds for x in s.floor]) for s in scales}
    cold = {s.factor: median([x.seconds for x in s.cold]) for s in scales}
    warm = {s.factor: median([x.seconds for x in s.warm]) for s in scales}
    layout = {s.factor: median(s.layout) for s in scales}
    row("cold build ÷ floor", [fmt(cold[s.factor] / floor[s.factor]) for s in scales])
    row("warm build ÷ floor", [fmt(warm[s.factor] / floor[s.factor]) for s in scales], "≤ 1.15")
    row("(cold − floor) ÷ pure layout time", [fmt((cold[s.factor] - floor[s.factor]) / layout[s.factor]) for s in scales], "≤ 1.2")
    row("pure layout time, s", [fmt(layout[s.factor], 1) for s in scales])
    row("`dot` per call ÷ in-process layout",
        [fmt(median(s.processes) / layout[s.factor], 1) if s.processes else "–" for s in scales])
    per_item = {s.factor: warm[s.factor] / s.items for s in scales}
    per_floor = {s.factor: floor[s.factor] / s.items for s in scales}
    row("warm build, time per item ÷ ×1", [fmt(per_item[s.factor] / per_item[base.factor]) for s in scales], "0.85–1.15")
    row("floor, time per item ÷ ×1", [fmt(per_floor[s.factor] / per_floor[base.factor]) for s in scales])
    row("peak memory of a cold build, MiB", [f"{max(x.peak_mib for x in s.cold):.0f}" for s in scales], "< 1024 at ×50")
    row("peak memory of the floor, MiB", [f"{max(x.peak_mib for x in s.floor):.0f}" for s in scales])
    if extra.get("rebuild"):
        row("one-file rebuild (save → page served), s", [fmt(median(extra["rebuild"]))] + ["–"] * (len(scales) - 1), "≤ 1.5")
    if extra.get("title"):
        row("title change (save → page served with the new title), s", [fmt(median(extra["title"]))] + ["–"] * (len(scales) - 1), "≤ 3")
        row("preview start-up (command → first page served), s", [fmt(extra["startup"], 1)] + ["–"] * (len(scales) - 1), "≤ 10")
    if extra.get("search"):
        row("search: index arrival → first result, ms", [f"{median(extra['search']):.0f}"] + ["–"] * (len(scales) - 1), "≤ 1000")
    if extra.get("print"):
        typst = extra["print"]["engines"]["Typst"]
        row("print editions cold (Typst), s", [fmt(median([x.seconds for x in typst["cold_all"]]), 1)] + ["–"] * (len(scales) - 1), "≤ 20")
        row("print editions warm (Typst), s", [fmt(median([x.seconds for x in typst["warm"]]))] + ["–"] * (len(scales) - 1), "≤ 2")
    note = (f"Medians of {runs} runs per row (×50: {extra['runs_large']}); absolute times for the floor, layout, rebuild and print. "
            f"Measured {time.strftime('%Y-%m-%d')} on: {machine()}.")
    if extra.get("dot"):
        note += f" `dot`: {extra['dot']}."
    return "\n".join(rows) + "\n\n" + note + "\n"


# --- print: Typst beside the previous WeasyPrint path -----------------------------------------------

PRINT_MARKERS = ("<!-- bench-print:start -->", "<!-- bench-print:end -->")
PREVIEW_MARKERS = ("<!-- bench-preview:start -->", "<!-- bench-preview:end -->")


def weasyprint_source(work: Path) -> Path | None:
    """The last revision whose print path used WeasyPrint, unpacked whole (its code with the content it was
    written for, since the model has moved on since); None when WeasyPrint is not installed."""
    try:
        import weasyprint  # noqa: F401
        import markdown  # noqa: F401
    except ImportError:
        return None
    rev = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%H", "-S", "import weasyprint", "--",
                          "generators/print/render.py"], capture_output=True, text=True).stdout.strip()
    if not rev:
        return None
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", f"{rev}^"], capture_output=True, text=True).stdout.strip()
    target = work / f"weasyprint-{rev[:10]}-tree"
    if not target.is_dir():
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def measure_print(base: Path, work: Path, runs: int) -> dict:
    """Cold (no cache at all) and warm times of all editions and of one, per engine."""
    from generators.model import load_model

    model = load_model(base)
    one = next(iter(e.id for e in model.editions.values() if e.branch_type), next(iter(model.editions)))
    engines = {"Typst": ([str(BIN / "handbook")], ENV, base)}
    old = weasyprint_source(work)
    if old is not None:
        launcher = "import sys; from generators.cli import main; sys.exit(main())"
        engines["WeasyPrint"] = ([sys.executable, "-c", launcher], {**ENV, "PYTHONPATH": str(old)}, old)
    else:
        progress("WeasyPrint 未安装：只测 Typst（pip install weasyprint markdown 后可对比）。")
    results: dict = {"one": one, "engines": {}}
    for name, (cmd, env, base) in engines.items():
        out = str(work / f"print-{name.lower()}")
        cold_all, cold_one, warm = [], [], []
        for n in range(runs):
            progress(f"print, {name}, run {n + 1}/{runs}")
            shutil.rmtree(base / ".cache", ignore_errors=True)
            cold_all.append(run(cmd + ["print", "--all", "--out", out], base, env))
            warm.append(run(cmd + ["print", "--all", "--out", out], base, env))
            shutil.rmtree(base / ".cache", ignore_errors=True)
            cold_one.append(run(cmd + ["print", "--edition", one, "--out", out], base, env))
        pages = sum(int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(p)], capture_output=True, text=True).stdout).group(1))
                    for p in Path(out).glob("*.pdf")) if shutil.which("pdfinfo") else 0
        results["engines"][name] = {"cold_all": cold_all, "cold_one": cold_one, "warm": warm, "pages": pages}
    return results


def preview_table(startup: float, titles: list[float], rebuilds: list[float]) -> str:
    def each(values: list[float]) -> str:
        return ", ".join(fmt(v) for v in values)

    rows = ["| preview (`handbook serve`, ×1) | median, s | each run, s | target |", "|---|---:|---:|---:|",
            f"| start-up, no cache (command → first page served) | {fmt(startup, 1)} | – | ≤ 10 |",
            f"| title change (save → page with the new title) | {fmt(median(titles))} | {each(titles)} | ≤ 3 |",
            f"| one-file rebuild (save → changed page served) | {fmt(median(rebuilds))} | {each(rebuilds)} | ≤ 1.5 |"]
    return ("\n".join(rows) + f"\n\nMeasured {time.strftime('%Y-%m-%d')} with `bench.py --preview-only` on: {machine()}.\n")


def print_table(results: dict, runs: int) -> str:
    rows = ["| engine | pages, all editions | all editions cold, s (CPU s) | pages per s | one edition cold, s (CPU s) | "
            "all editions warm, s |",
            "|---|---:|---:|---:|---:|---:|"]
    for name, r in results["engines"].items():
        def cell(samples: list[Sample]) -> str:
            return f"{fmt(median([x.seconds for x in samples]), 1)} ({fmt(median([x.cpu for x in samples]), 1)})"
        rate = r["pages"] / median([x.seconds for x in r["cold_all"]])
        rows.append(f"| {name} | {r['pages']} | {cell(r['cold_all'])} | {fmt(rate, 0)} | {cell(r['cold_one'])} | "
                    f"{fmt(median([x.seconds for x in r['warm']]))} |")
    rows.append("| target | | ≤ 20 | | ≤ 4 | unchanged |")
    return ("\n".join(rows) + f"\n\nMedians of {runs} runs; cold means no `.cache/` at all (diagrams included); one edition is "
            f"`{results['one']}`. WeasyPrint runs the last revision that had it on that revision's own content (the model has "
            f"changed since), so compare pages per second. CPU is user + system time of the command and its workers, which the machine's other load "
            f"does not inflate. Measured {time.strftime('%Y-%m-%d')} on: {machine()}.\n")


def write_readme(text: str, markers: tuple[str, str] = MARKERS) -> None:
    readme = HERE / "README.md"
    current = readme.read_text(encoding="utf-8")
    start, end = markers
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1]
        readme.write_text(f"{before}{start}\n{text}{end}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="handbook benchmarks")
    parser.add_argument("--scales", default="1,10,50", help="corpus sizes, comma-separated (default 1,10,50)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--runs-large", type=int, default=2, help="runs per measurement at ×50 and above (default 2)")
    parser.add_argument("--work", default=str(ROOT / ".bench"), help="scratch folder (default .bench/)")
    parser.add_argument("--no-readme", action="store_true", help="print the table only")
    parser.add_argument("--print-only", action="store_true", help="only the print rows (Typst beside WeasyPrint)")
    parser.add_argument("--preview-only", action="store_true",
                        help="only the preview rows (start-up with no cache, title change, one-file rebuild) on ×1")
    parser.add_argument("--search-only", action="store_true", help="only the search timing, in Chromium, on ×1")
    parser.add_argument("--layout-of", help=argparse.SUPPRESS)  # internal: measure layout in a fresh process
    parser.add_argument("--dot", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.layout_of:
        print(json.dumps(measure_layout(Path(args.layout_of), args.dot)))
        return 0

    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    if args.search_only:
        site = work / "x1-site"
        subprocess.run([str(BIN / "handbook"), "build", "--no-print", "--site-dir", str(site)],
                       cwd=scaled_copy(ROOT, work / "x1", 1), env=ENV, check=True, capture_output=True)
        answers = measure_search(site, args.runs)
        print(f"search: index arrival → first result, ms: median {median(answers):.0f} of {', '.join(f'{a:.0f}' for a in answers)}")
        return 0
    if args.preview_only:
        base = scaled_copy(ROOT, work / "x1", 1)
        shutil.rmtree(base / ".cache", ignore_errors=True)  # start-up with nothing cached, as on a fresh clone
        startup, titles = measure_title_change(base, max(args.runs, 3))
        rebuilds = measure_rebuild(base, max(args.runs, 5))
        text = preview_table(startup, titles, rebuilds)
        print(text)
        if not args.no_readme:
            write_readme(text, PREVIEW_MARKERS)
        return 0
    if args.print_only:
        base = scaled_copy(ROOT, work / "x1", 1)
        text = print_table(measure_print(base, work, args.runs), args.runs)
        print(text)
        if not args.no_readme:
            write_readme(text, PRINT_MARKERS)
        return 0
    dot = shutil.which("dot")
    dot_version = ""
    if dot:
        dot_version = subprocess.run([dot, "-V"], capture_output=True, text=True).stderr.strip()
    else:
        progress("没有找到系统的 dot 命令（apt-get install graphviz），跳过“每次调用一个 dot 进程”的对比。")

    scales: list[Scale] = []
    handbook = str(BIN / "handbook")
    for factor in (int(f) for f in args.scales.split(",")):
        runs = args.runs if factor < 50 else args.runs_large
        scale = Scale(factor, scaled_copy(ROOT, work / f"x{factor}", factor))
        progress(f"×{factor}: corpus ready, writing the floor's Markdown")
        floor_config = prepare_floor(scale, work)
        site = str(work / f"x{factor}-site")
        caches = scale.corpus / ".cache"
        for n in range(runs):
            progress(f"×{factor} run {n + 1}/{runs}: floor, cold, warm, layout")
            scale.floor.append(run([str(BIN / "mkdocs"), "build", "-q", "-f", str(floor_config)], ROOT))
            shutil.rmtree(caches, ignore_errors=True)  # cold: no diagram, calendar or print cache
            scale.cold.append(run([handbook, "build", "--no-print", "--site-dir", site], scale.corpus))
            scale.warm.append(run([handbook, "build", "--no-print", "--site-dir", site], scale.corpus))
            measured = json.loads(subprocess.run(
                [sys.executable, __file__, "--layout-of", str(scale.corpus)] + (["--dot", dot] if dot and n == 0 else []),
                capture_output=True, text=True, env=ENV, check=True).stdout)
            scale.diagrams = measured["diagrams"]
            scale.layout.append(measured["inprocess"])
            if measured["processes"] is not None:
                scale.processes.append(measured["processes"])
        scales.append(scale)

    extra: dict = {"runs_large": args.runs_large, "dot": dot_version}
    if scales[0].factor == 1:  # the rows measured on the reference content itself
        base = scales[0].corpus
        progress("one-file rebuild through handbook serve")
        extra["rebuild"] = measure_rebuild(base, max(args.runs, 5))
        progress("title change and start-up of handbook serve")
        extra["startup"], extra["title"] = measure_title_change(base, max(args.runs, 3))
        if Path("/usr/bin/chromium").exists():
            progress("search: index arrival → first result, in Chromium")
            extra["search"] = measure_search(work / "x1-site", max(args.runs, 5))
        extra["print"] = measure_print(base, work, args.runs)

    text = table(scales, extra, args.runs)
    print(text)
    if extra.get("print"):
        print(print_table(extra["print"], args.runs))
    if not args.no_readme:
        write_readme(text)
        if extra.get("print"):
            write_readme(print_table(extra["print"], args.runs), PRINT_MARKERS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
