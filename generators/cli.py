"""The ``handbook`` command. It speaks Chinese; exit 0 clean, 1 content errors, 2 usage errors."""

from __future__ import annotations

import argparse
import logging
import difflib
import os
import sys
import traceback
from pathlib import Path
from typing import Sequence

from . import __version__
from .confine import source_line_reader
from .sourcedate import pin_source_date
from .errors import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, ContentError, HandbookError
from .model import load_model
from .model.project import FILE_CLASSES, yaml_files

EXIT_INTERNAL = 3
# MkDocs and Material print an English banner about their successor on every run; it says
# nothing to our users, so keep it out of their terminal.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# Workaround: argparse has no translations of its own words, but looks each one up
# through the module-level gettext alias ``argparse._``; answer those look-ups in Chinese.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 必须给出其中一个",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
}
argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # noqa: D102 - argparse API
        hint = ""
        if "无效的选择" in message and self._subparsers is not None:
            wrong = message.split("'")[1] if "'" in message else ""
            choices = [a for action in self._subparsers._group_actions for a in getattr(action, "choices", {}) or {}]
            close = difflib.get_close_matches(wrong, choices, n=1)
            if close:
                hint = f"\n提示：您是否想写 `{close[0]}`？"
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：错误：{message}{hint}\n")


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve()


def cmd_validate(args: argparse.Namespace) -> int:
    root = _root(args)
    try:
        model = load_model(root)
    except ContentError as exc:
        if args.format == "json":
            print(exc.to_json())
        else:
            print(exc.render(source_line_reader(root)), file=sys.stderr)
        return EXIT_CONTENT
    if args.format == "json":
        print("[]")
    else:
        print(f"检查通过：{len(yaml_files(root))} 个文件，{len(model.handbooks)} 本手册，{len(model.items)} 个工作事项，没有发现错误。")
        from .model.editor_schema import stale_schemas

        if stale_schemas(model):
            print("提示：编辑器中可选的角色、文件、记录表等列表已与内容不一致，请运行 handbook schema --write 更新。")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export_json

    sys.stdout.write(export_json(load_model(_root(args))))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .model import editor_schema

    if args.write or args.check or args.kind:
        # The schemas list the content's ids and names for the editor to pick from.
        model = load_model(_root(args))
    if args.write:
        for path in editor_schema.write_schemas(model):
            print(f"已写入 {path}")
        print(f"已更新 {editor_schema.write_vscode_settings(_root(args))}")
        return EXIT_OK
    if args.check:
        stale = editor_schema.stale_schemas(model)
        for path in stale:
            print(f"过期：{path}（请运行 handbook schema --write）", file=sys.stderr)
        return EXIT_CONTENT if stale else EXIT_OK
    if args.kind:
        sys.stdout.write(editor_schema.schema_text(args.kind, model))
        return EXIT_OK
    from .model.project import FILE_GLOBS

    print("各类内容文件及其 JSON Schema（用 handbook schema 类别 输出某一类）：")
    for kind in FILE_CLASSES:
        print(f"  {kind:<12} {editor_schema.KIND_TITLES[kind]}：{'、'.join(FILE_GLOBS[kind])}")
    return EXIT_OK


def cmd_new_item(args: argparse.Namespace) -> int:
    from .scaffold import new_item

    root = _root(args)
    added = new_item(root, args.section, args.id, title=args.title, owner=args.owner)
    print(f"已在 {added.file} 第 {added.line} 行添加工作事项 `{args.id}`。请按注释填写各项内容，再运行 handbook validate 检查。")
    if added.placeholders:
        read = source_line_reader(root)
        print(f"\n还有 {len(added.placeholders)} 处“【请填写：…】”要改写（改写前检查不会通过）：")
        for d in added.placeholders:
            print(f"  {d.file}:{d.line}: {(read(d.file, d.line) or '').strip()}")
    return EXIT_OK


def cmd_fmt(args: argparse.Namespace) -> int:
    from .fix import planned, rewrite

    root = _root(args)
    rewrites = planned(root)
    for r in rewrites:
        print(f"{r.file}:{r.line}:{r.column}: {r.name} → {r.ident}")
    if not rewrites:
        print("没有需要改写的名称：引用处写的都是标识。")
        return EXIT_OK
    if args.check:
        print(f"共 {len(rewrites)} 处引用写的是名称（可以保留；运行 handbook fmt 改写为标识）。")
        return EXIT_CONTENT
    rewrite(root, rewrites)
    print(f"已把 {len(rewrites)} 处名称改写为标识，文件中的其他内容和注释保持不变。")
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from .site.build import build_markdown, build_site

    root = _root(args)
    if args.markdown_out:
        target = build_markdown(root, Path(args.markdown_out))
        print(f"已生成 Markdown 和 SVG：{target}")
        return EXIT_OK
    target = build_site(root, Path(args.site_dir) if args.site_dir else None, print_editions=not args.no_print,
                        for_editors=args.for_editors)
    print(f"站点已生成：{target / 'index.html'}")
    return EXIT_OK


def cmd_print(args: argparse.Namespace) -> int:
    from .diagrams import cache_for
    from .errors import UsageError
    from .model.shape import suggest
    from .print.render import print_editions

    root = _root(args)
    model = load_model(root)
    if args.record_book or args.wall_chart:
        return _print_yearly(args, model, root)
    if not model.editions:
        raise UsageError("modules/editions.yml 中没有印刷版。")
    only = None
    if args.edition:
        if args.edition not in model.editions:
            raise UsageError(f"找不到印刷版 `{args.edition}`。{suggest(args.edition, list(model.editions))}")
        only = [args.edition]
    out = Path(args.out) if args.out else root / "site" / "print"
    for printed in print_editions(model, cache_for(model), only=only, out_dir=out):
        state = "已排版" if printed.rebuilt else "未变化，沿用上次排版"
        print(f"{out / printed.filename}：{printed.title} {printed.subtitle}，{printed.pages} 页（{state}）")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from .errors import UsageError
    from .model.compare import compare, revision_info
    from .model.revisions import load_revision, resolve
    from .model.shape import suggest

    root = _root(args)
    old_rev, new_rev = resolve(root, args.old), resolve(root, args.new)
    old, new = load_revision(root, old_rev), load_revision(root, new_rev)
    comparison = compare(old, new, revision_info(old_rev, old), revision_info(new_rev, new))
    if args.branch_type:
        if args.branch_type not in comparison.branch_types:
            raise UsageError(f"找不到支部类型 `{args.branch_type}`。{suggest(args.branch_type, list(comparison.branch_types))}")
        comparison = comparison.for_branch_type(args.branch_type)
    if args.format == "pdf":
        from .print.comparison import print_comparison

        target = Path(args.out or f"修订对照表-{old_rev.short or 'worktree'}-{new_rev.short or 'worktree'}.pdf")
        print_comparison(comparison, new.site, target.resolve(), root=root)
        print(f"已生成 {target}")
        return EXIT_OK
    if args.format == "json":
        text = comparison.model_dump_json(indent=2) + "\n"
    elif args.format == "markdown":
        from .pages.build import PageBuilder

        builder = PageBuilder(new, {}, {})
        builder.comparison_page("revisions/index.md", "修订对照表", comparison, [], [])
        text = builder.pages["revisions/index.md"].markdown
    else:
        from .difftext import comparison_text

        text = comparison_text(comparison)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"已写入 {args.out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _print_yearly(args: argparse.Namespace, model, root: Path) -> int:
    """``--record-book TYPE`` / ``--wall-chart LEVEL`` for ``--year`` (the edition year by default)."""
    import shutil

    from .documents.build import make_documents
    from .errors import UsageError
    from .model.shape import suggest

    year = args.year or model.site.edition_year
    if not 2000 <= year <= 2100:
        raise UsageError(f"年份 {year} 不在 2000—2100 之间。")
    if args.record_book:
        if args.record_book not in model.branch_types:
            raise UsageError(f"找不到支部类型 `{args.record_book}`。{suggest(args.record_book, list(model.branch_types))}")
        kind, wanted = "record-book", f"record-book-{args.record_book}-{year}.pdf"
    else:
        known = ["committee", *model.branch_types]
        if args.wall_chart not in known:
            raise UsageError(f"找不到挂图层级 `{args.wall_chart}`（committee 为党委，其余为支部类型）。{suggest(args.wall_chart, known)}")
        kind, wanted = "wall-chart", f"wall-chart-{args.wall_chart}-{year}.pdf"
    made = [m for m in make_documents(model, year, only={kind}, select=wanted) if m.rel.endswith("/" + wanted)]
    for m in made:
        # By default where the site keeps it (site/downloads/…).
        out = Path(args.out) if args.out else root / "site" / Path(m.rel).parent
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(m.source, out / wanted)
        print(f"{out / wanted}：{m.title}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    root = _root(args)
    load_model(root, keep=True)  # report content errors in Chinese before the server starts (parsed once)
    # Show what the server does, and above all why a rebuild failed: MkDocs only logs it.
    from .site.console import ChineseConsole

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(ChineseConsole())
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    print(f"预览地址：http://{args.dev_addr}/　保存 modules/、diagrams/ 或 content/ 中的文件后页面自动刷新；"
          "内容有错误时，每个页面上方都会显示错误说明（这里也会列出）。按 Ctrl+C 停止。", file=sys.stderr, flush=True)
    # Dirty rebuilds: the handbook plugin tells MkDocs which pages changed, so saving one file
    # rebuilds only the pages it shows on (every page when the navigation changed).
    serve(config_file=str(root / "mkdocs.yml"), dev_addr=args.dev_addr, livereload=True, build_type="dirty")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=os.getcwd(), metavar="目录", help="项目目录（含 modules/ 的目录），默认为当前目录")

    parser = _Parser(prog="handbook", description="党建标准化工作手册：检查内容、导出数据、生成站点和印刷版。")
    # argparse's own help for --version is a default argument, out of reach of the translation above.
    parser.add_argument("--version", action="version", version=f"handbook {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("validate", parents=[common], help="检查 modules/ 下的全部内容", description="检查 modules/ 下的全部内容，列出所有错误（文件、行、列和修改提示）。退出码：0 无错误，1 内容有错误，2 用法错误。")
    p.add_argument("--format", choices=["text", "json"], default="text", help="输出格式：text（文字，默认）或 json")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("export", parents=[common], help="把全部内容导出为 JSON", description="检查内容后，把全部内容以 JSON 输出到标准输出（含 schema_version，键按字母排序）。")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("schema", parents=[common], help="输出编辑器使用的 JSON Schema", description="输出各类内容文件的 JSON Schema，编辑器据此自动补全和检查。")
    p.add_argument("kind", nargs="?", choices=list(FILE_CLASSES), metavar="类别", help="文件类别：" + "、".join(FILE_CLASSES))
    p.add_argument("--write", action="store_true", help="重新生成 generators/schemas/ 下的全部 Schema 文件")
    p.add_argument("--check", action="store_true", help="检查 Schema 文件是否与模型一致")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("fmt", parents=[common], help="把引用处写的中文名称改写为标识", description="引用角色、依据文件、手册部分、记录表、术语或支部类型时可以写中文名称；本命令把这些名称改写为对应的标识，文件中的其他内容、注释和排版保持不变。")
    p.add_argument("--check", action="store_true", help="只列出写了名称的地方，不修改文件（有则退出码为 1）")
    p.set_defaults(run=cmd_fmt)

    p = sub.add_parser("build", parents=[common], help="生成站点（先在别处生成，成功后再替换 site/）", description="检查内容、画图、生成站点。生成失败时原有的 site/ 保持不变。")
    p.add_argument("--site-dir", metavar="目录", help="站点输出目录，默认为 site/")
    p.add_argument("--markdown-out", metavar="目录", help="只输出 Markdown 页面和 SVG 图（供其他 Markdown 站点工具使用）")
    p.add_argument("--no-print", action="store_true", help="不排版印刷版 PDF（更快）")
    p.add_argument("--for-editors", action="store_true", help="供编辑者使用：每页显示“编辑此页”按钮和内容来源（给读者的站点不显示）")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("print", parents=[common], help="排版印刷版 PDF", description="按 modules/editions.yml 排版印刷版 PDF，或排某一年度的党支部工作手册和工作挂图；内容未变的不重新排版。")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--edition", metavar="标识", help="只排这一本印刷版")
    group.add_argument("--all", action="store_true", help="排全部印刷版")
    group.add_argument("--record-book", metavar="支部类型", help="排这一类型党支部的年度工作手册（党支部工作手册）")
    group.add_argument("--wall-chart", metavar="层级", help="排年度工作挂图：committee（党委）或支部类型的标识")
    p.add_argument("--year", type=int, metavar="年份", help="工作手册和挂图的年度，默认为版次年份")
    p.add_argument("--out", metavar="目录", help="PDF 输出目录，默认为 site/print/")
    p.set_defaults(run=cmd_print)

    p = sub.add_parser("diff", parents=[common], help="两个版本之间的修订对照表", description="比较两个版本（git 提交号、分支、标签，或 WORKTREE 表示工作区）的手册内容：逐个手册、部分、工作事项、字段和流程步骤列出新增、删除、修改和移动，改动的词语标出。不会切换或改动工作区的文件。")
    p.add_argument("old", metavar="旧版本", help="原版本，如 v2026、HEAD~3 或提交号")
    p.add_argument("new", metavar="新版本", nargs="?", default="WORKTREE", help="修订后的版本，默认为 WORKTREE（工作区的当前内容）")
    p.add_argument("--format", choices=["text", "markdown", "json", "pdf"], default="text", help="输出格式：text（文字，默认）、markdown、json 或 pdf")
    p.add_argument("--branch-type", metavar="类型标识", help="只列适用于这一支部类型的修订，如 project")
    p.add_argument("--out", metavar="文件", help="写入文件（pdf 格式默认写到当前目录）")
    p.set_defaults(run=cmd_diff)

    p = sub.add_parser("serve", parents=[common], help="实时预览：保存 YAML 后页面自动刷新", description="启动本地预览服务器；modules/、diagrams/ 和 content/ 中的文件保存后自动重新生成。")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="地址:端口", help="预览地址，默认 127.0.0.1:8000")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("new", help="新建内容（目前支持 item：工作事项）", description="按模板新建内容。")
    new_sub = p.add_subparsers(dest="what", metavar="类别", parser_class=_Parser)
    new_sub.required = True
    q = new_sub.add_parser("item", parents=[common], help="在某个手册部分中添加一个工作事项模板", description="在手册部分文件的 items 末尾添加一个带注释的工作事项模板，文件中其他内容和注释保持不变。")
    q.add_argument("--section", required=True, metavar="部分", help="手册部分的名称（如 组织管理）或标识（文件名，不含 .yml）")
    q.add_argument("--id", required=True, metavar="事项标识", help="新事项的标识：小写英文字母、数字和连字符")
    q.add_argument("--title", metavar="名称", help="事项名称（可稍后修改）")
    q.add_argument("--owner", metavar="角色", help="责任主体：角色的名称（如 党支部书记）、别称或标识；默认为这个部分中最常见的责任主体")
    q.set_defaults(run=cmd_new_item)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    pin_source_date(Path(getattr(args, "root", os.getcwd())).resolve())
    try:
        return args.run(args)
    except ContentError as exc:
        print(exc.render(source_line_reader(_root(args))), file=sys.stderr)
        return exc.exit_code
    except HandbookError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"错误：无法读写文件（{exc}）。", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours, not the editor's: say so, keep details for maintainers
        if os.environ.get("HANDBOOK_DEBUG"):
            traceback.print_exc()
        print(f"程序内部错误（{type(exc).__name__}: {exc}）。这不是内容的问题；请把这段信息和所运行的命令发给维护人员（设置环境变量 HANDBOOK_DEBUG=1 可看到详细信息）。", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
