"""Helpers for the loader's tests: a copy of the shipped knowledge to break, and its problems."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
import typing as t
from pathlib import Path

import pytest

import rules
from rules.load.fields import Fields
from rules.load.read import Files
from rules.load.read import Node

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
TODAY = dt.date(2026, 12, 1)


def copy_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def errors(root: Path) -> list[str]:
    """Every problem loading ``root`` reports, as the error message lists them."""
    with pytest.raises(rules.KnowledgeError) as info:
        rules.load_knowledge(root)
    return [str(p) for p in info.value.problems]


def write(root: Path, relative: str, text: str) -> None:
    (root / relative).write_text(textwrap.dedent(text), encoding="utf-8")


def fields(tmp_path: Path) -> Fields:
    """A stage's context over an empty knowledge folder, today fixed."""
    root = tmp_path / "knowledge"
    root.mkdir(exist_ok=True)
    return Fields(Files(root), TODAY)


def node(f: Fields, data: t.Any, file: str = "knowledge/test.yaml") -> Node:
    return Node(data, file, "", f.problems)


def messages(f: Fields) -> list[str]:
    return [str(p) for p in f.problems]


OFFENCE = """\
    id: test-2000-s1
    kind: offence
    title: A test offence
    summary: For tests.
    citation: {title: Test Act 2000, url: "https://www.legislation.gov.uk/ukpga/2000/1/section/1", verification: V, checked_on: 2026-01-01}
    extent: [england, wales]
    mode_of_trial: Summary only
    max_penalty: {text: A fine, verification: V, source: s.1}
    elements:
      - id: something
        law: The law.
        plain: Plain words.
        met:
          - when: {WHEN}
            because: Because.
"""
