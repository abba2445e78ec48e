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
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export_json

    sys.stdout.write(export_json(load_model(_root(args))))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .model import editor_schema

    if args.write:
        for path in editor_schema.write_schemas():
            print(f"已写入 {path}")
        print(f"已更新 {editor_schema.write_vscode_settings(_root(args))}")
        return EXIT_OK
    if args.check:
        stale = editor_schema.stale_schemas()
        for path in stale:
            print(f"过期：{path}（请运行 handbook schema --write）", file=sys.stderr)
        return EXIT_CONTENT if stale else EXIT_OK
    if args.kind:
        sys.stdout.write(editor_schema.schema_text(args.kind))
        return EXIT_OK
    from .model.project import FILE_GLOBS

    print("各类内容文件及其 JSON Schema（用 handbook schema 类别 输出某一类）：")
    for kind in FILE_CLASSES:
        print(f"  {kind:<12} {editor_schema.KIND_TITLES[kind]}：{'、'.join(FILE_GLOBS[kind])}")
    return EXIT_OK


def cmd_new_item(args: argparse.Namespace) -> int:
    from .scaffold import new_item

    added = new_item(_root(args), args.section, args.id, title=args.title, owner=args.owner)
    print(f"已在 {added.file} 第 {added.line} 行添加工作事项 `{args.id}`。请按注释填写各项内容，再运行 handbook validate 检查。")
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


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    root = _root(args)
    load_model(root)  # report content errors in Chinese before the server starts
    # Show what the server does, and above all why a rebuild failed: MkDocs only logs it.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    print(f"预览地址：http://{args.dev_addr}/　保存 modules/、diagrams/ 或 content/ 中的文件后页面自动刷新；"
          "内容有错误时，错误说明显示在这里，页面停在上一次的结果。按 Ctrl+C 停止。", file=sys.stderr, flush=True)
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

    p = sub.add_parser("build", parents=[common], help="生成站点（先在别处生成，成功后再替换 site/）", description="检查内容、画图、生成站点。生成失败时原有的 site/ 保持不变。")
    p.add_argument("--site-dir", metavar="目录", help="站点输出目录，默认为 site/")
    p.add_argument("--markdown-out", metavar="目录", help="只输出 Markdown 页面和 SVG 图（供其他 Markdown 站点工具使用）")
    p.add_argument("--no-print", action="store_true", help="不排版印刷版 PDF（更快）")
    p.add_argument("--for-editors", action="store_true", help="供编辑者使用：每页显示“编辑此页”按钮和内容来源（给读者的站点不显示）")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("print", parents=[common], help="排版印刷版 PDF", description="按 modules/editions.yml 排版印刷版 PDF；内容未变的印刷版不重新排版。")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--edition", metavar="标识", help="只排这一本印刷版")
    group.add_argument("--all", action="store_true", help="排全部印刷版")
    p.add_argument("--out", metavar="目录", help="PDF 输出目录，默认为 site/print/")
    p.set_defaults(run=cmd_print)

    p = sub.add_parser("serve", parents=[common], help="实时预览：保存 YAML 后页面自动刷新", description="启动本地预览服务器；modules/、diagrams/ 和 content/ 中的文件保存后自动重新生成。")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="地址:端口", help="预览地址，默认 127.0.0.1:8000")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("new", help="新建内容（目前支持 item：工作事项）", description="按模板新建内容。")
    new_sub = p.add_subparsers(dest="what", metavar="类别", parser_class=_Parser)
    new_sub.required = True
    q = new_sub.add_parser("item", parents=[common], help="在某个手册部分中添加一个工作事项模板", description="在手册部分文件的 items 末尾添加一个带注释的工作事项模板，文件中其他内容和注释保持不变。")
    q.add_argument("--section", required=True, metavar="部分标识", help="手册部分的标识（即文件名，不含 .yml）")
    q.add_argument("--id", required=True, metavar="事项标识", help="新事项的标识：小写英文字母、数字和连字符")
    q.add_argument("--title", metavar="名称", help="事项名称（可稍后修改）")
    q.add_argument("--owner", metavar="角色标识", help="责任主体的角色标识，默认为角色清单中的第一个")
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
