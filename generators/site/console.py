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


class ChineseConsole(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
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
