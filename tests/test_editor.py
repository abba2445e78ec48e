"""What an editor shows: the YAML language server (the engine of VS Code's and the GitLab Web IDE's YAML
extension), driven over stdio with the project's .vscode/settings.json, on every shipped file."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT

SERVER = ROOT / "tests/editor/node_modules/yaml-language-server/bin/yaml-language-server"
CJK = re.compile(r"[\u4e00-\u9fff]")
# What must never reach an editor: the language server's English words, a raw regular expression.
ENGLISH = re.compile(r"Incorrect type|Missing property|Value is not accepted|does not match the pattern|String does not match")

pytestmark = pytest.mark.skipif(
    not SERVER.is_file() or shutil.which("node") is None,
    reason="yaml-language-server is installed by `make test` (npm ci in tests/editor)",
)


class LanguageServer:
    """A minimal LSP client: requests, notifications, and the diagnostics the server publishes."""

    def __init__(self, root: Path, locale: str = "zh-cn"):
        self.proc = subprocess.Popen(["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=root)
        self.next_id = 0
        self.replies: dict[int, dict] = {}
        self.diagnostics: dict[str, list[dict]] = {}
        self.published: dict[str, int] = {}  # how many times diagnostics were published, by document
        self.cond = threading.Condition()
        self.settings = json.loads((root / ".vscode/settings.json").read_text(encoding="utf-8"))
        self.root = root
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "locale": locale,
                                    "workspaceFolders": [{"uri": root.as_uri(), "name": "handbook"}],
                                    "capabilities": {"workspace": {"configuration": True}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self._yaml_settings()})

    def _yaml_settings(self) -> dict:
        # As VS Code's YAML extension does: schema paths of the settings made absolute.
        schemas = {(self.root / path).as_uri(): globs for path, globs in self.settings["yaml.schemas"].items()}
        return {"yaml": {"schemas": schemas, "validate": True, "yamlVersion": self.settings["yaml.yamlVersion"],
                         "schemaStore": {"enable": False}, "format": {"enable": False}}}

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%b" % (len(body), body))
        self.proc.stdin.flush()

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            length = 0
            while (line := stream.readline().strip()):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not length:
                return
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:  # a request from the server
                result = [self._yaml_settings()["yaml"]] * len(message["params"].get("items", [])) \
                    if message["method"] == "workspace/configuration" else None
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            with self.cond:
                if "id" in message and "method" not in message:
                    self.replies[message["id"]] = message
                elif message.get("method") == "textDocument/publishDiagnostics":
                    self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
                    self.published[message["params"]["uri"]] = self.published.get(message["params"]["uri"], 0) + 1
                self.cond.notify_all()

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        ident = self.next_id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        with self.cond:
            assert self.cond.wait_for(lambda: ident in self.replies, timeout=30), method
            return self.replies.pop(ident)

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def check(self, path: Path, text: str | None = None) -> list[dict]:
        """Open ``path`` (with ``text`` instead of its content when given); the diagnostics the server publishes."""
        uri = path.as_uri()
        with self.cond:
            self.diagnostics.pop(uri, None)
        text = path.read_text(encoding="utf-8") if text is None else text
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": self._version(), "text": text}})
        with self.cond:
            assert self.cond.wait_for(lambda: uri in self.diagnostics, timeout=30), f"no diagnostics for {path}"
            found = self.diagnostics[uri]
        # Closing publishes an empty list: wait for it, so the next look at this file sees its own.
        with self.cond:
            count = self.published[uri]
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        with self.cond:
            self.cond.wait_for(lambda: self.published[uri] > count, timeout=10)
        return found

    def _version(self) -> int:
        # The server keeps parsed documents by address and version: a new text needs a new version.
        self.next_id += 1
        return self.next_id

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.fixture(scope="module")
def server():
    ls = LanguageServer(ROOT)
    try:
        yield ls
    finally:
        ls.close()


def _shipped():
    from generators.model.project import yaml_files

    return [pytest.param(p, id=p.relative_to(ROOT).as_posix()) for p in yaml_files(ROOT)]


@pytest.mark.parametrize("path", _shipped())
def test_every_shipped_file_has_no_diagnostics_in_the_editor(server: LanguageServer, path: Path):
    assert server.check(path) == []


def test_a_wrong_id_is_explained_in_chinese(server: LanguageServer):
    path = ROOT / "modules/handbooks/branch/organization-management.yml"
    text = path.read_text(encoding="utf-8")
    owner = re.search(r"^    owner: (\S+)", text, re.M)
    wrong = text[: owner.start(1)] + "secretry" + text[owner.end(1):]
    line = text.count("\n", 0, owner.start(1))
    found = server.check(path, wrong)
    assert [d["range"]["start"]["line"] for d in found] == [line]
    message = found[0]["message"]
    assert CJK.search(message) and "没有这个角色" in message, message
    assert not ENGLISH.search(message) and "^[" not in message


def test_other_mistakes_are_explained_in_chinese_without_a_regex(server: LanguageServer):
    path = ROOT / "modules/handbooks/branch/organization-management.yml"
    text = path.read_text(encoding="utf-8")
    # An id with capitals, a label that YAML 1.1 reads as "false", a missing requirement.
    wrong = re.sub(r"^  - id: (\S+)", r"  - id: Bad_Id", text, count=1, flags=re.M)
    wrong = re.sub(r"^    requirement: .*\n", "", wrong, count=1, flags=re.M)
    wrong = re.sub(r"^(\s+)- label: (是|通过)$", r"\1- label: no", wrong, count=1, flags=re.M)
    found = server.check(path, wrong)
    messages = [d["message"] for d in found]
    assert len(found) >= 3, messages
    for message in messages:
        assert CJK.search(message) and not ENGLISH.search(message) and "[a-z]" not in message, message
    assert any("标识只能用小写英文字母" in m for m in messages)
    assert any("requirement" in m for m in messages)
