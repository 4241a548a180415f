"""Reading knowledge files: strict YAML, the folders, and the problems found on the way.

Every stage of the loader reads through a ``Node``, which records what is missing,
mistyped or unknown as a ``KnowledgeProblem`` naming the file and the key path, so the
whole load reports every problem at once instead of stopping at the first.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import strict_yaml


@dataclass(frozen=True)
class KnowledgeProblem:
    file: str
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"{where}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge files are broken. ``problems`` lists every problem found."""

    def __init__(self, problems: list[KnowledgeProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the knowledge files:\n{lines}")


class Node:
    """A mapping read from YAML that records what is missing, mistyped or unknown."""

    def __init__(self, data: t.Any, file: str, path: str, problems: list[KnowledgeProblem]) -> None:
        self.file = file
        self.path = path
        self.problems = problems
        self.seen: set[str] = set()
        if not isinstance(data, dict):
            self.fail("", f"expected a mapping, got {type(data).__name__}")
            data = {}
        self.data: dict[str, t.Any] = data

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, message: str) -> None:
        self.problems.append(KnowledgeProblem(self.file, self.key(name) if name else self.path, message))

    def get(self, name: str, kind: type | tuple[type, ...], required: bool = True, default: t.Any = None) -> t.Any:
        self.seen.add(name)
        if name not in self.data or self.data[name] is None:
            if required:
                self.fail(name, "is required")
            return default
        value = self.data[name]
        if kind is int and isinstance(value, bool):
            self.fail(name, f"expected a whole number, got {value!r}")
            return default
        if kind is dt.date and isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, kind):
            names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
            self.fail(name, f"expected {describe(names)}, got {value!r}")
            return default
        if isinstance(value, str) and not value.strip():
            if required:
                self.fail(name, "must not be empty")
            return default
        return value

    def text(self, name: str, required: bool = True) -> str:
        value = self.get(name, str, required, "")
        return " ".join(value.split()) if value else ""

    def child(self, name: str, required: bool = True) -> Node | None:
        value = self.get(name, dict, required)
        return None if value is None else Node(value, self.file, self.key(name), self.problems)

    def items(self, name: str, required: bool = True) -> list[tuple[str, t.Any]]:
        """A list (or a single mapping standing for a list of one), with each item's path."""
        self.seen.add(name)
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, "is required")
            return []
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            self.fail(name, "expected a list")
            return []
        return [(f"{self.key(name)}[{i}]", item) for i, item in enumerate(value)]

    def done(self) -> None:
        for extra in sorted(set(self.data) - self.seen):
            self.fail(extra, "is not a known key here (check the spelling; knowledge/README.md lists the keys)")


def describe(names: str) -> str:
    """A Python type's name in the words a reviewer uses."""
    return {
        "str": "text",
        "int": "a whole number",
        "date": "a date (YYYY-MM-DD)",
        "dict": "a mapping",
        "list": "a list",
        "bool": "true or false",
    }.get(names, names)


def unreadable_first(problems: list[KnowledgeProblem]) -> list[KnowledgeProblem]:
    """A file that cannot be read reports only that: what it then seems to lack is noise."""
    unreadable = {p.file for p in problems if p.message.startswith(("not valid YAML", "file not found"))}
    return [p for p in problems
            if p.file not in unreadable or p.message.startswith(("not valid YAML", "file not found"))]


class Files:
    """The knowledge folder (and a deployment's own services folder), read strictly.

    A file that is missing or not valid YAML is a problem with its line and column; the
    problems found by every stage collect in ``problems``.
    """

    def __init__(self, root: Path, services: Path | None = None) -> None:
        self.root = root
        self.extra_services = services
        self.problems: list[KnowledgeProblem] = []

    def read(self, path: Path) -> t.Any:
        """The file's YAML, or None (with the problem recorded) if it cannot be read."""
        rel = str(path.relative_to(self.root.parent)) if path.is_relative_to(self.root.parent) else str(path)
        try:
            with path.open(encoding="utf-8") as handle:
                return strict_yaml.load(handle)
        except FileNotFoundError:
            self.problems.append(KnowledgeProblem(rel, "", "file not found"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            self.problems.append(KnowledgeProblem(rel, where, f"not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None

    def node(self, path: Path) -> Node:
        """The file's top-level mapping (empty if it cannot be read)."""
        return Node(self.read(path) or {}, self.rel(path), "", self.problems)

    def rel(self, path: Path) -> str:
        """The path as problems name it: knowledge/..., relative to the folder above the root."""
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def folder(self, name: str) -> list[Path]:
        """The YAML files of one folder of the knowledge, in name order."""
        folder = self.root / name
        return sorted(folder.glob("*.yaml")) if folder.is_dir() else []

    def service_files(self) -> list[Path]:
        """knowledge/services/, with a deployment's own folder over it: a file of the same name replaces one."""
        files = {path.name: path for path in self.folder("services")}
        if self.extra_services is not None:
            if not self.extra_services.is_dir():
                self.problems.append(KnowledgeProblem(str(self.extra_services), "", "the services folder does not exist"))
            else:
                files.update({path.name: path for path in sorted(self.extra_services.glob("*.yaml"))})
        return [files[name] for name in sorted(files)]
