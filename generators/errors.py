"""User-facing diagnostics: one catalogue of codes, Chinese messages and hints.

Every mistake an editor can make in the YAML becomes a :class:`Diagnostic`
that names the file, line and column, the logical path inside the file, a
stable code, a Chinese message and a hint. Diagnostics are collected for a
whole run, sorted, and raised once as :class:`ContentError`.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

# Exit statuses of the ``handbook`` command.
EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2


@dataclass(frozen=True)
class Code:
    """One kind of mistake: its stable code, a message template and a hint template."""

    code: str
    name: str
    message: str
    hint: str


def _catalogue(*codes: Code) -> dict[str, Code]:
    return {c.name: c for c in codes}


# The catalogue. Codes are stable: tools and tests may rely on them.
# Templates use str.format fields filled by the caller.
CODES = _catalogue(
    # -- the file itself ---------------------------------------------------
    Code("HB101", "encoding", "文件不是 UTF-8 编码{guess}", "请用编辑器“另存为 UTF-8”格式（记事本：另存为 → 编码选 UTF-8），再提交。"),
    Code("HB102", "too-large", "文件过大（{size}），超过上限 {limit}", "一个 YAML 文件只应描述一个模块、要素或类型；请把内容拆分到多个文件。"),
    Code("HB103", "unreadable", "无法读取文件：{reason}", "请检查文件是否存在、是否有读取权限。"),
    # -- YAML syntax -------------------------------------------------------
    Code("HB111", "yaml-syntax", "YAML 格式错误：{problem}", "请检查这一行及上一行的缩进、冒号和引号是否成对；冒号后要有一个空格。"),
    Code("HB112", "tab-indent", "用制表符（Tab）缩进了", "YAML 只能用空格缩进：请把这一行开头的 Tab 换成空格（通常每级两个空格）。"),
    Code("HB113", "fullwidth-colon", "字段名 `{key}` 后面用了全角冒号“：”", "请改用半角冒号加一个空格，写成 `{key}: `。"),
    Code("HB114", "fullwidth-space", "这里用了全角空格（　）", "YAML 的缩进和冒号后的空格都必须是半角空格：请删除全角空格，改用普通空格。"),
    Code("HB115", "duplicate-key", "字段 `{key}` 重复出现（第 {first_line} 行已写过）", "同一层里一个字段只能写一次，否则前面的内容会被悄悄覆盖；请合并两处内容并删除其中一处。"),
    Code("HB116", "forbidden-tag", "不允许使用标签 `{tag}`", "内容文件只能写普通的文字、数字、列表和字段；请删除以 `!` 开头的标签。"),
    Code("HB117", "too-complex", "文件结构过于复杂（{reason}）", "请不要使用锚点（&）和别名（*）反复引用内容；直接写出需要的内容即可。"),
    Code("HB118", "not-a-mapping", "文件的最外层应为字段（如 `{example}: ...`），但现在是{found}", "请参照同目录下的其他文件，最外层写成“字段: 值”的形式，如 `{example}:`。"),
    Code("HB119", "empty-file", "文件是空的", "请填写内容，或删除这个文件。"),
    # -- fields and values -------------------------------------------------
    Code("HB121", "unknown-key", "不认识的字段 `{key}`", "{suggestion}"),
    Code("HB122", "missing-field", "缺少必填字段 `{key}`", "请在这里补上 `{key}: ...`（{meaning}）。"),
    Code("HB123", "wrong-type", "`{key}` 应为{expected}，但写成了{found}", "{hint}"),
    Code("HB124", "bad-value", "`{key}` 的取值 `{value}` 无效", "{hint}"),
    Code("HB125", "points-mismatch", "{what}的分值 {declared} 与各项之和 {actual} 不一致", "请调整分值，使{what}的总分等于其下各项之和。"),
    Code("HB126", "bad-time-node", "时间节点“{value}”无法识别", "请改用这些写法之一：{shapes}。"),
    Code("HB104", "unknown-file", "不认识的文件位置", "内容文件只能放在这些位置：modules/site.yml、roles.yml、documents.yml、rules.yml、glossary.yml、forms.yml、rubric.yml、editions.yml、dues.yml、search.yml，modules/branch-types/<类型>.yml，modules/handbooks/<手册>/handbook.yml 和 modules/handbooks/<手册>/<部分>.yml。"),
    Code("HB105", "missing-file", "缺少文件 {file}", "{hint}"),
    # -- files outside the project ------------------------------------------
    Code("HB106", "link-outside", "这是一个指向项目目录之外的符号链接，不能读取", "站点和印刷版只能使用项目目录中的文件：请删除这个链接，把需要的内容作为普通文件提交到项目中。链接的目标没有被读取。"),
    Code("HB107", "linked-directory", "这是一个指向目录的符号链接，不能读取", "modules/、diagrams/ 和 content/ 中不能有指向目录的链接：请删除这个链接，把需要的文件直接放在这个目录中。"),
    Code("HB108", "special-file", "这不是普通文件（可能是设备、管道或套接字），不能读取", "modules/、diagrams/ 和 content/ 中只能放普通文件：请删除它。"),
    # -- ids and references ------------------------------------------------
    Code("HB131", "bad-id", "标识 `{value}` 不符合要求", "标识（id）只能用小写英文字母、数字和连字符“-”，以字母开头，如 `three-meetings`；中文名称请写在 title 或 name 字段里。"),
    Code("HB132", "duplicate-id", "{kind}标识 `{value}` 重复（{other} 已使用）", "同一类内容的标识必须唯一；请给其中一个改名。"),
    Code("HB133", "unknown-reference", "找不到{kind} `{value}`", "{suggestion}"),
    Code("HB134", "unlisted", "{kind} `{value}` 没有在 {where} 中列出", "请把 `{value}` 加入 {where}，否则它不会出现在手册中。"),
    # -- procedures --------------------------------------------------------
    Code("HB141", "start-count", "流程应有且只有一个开始步骤（kind: start），现在有 {count} 个", "请确认流程第一步写了 `kind: start`，且其他步骤没有重复使用。"),
    Code("HB142", "no-end", "流程没有结束步骤（kind: end）", "请在流程最后加一个 `kind: end` 的步骤。"),
    Code("HB143", "unreachable-step", "从开始步骤走不到步骤 `{step}`", "请检查前面步骤的 `next` 或判断分支，确保有一条路通向这一步。"),
    Code("HB144", "missing-next", "步骤 `{step}` 没有写下一步", "{hint}"),
    Code("HB145", "unlabelled-branch", "判断步骤 `{step}` 的第 {index} 个分支没有标签", "判断的每个分支都要写 `label`，如“是”“否”“通过”“不通过”。"),
    Code("HB146", "cycle", "流程出现了循环：{cycle}", "若这是“退回修改”一类的回退，请在回退的那条连线上写 `loop_back: true`；否则请改正 `next`。"),
    Code("HB147", "misplaced-next", "{kind}步骤 `{step}` 不应写 `{key}`", "{hint}"),
    Code("HB148", "few-branches", "判断步骤 `{step}` 至少需要两个分支，现在有 {count} 个", "请写出判断的每种结果，如“是/否”或“通过/不通过”。"),
    Code("HB151", "unknown-embed", "找不到要嵌入的{kind} `{value}`", "{suggestion}"),
    # -- Chinese input and templates -------------------------------------------
    Code("HB152", "fullwidth-space-in-id", "`{key}` 的值“{value}”里有全角空格（　）", "全角空格看不见，却算一个字符，标识或名称因此对不上：请删除它（中文输入法下按空格常会打出全角空格）。"),
    Code("HB153", "curly-quotes", "这里把中文引号 {quotes} 当成了 YAML 的引号", "YAML 只认半角引号 \" 和 '，中文引号会被当成文字的一部分：请把两端的中文引号换成半角双引号，写成 {example}。"),
    Code("HB154", "colon-in-text", "`{key}` 的文字里有半角冒号加空格“: ”，被当成了新的字段", "文字里要用冒号时，请改用中文冒号“：”，或给整段文字两端加上半角双引号，写成 {key}: \"…\"。"),
    Code("HB155", "indent-off", "这一行的缩进比同一层的第 {other} 行{more}了 {count} 个空格", "同一层的字段必须左对齐：请把这一行改为缩进 {want} 个空格，与第 {other} 行的 `{key}` 对齐。"),
    Code("HB156", "placeholder", "模板里的占位文字“{text}”还没有改写", "请把它换成实际内容；用不到的可选字段可以整行删除。"),
    # -- articles and rules ------------------------------------------------
    Code("HB161", "article-twice", "《{doc}》的条款 {number} 列出了两次（第 {first_line} 行已写过{differs}）", "一个条款只能有一个概要：请合并两处，只保留一处。"),
    Code("HB162", "unknown-article", "《{doc}》中没有列出条款 {number}", "{suggestion}（引用的条款要先在 modules/documents.yml 该文件的 articles 中列出并写上概要。）"),
    Code("HB163", "rule-restated", "这里写的{quantity}与规则“{rule}”不一致：规则为 {expected}", "同一条规定只在 modules/rules.yml 中写一次（{where}）；请改正这里的数字，或在 rules 中引用这条规则而不再重复数字。"),
    Code("HB164", "rule-frequency", "时间节点与规则“{rule}”的频次（{expected}）不一致：{found}", "请按规则改正时间节点或频次；若规则本身有误，请在 modules/rules.yml 中改正（{where}）。"),
    Code("HB165", "rule-unbacked", "规则“{rule}”既没有依据条款，也没有标为示例", "请在 basis 中写明依据文件和条款；若是本企业的做法，请写 `sample: true`。"),
    Code("HB166", "rule-sample-mark", "这里把规则“{rule}”写成了{found}，而规则中是{expected}", "是法规规定还是示例，只在 modules/rules.yml 的规则中标明一次（{where}）；请删去这里的“示例”字样或改正规则。"),
    Code("HB171", "bad-time-limit", "时限“{value}”无法识别", "请改用这些写法之一：{shapes}。"),
    Code("HB172", "bad-dues-rule", "党费类别“{category}”{problem}", "{hint}"),
    Code("HB173", "bad-grades", "考核等次 grades {problem}", "{hint}"),
    Code("HB149", "subprocess-target", "子流程步骤 `{step}` 缺少 `procedure`", "请在 `procedure` 里写出被调用的工作事项的 id。"),
    # -- revisions (handbook diff, revision history) -------------------------
    Code("HB181", "unknown-revision", "找不到版本 `{revision}`", "请写提交号、分支名或标签（如 v2026；用 git tag 查看已有标签），工作区写 WORKTREE。仓库是浅克隆或没有取回标签时，请先运行 git fetch --tags --unshallow。"),
    Code("HB182", "revision-invalid", "版本 {revision} 的内容没有通过检查（{count} 处错误），无法比较", "下面每处错误的文件名前都标有版本；这些错误在那个版本里就存在，或者那时的写法已不再支持。请换一个通过检查的版本，如该版次发布时打的标签。"),
    Code("HB183", "no-git", "无法读取版本 `{revision}`：{reason}", "比较两个版本需要项目的 git 仓库（含历史）；只比较工作区时可写 WORKTREE。"),
    Code("HB184", "previous-missing", "上一版次 `{revision}`（modules/site.yml 的 previous）不在本仓库副本中，没有生成修订对照表", "浅克隆或没有取回标签的副本缺少历史：请运行 git fetch --tags --unshallow 后重新生成；或检查 previous 的写法。"),
    # -- yearly documents and meetings (HB211–HB219) ----------------------
    Code("HB211", "meeting-level", "会议 `{meeting}` 写的层级是 {level}，但它的工作事项 `{item}` 在{kind}手册中", "请把 `level` 改为 `{kind_id}`，或把 `item` 改为本层级手册中规定这种会议的工作事项。"),
)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One mistake at one place. Sorted by file, line, column, code."""

    file: str
    line: int
    column: int
    code: str
    path: str
    message: str
    hint: str

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }

    def render(self, source_line: str | None = None) -> str:
        """Text form: position, code and message, the offending line with a caret, the hint."""
        where = f"{self.file}:{self.line}:{self.column}"
        lines = [f"{where}: 错误 {self.code}: {self.message}"]
        if self.path:
            lines.append(f"    位置：{self.path}")
        if source_line is not None:
            shown = source_line.rstrip("\n")
            lines.append(f"    {self.line:>4} | {shown}")
            # Full-width characters take two columns in a terminal.
            pad = sum(2 if _is_wide(ch) else 1 for ch in shown[: max(self.column - 1, 0)])
            lines.append("         | " + " " * pad + "^")
        if self.hint:
            lines.append(f"    提示：{self.hint}")
        return "\n".join(lines)


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def diagnostic(name: str, *, file: str, line: int, column: int, path: str = "", **fields: object) -> Diagnostic:
    """Build a diagnostic from the catalogue entry ``name`` and its template fields."""
    code = CODES[name]
    return Diagnostic(
        file=file,
        line=line,
        column=column,
        code=code.code,
        path=path,
        message=code.message.format(file=file, **fields),
        hint=code.hint.format(file=file, **fields),
    )


class HandbookError(Exception):
    """Base of every error the user must fix; carries an exit status."""

    exit_code = EXIT_CONTENT


class ContentError(HandbookError):
    """The content under ``modules/`` has mistakes; holds every diagnostic of the run."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics: list[Diagnostic] = sorted(set(diagnostics))
        super().__init__(f"内容有 {len(self.diagnostics)} 处错误")

    def render(self, read_line=None) -> str:
        """All diagnostics as text; ``read_line(file, line)`` supplies source lines when given."""
        parts = [
            d.render(read_line(d.file, d.line) if read_line else None) for d in self.diagnostics
        ]
        parts.append(f"共 {len(self.diagnostics)} 处错误，请逐一修改后再试。")
        return "\n\n".join(parts)

    def to_json(self) -> str:
        return json.dumps([d.to_json() for d in self.diagnostics], ensure_ascii=False, indent=2)


class UsageError(HandbookError):
    """The command was called wrongly (unknown option, bad argument)."""

    exit_code = EXIT_USAGE


@dataclass
class Collector:
    """Collects diagnostics during a run; raise once at the end."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, item: Diagnostic) -> None:
        self.items.append(item)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError(self.items)


__all__ = [
    "CODES",
    "Collector",
    "ContentError",
    "Diagnostic",
    "EXIT_CONTENT",
    "EXIT_OK",
    "EXIT_USAGE",
    "HandbookError",
    "UsageError",
    "diagnostic",
]
