"""The shape of the code: legal logic lives in knowledge/ and rules/ alone, and flows one way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ID = re.compile(r"\b(pha|sca|osa|soa|mca|ca|cda|cjpa|eqa|spa|fla|daa|sa)-\d{4}-s\d")


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_no_python_or_template_names_a_particular_offence() -> None:
    offenders = []
    for folder in ("rules", "web", "templates", "static/src"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".html", ".txt", ".js", ".scss"} and ID.search(path.read_text()):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_rules_never_imports_the_web_layer() -> None:
    for path in python_files("rules"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("flask", "web", "app", "jinja2", "werkzeug")), (path, name)


def test_only_one_module_imports_experta() -> None:
    importers = [p.name for p in python_files("rules") if re.search(r"^\s*(from|import) experta", p.read_text(), re.M)]
    assert importers == ["_experta.py"]
