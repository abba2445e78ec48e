"""Read one YAML file safely and keep the source position of every node.

The loader never constructs Python objects from tags, rejects duplicate keys
(PyYAML would silently keep the last one), bounds the size of the file and
the number of nodes an alias can expand to, and explains the mistakes editors
make most (GBK files, tabs, full-width colons and spaces) before YAML itself
gets confused by them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from ..errors import Collector, diagnostic
from .hints import explain_syntax

try:  # the libyaml parser is several times faster; the pure one behaves the same
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml is in the PyYAML wheels
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

LogicalPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_ALLOWED_TAGS = _SCALAR_TAGS | {f"{_TAG}map", f"{_TAG}seq"}

_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_FULLWIDTH_COLON = re.compile(rf"^(\s*(?:-\s+)?)({_KEY})\s*：")
_FULLWIDTH_SPACE_AFTER = re.compile(rf"^(\s*(?:-\s+)?(?:{_KEY}:|-))\u3000")
_BLOCK_SCALAR = re.compile(r"(?:^|[\s:])[|>][+-]?[1-9]?\s*(?:#.*)?$")

# PyYAML's problems, in the words an editor understands.
_PROBLEMS = {
    "mapping values are not allowed": "这里不能出现“字段: 值”（常见原因：缩进与上一行不一致；或值里含有冒号加空格，需要给整段文字加引号）",
    "could not find expected ':'": "缺少冒号“:”（字段名后要写半角冒号和空格）",
    "did not find expected key": "这里应是一个字段，但缩进或格式不对",
    "did not find expected '-' indicator": "列表项应以“- ”开头，且与上一项对齐",
    "found unexpected end of stream": "文件意外结束（可能有引号没有成对）",
    "found undefined alias": "引用了不存在的锚点",
    "found duplicate anchor": "锚点名称重复",
    "expected a single document in the stream": "一个文件只能有一篇内容（请删除多余的 `---` 分隔行）",
    "found character that cannot start any token": "这个字符不能出现在这里",
    "found unknown escape character": "双引号里的反斜杠“\\”后跟了不认识的字符（请改用单引号，或写成 \\\\）",
    "found a tab character that violates indentation": "用制表符（Tab）缩进了",
    "found unexpected ':'": "多余的冒号",
    "found control characters": "文件里有不可显示的控制字符",
    "special characters are not allowed": "文件里有不允许的特殊字符",
    "expected <block end>, but found": "缩进没有对齐",
    "expected ',' or ']'": "方括号列表没有正确结束",
    "expected ',' or '}'": "花括号内容没有正确结束",
    "while scanning a quoted scalar": "引号没有成对",
}


@dataclass(frozen=True)
class Mark:
    """A 1-based line and column in a source file."""

    line: int
    column: int


@dataclass
class SourceFile:
    """One YAML file: its text, its data as plain Python values, and where each value came from."""

    path: Path
    rel: str
    text: str
    data: Any = None
    positions: dict[LogicalPath, Mark] = field(default_factory=dict)
    key_positions: dict[LogicalPath, Mark] = field(default_factory=dict)
    # False when the file had a mistake that still left readable data (a duplicate key):
    # its shape is checked so every mistake is reported, but it never enters the model.
    clean: bool = True

    def mark(self, path: LogicalPath, *, key: bool = False) -> Mark:
        """Where ``path`` is written; the nearest written ancestor when it is absent."""
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), Mark(1, 1))

    def line(self, number: int) -> str | None:
        lines = self.text.splitlines()
        return lines[number - 1] if 0 < number <= len(lines) else None


def format_path(path: LogicalPath) -> str:
    """``("items", 3, "procedure")`` → ``items[3].procedure``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _TooComplex(Exception):
    pass


def load_source(path: Path, rel: str, errors: Collector) -> SourceFile | None:
    """Read ``path``; on any mistake add diagnostics to ``errors`` and return ``None``."""
    here = {"file": rel}
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            errors.add(diagnostic("too-large", line=1, column=1, size=_size(size), limit=_size(MAX_FILE_BYTES), **here))
            return None
        raw = path.read_bytes()
    except OSError as exc:
        errors.add(diagnostic("unreadable", line=1, column=1, reason=exc.strerror or str(exc), **here))
        return None

    text = _decode(raw, rel, errors)
    if text is None:
        return None
    source = SourceFile(path=path, rel=rel, text=text)
    before = len(errors.items)
    _scan_lexical(source, errors)
    if len(errors.items) > before:
        return None

    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        errors.add(_syntax_error(exc, source))
        return None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a position too
        mark = getattr(exc, "position", None)
        line = text.count("\n", 0, mark) + 1 if isinstance(mark, int) else 1
        errors.add(diagnostic("yaml-syntax", line=line, column=1, problem=_translate(str(exc)), **here))
        return None

    if node is None:
        errors.add(diagnostic("empty-file", line=1, column=1, **here))
        return None
    builder = _Builder(source, errors)
    try:
        source.data = builder.build(node, ())
    except _TooComplex as exc:
        errors.add(diagnostic("too-complex", line=node.start_mark.line + 1, column=1, reason=str(exc), **here))
        return None
    if builder.failed:
        return None
    source.clean = not builder.duplicates
    return source


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _decode(raw: bytes, rel: str, errors: Collector) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = exc.start
    line_start = raw.rfind(b"\n", 0, pos) + 1
    line = raw.count(b"\n", 0, pos) + 1
    column = len(raw[line_start:pos].decode("utf-8", "replace")) + 1
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        guess = "，看起来是 UTF-16 编码"
        line, column = 1, 1
    else:
        try:
            raw.decode("gb18030")
            guess = "，看起来是 GBK/GB18030 编码（Windows 中文系统的默认编码）"
        except UnicodeDecodeError:
            guess = "，无法识别其编码"
    errors.add(diagnostic("encoding", file=rel, line=line, column=column, guess=guess))
    return None


def _scan_lexical(source: SourceFile, errors: Collector) -> None:
    """Find tabs, full-width colons and full-width spaces where YAML needs ASCII.

    YAML would either reject these with an obscure message or, worse, accept
    ``title：三会一课`` as one string. Block scalar bodies (after ``|`` or
    ``>``) are prose and are not scanned.
    """
    block_indent: int | None = None
    for number, line in enumerate(source.text.splitlines(), start=1):
        stripped = line.lstrip(" \t\u3000")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped or indent > block_indent:
                continue
            block_indent = None
        if not stripped or stripped.startswith("#"):
            continue
        here = {"file": source.rel, "line": number}
        lead = line[:indent]
        if "\t" in lead:
            errors.add(diagnostic("tab-indent", column=lead.index("\t") + 1, **here))
            continue
        if "\u3000" in lead:
            errors.add(diagnostic("fullwidth-space", column=lead.index("\u3000") + 1, **here))
            continue
        if m := _FULLWIDTH_COLON.match(line):
            errors.add(diagnostic("fullwidth-colon", column=line.index("：", m.end(2)) + 1, key=m.group(2), **here))
            continue
        if m := _FULLWIDTH_SPACE_AFTER.match(line):
            errors.add(diagnostic("fullwidth-space", column=m.end(), **here))
            continue
        if _BLOCK_SCALAR.search(line.split(" #")[0] if " #" in line else line):
            block_indent = indent


def _translate(problem: str) -> str:
    for english, chinese in _PROBLEMS.items():
        if english in problem:
            return chinese
    return f"无法解析（{problem}）"


def _syntax_error(exc: yaml.MarkedYAMLError, source: SourceFile):
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and "quoted scalar" in (exc.context or ""):
        mark = exc.context_mark  # where the unclosed quote opens, not the end of the file
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    problem = exc.problem or exc.context or ""
    text_line = source.line(line) or ""
    if column - 1 < len(text_line) and text_line[column - 1] == "\t":
        return diagnostic("tab-indent", file=source.rel, line=line, column=column)
    hinted = explain_syntax(source.rel, source.text, line, column, problem)
    if hinted is not None:
        return hinted
    return diagnostic("yaml-syntax", file=source.rel, line=line, column=column, problem=_translate(problem))


class _Builder:
    """Turns a composed node tree into plain values, recording positions and mistakes."""

    def __init__(self, source: SourceFile, errors: Collector):
        self.source = source
        self.errors = errors
        self.budget = MAX_NODES
        self.failed = False
        self.duplicates = False
        self.scalars = SafeConstructor()

    def _mark(self, node: yaml.Node) -> Mark:
        return Mark(node.start_mark.line + 1, node.start_mark.column + 1)

    def _fail(self, name: str, node: yaml.Node, path: LogicalPath, **fields: object) -> None:
        mark = self._mark(node)
        self.errors.add(
            diagnostic(name, file=self.source.rel, line=mark.line, column=mark.column, path=format_path(path), **fields)
        )
        self.failed = True

    def build(self, node: yaml.Node, path: LogicalPath, depth: int = 0) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooComplex(f"展开后超过 {MAX_NODES} 个节点")
        if depth > MAX_DEPTH:
            raise _TooComplex(f"嵌套超过 {MAX_DEPTH} 层")
        self.source.positions.setdefault(path, self._mark(node))
        if node.tag not in _ALLOWED_TAGS:
            self._fail("forbidden-tag", node, path, tag=node.tag.replace(_TAG, "!!"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: LogicalPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail("yaml-syntax", key_node, path, problem="字段名必须是一段文字")
                continue
            key = str(key_node.value)
            if key in first_seen:
                mark = self._mark(key_node)
                self.errors.add(
                    diagnostic(
                        "duplicate-key", file=self.source.rel, line=mark.line, column=mark.column,
                        path=format_path(path + (key,)), key=key, first_line=first_seen[key],
                    )
                )
                self.duplicates = True
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.source.key_positions[path + (key,)] = self._mark(key_node)
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag.removeprefix(_TAG)
        if tag == "int":
            return self.scalars.construct_yaml_int(node)
        if tag == "float":
            return self.scalars.construct_yaml_float(node)
        if tag == "bool":
            return self.scalars.construct_yaml_bool(node)
        if tag == "null":
            return None
        # Dates stay as written ("2018-10-28"): the model stores them as text.
        return str(node.value)
