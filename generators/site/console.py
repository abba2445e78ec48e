"""What ``handbook serve`` prints: MkDocs' English progress notes in Chinese, its chatter hidden.

MkDocs logs to the ``mkdocs`` logger; the preview shows those records through a handler with this
filter. Warnings and errors pass unchanged (errors from the handbook plugin are already Chinese).
"""

from __future__ import annotations

import logging
import re

# The start of an English note → its Chinese text (``None``: not shown). ``{0}`` is the note's detail.
NOTES: dict[str, str | None] = {
    "Building documentation": "正在生成预览……",
    "Documentation built in": "已生成（用时 {0}）。",
    "Detected file changes": "发现文件有改动，正在重新生成……",
    "Reloading browsers": "浏览器中打开的页面会自动刷新。",
    "Serving on": "预览地址：{0}",
    "Shutting down": "正在停止预览……",
    "Watching paths for changes": None,
    "Browser connected": None,
    "Cleaning site directory": None,
    "Aborted with a BuildError": None,  # the cause was logged just before, in Chinese
    "The following pages exist in the docs directory": None,
    "Start watching changes": None,
    "Start detecting changes": None,
}
_TIME = re.compile(r"^\[\d\d:\d\d:\d\d\] ")  # the preview server's notes start with the time
# MkDocs' warnings about links in hand-written pages (content/): pattern → Chinese text.
_LINK = r"Doc file '(?P<page>[^']+)' contains (?:a|an unrecognized relative|an absolute) link '(?P<link>[^']+)'"
WARNINGS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_LINK + r", but there is no such anchor on this page"),
     "content/{page} 中的链接“{link}”：本页没有这个标题（# 后的锚点）；请检查标题的写法。"),
    (re.compile(_LINK + r", but the doc '(?P<target>[^']+)' does not contain an anchor '(?P<anchor>[^']+)'"),
     "content/{page} 中的链接“{link}”：页面 {target} 中没有“{anchor}”这个标题；请检查标题的写法。"),
    (re.compile(_LINK + r", but the target(?: '(?P<target>[^']+)')? is not found among documentation files"),
     "content/{page} 中的链接“{link}”指向的页面不存在；请检查链接地址（站内链接写 .md 文件的相对路径）。"),
    (re.compile(r"Doc file '(?P<page>[^']+)' contains an unrecognized relative link '(?P<link>[^']+)'"),
     "content/{page} 中的链接“{link}”不指向任何文件；站内链接请写 .md 文件的相对路径，如 usage.md。"),
    (re.compile(r"Doc file '(?P<page>[^']+)' contains an absolute link '(?P<link>[^']+)'"),
     "content/{page} 中的链接“{link}”以 / 开头，站点不放在网站根目录时会失效；请改写为 .md 文件的相对路径。"),
]


class ChineseConsole(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            message = record.getMessage()
            for pattern, chinese in WARNINGS:
                found = pattern.search(message)
                if found:
                    suggestion = re.search(r"Did you mean '([^']+)'\?", message)
                    record.msg = chinese.format(**{k: v or "" for k, v in found.groupdict().items()})
                    if suggestion:
                        record.msg += f"您是否想写“{suggestion.group(1)}”？"
                    record.args = ()
                    break
            return True
        message = _TIME.sub("", record.getMessage())
        for english, chinese in NOTES.items():
            if message.startswith(english):
                if chinese is None:
                    return False
                detail = message[len(english):].strip(" .:")
                record.msg = chinese.format(_translate_detail(detail))
                record.args = ()
                return True
        return record.levelno > logging.DEBUG and not message.isascii()


def _translate_detail(detail: str) -> str:
    seconds = re.fullmatch(r"([\d.]+) seconds", detail)
    return f"{float(seconds.group(1)):.1f} 秒" if seconds else detail
