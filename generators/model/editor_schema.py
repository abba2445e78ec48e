"""JSON Schema for each kind of file under ``modules/``, generated from the model classes.

Editors' tools (VS Code with the YAML extension, the GitLab Web IDE, JetBrains IDEs)
autocomplete and check the YAML while typing from these files; the editor guide
page is generated from them too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import Model
from .project import FILE_CLASSES, FILE_GLOBS
from .schema_lists import add_lists

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
KIND_TITLES = {
    "site": "站点设置",
    "roles": "角色清单",
    "documents": "依据文件清单",
    "rules": "规则清单",
    "glossary": "术语表",
    "forms": "记录表清单",
    "meetings": "会议一览",
    "rubric": "考核评比细则",
    "branch-type": "支部类型",
    "handbook": "手册",
    "section": "手册部分（模块、要素、任务或维度）",
    "editions": "印刷版清单",
    "dues": "党费交纳标准",
    "search": "站内搜索设置",
    "theme": "图的统一样式",
    "diagram": "逻辑图",
}


def file_schema(kind: str, model: Model | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of file; with ``model``, reference fields list its ids and names."""
    schema = add_lists(strip_titles(FILE_CLASSES[kind].model_json_schema()), FILE_CLASSES[kind].__name__, model)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{kind}.schema.json",
        "title": KIND_TITLES[kind],
        **schema,
    }


def schema_text(kind: str, model: Model | None = None) -> str:
    return json.dumps(file_schema(kind, model), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def schema_path(kind: str, base: Path = SCHEMA_DIR) -> Path:
    return base / f"{kind}.schema.json"


def write_schemas(model: Model, base: Path = SCHEMA_DIR) -> list[Path]:
    """Write every kind's schema, with the ids and names of ``model`` in its lists."""
    base.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in FILE_CLASSES:
        path = schema_path(kind, base)
        path.write_text(schema_text(kind, model), encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(model: Model, base: Path = SCHEMA_DIR) -> list[Path]:
    """Schema files that differ from what the classes and the ids of ``model`` give now."""
    return [
        schema_path(kind, base)
        for kind in FILE_CLASSES
        if not schema_path(kind, base).is_file()
        or schema_path(kind, base).read_text(encoding="utf-8") != schema_text(kind, model)
    ]


def vscode_mapping(root: Path) -> dict[str, list[str]]:
    """The ``yaml.schemas`` setting: schema file → the globs of files it describes."""
    return {
        schema_path(kind).relative_to(root).as_posix(): FILE_GLOBS[kind] for kind in FILE_CLASSES
    }


def strip_titles(node: Any) -> Any:
    """Drop the English titles pydantic derives from field names; descriptions carry the meaning."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                continue
            if key in ("examples", "default", "const", "enum"):
                out[key] = value
                continue
            if key in ("properties", "$defs"):
                out[key] = {name: strip_titles(sub) for name, sub in value.items()}
            else:
                out[key] = strip_titles(value)
        return out
    if isinstance(node, list):
        return [strip_titles(v) for v in node]
    return node


def write_vscode_settings(root: Path) -> Path:
    """Point the YAML extension of VS Code (and the GitLab Web IDE) at the schemas; other settings are kept."""
    path = root / ".vscode" / "settings.json"
    settings = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    settings["yaml.schemas"] = vscode_mapping(root)
    # The loader reads YAML 1.1 (PyYAML): `yes`, `no`, `on`, `off` are true/false there; the extension's
    # default, YAML 1.2, would call `label: no` a text and hide the mistake the loader reports.
    settings["yaml.yamlVersion"] = "1.1"
    settings.setdefault("files.encoding", "utf8")
    settings.setdefault("[yaml]", {"editor.insertSpaces": True, "editor.tabSize": 2, "editor.detectIndentation": False})
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(settings, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
