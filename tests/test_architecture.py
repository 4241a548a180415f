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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports_of_rules() -> dict[str, set[str]]:
    """Each module of rules/ and the modules of rules/ it imports anywhere (type hints and
    imports inside functions included), with relative imports resolved."""
    modules = {_module_name(p): p for p in python_files("rules")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                module = (f"{base}.{node.module}" if node.module else base) if node.level else (node.module or "")
                targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module for a in node.names]
            else:
                continue
            found.update(t for t in targets if t in modules and t != name)
        graph[name] = found
    return graph


def test_conditions_import_nothing_from_the_rest_of_rules() -> None:
    # Conditions check atoms against the questions through a Protocol, so the model can
    # import them without a circle (before, each imported the other).
    assert _imports_of_rules()["rules.conditions"] == set()


def test_no_module_of_rules_imports_itself_in_a_circle() -> None:
    graph = _imports_of_rules()
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            raise AssertionError("import circle: " + " -> ".join([*path[path.index(name):], name]))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


#: The stages of rules/, in the one direction data flows: each module may import only from its
#: own stage or an earlier one. Place a new module here (one not placed is checked only for
#: circles, so a module added by concurrent work does not fail the build).
STAGES: list[set[str]] = [
    {"rules.dates", "rules.conditions", "rules.ranking", "rules._experta"},
    {"rules.model", "rules.course_of_conduct"},
    {"rules.gates"},
    # load: knowledge/ -> KnowledgeBase, itself in stages
    {"rules.load.strict_yaml"},
    {"rules.load.read"},
    {"rules.load.fields"},
    {"rules.load.questions", "rules.load.provisions", "rules.load.help"},
    {"rules.load.resolve"},
    {"rules.load", "rules.loader"},
    # run: answers -> facts -> fired rules
    {"rules.answers", "rules.compiler", "rules.codegen", "rules.cache", "rules.engine"},
    # explain: fired rules -> Assessment; what to ask next
    {"rules.explain", "rules.assessment", "rules.interview", "rules.result_types"},
    # presenters and the public API
    {"rules.summary", "rules.review", "rules.service", "rules.cli", "rules.__main__", "rules"},
]


def test_the_stages_name_only_modules_that_exist() -> None:
    assert sorted(set().union(*STAGES) - set(_imports_of_rules())) == []


def test_rules_flows_one_way_through_its_stages() -> None:
    stage_of = {name: i for i, stage in enumerate(STAGES) for name in stage}
    backwards = [f"{name} imports {target}"
                 for name, targets in sorted(_imports_of_rules().items()) if name in stage_of
                 for target in sorted(targets) if target in stage_of and stage_of[target] > stage_of[name]]
    assert backwards == []
