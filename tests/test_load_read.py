"""rules.load.read: strict YAML, the folders, and Node, which records every problem it meets."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from rules.load import strict_yaml
from rules.load.read import Files
from rules.load.read import KnowledgeProblem
from rules.load.read import Node
from rules.load.read import unreadable_first
from tests.loading import OFFENCE
from tests.loading import copy_knowledge
from tests.loading import errors
from tests.loading import write


def test_strict_yaml_refuses_a_repeated_key_naming_both_lines() -> None:
    with pytest.raises(yaml.YAMLError) as info:
        strict_yaml.load(io.StringIO("a: 1\nb: 2\na: 3\n"))
    assert "'a' appears twice (first on line 1)" in str(info.value)
    assert info.value.problem_mark.line == 2  # type: ignore[attr-defined]


def test_strict_yaml_refuses_an_impossible_date() -> None:
    with pytest.raises(yaml.YAMLError, match="2026-02-30 is not a real date"):
        strict_yaml.load(io.StringIO("checked_on: 2026-02-30\n"))


def test_strict_yaml_reads_real_dates_and_nested_mappings() -> None:
    import datetime as dt

    assert strict_yaml.load(io.StringIO("a: {b: 2026-02-28, c: [1, 2]}\n")) == {"a": {"b": dt.date(2026, 2, 28), "c": [1, 2]}}


def test_strict_yaml_is_safe() -> None:
    with pytest.raises(yaml.YAMLError):
        strict_yaml.load(io.StringIO("a: !!python/object/apply:os.system ['true']\n"))


def test_a_node_reports_what_is_missing_mistyped_empty_or_unknown() -> None:
    problems: list[KnowledgeProblem] = []
    n = Node({"id": "x", "count": True, "title": "  ", "extra": 1, "when": "2026-01-01"}, "f.yaml", "top", problems)
    assert n.text("id") == "x"
    assert n.get("count", int) is None
    assert n.text("title") == ""
    assert n.text("missing") == ""
    assert n.get("when", dict) is None
    n.done()
    assert [str(p) for p in problems] == [
        "f.yaml: top.count: expected a whole number, got True",
        "f.yaml: top.title: must not be empty",
        "f.yaml: top.missing: is required",
        "f.yaml: top.when: expected a mapping, got '2026-01-01'",
        "f.yaml: top.extra: is not a known key here (check the spelling; knowledge/README.md lists the keys)",
    ]


def test_a_node_takes_one_mapping_for_a_list_of_one_and_gives_each_item_its_path() -> None:
    problems: list[KnowledgeProblem] = []
    n = Node({"one": {"a": 1}, "two": [1, 2], "bad": "x"}, "f.yaml", "", problems)
    assert n.items("one") == [("one[0]", {"a": 1})]
    assert n.items("two") == [("two[0]", 1), ("two[1]", 2)]
    assert n.items("bad") == [] and n.items("none", required=False) == []
    assert [str(p) for p in problems] == ["f.yaml: bad: expected a list"]


def test_a_node_that_is_not_a_mapping_says_so() -> None:
    problems: list[KnowledgeProblem] = []
    Node(["a"], "f.yaml", "x[0]", problems)
    assert [str(p) for p in problems] == ["f.yaml: x[0]: expected a mapping, got list"]


def test_words_collapse_whitespace() -> None:
    n = Node({"plain": "two\n   lines"}, "f.yaml", "", [])
    assert n.text("plain") == "two lines"


def test_an_unreadable_file_reports_only_that() -> None:
    problems = [KnowledgeProblem("a.yaml", "line 1, column 1", "not valid YAML: x"),
                KnowledgeProblem("a.yaml", "id", "is required"), KnowledgeProblem("b.yaml", "id", "is required")]
    assert unreadable_first(problems) == [problems[0], problems[2]]


def test_files_name_a_missing_file_and_bad_yaml_by_line(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    (root / "services").mkdir(parents=True)
    (root / "services" / "broken.yaml").write_text("id: broken\nname: [unclosed\n")
    files = Files(root)
    assert files.read(root / "meta.yaml") is None
    assert files.read(root / "services" / "broken.yaml") is None
    assert files.folder("services") == [root / "services" / "broken.yaml"] and files.folder("nothing") == []
    found = [str(p) for p in files.problems]
    assert found[0] == "knowledge/meta.yaml: file not found"
    assert found[1].startswith("knowledge/services/broken.yaml: line 3, column 1: not valid YAML")


def test_a_deployments_services_replace_those_of_the_same_name(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    (root / "services").mkdir(parents=True)
    for name in ("a.yaml", "b.yaml"):
        (root / "services" / name).write_text("id: x\n")
    own = tmp_path / "own"
    own.mkdir()
    (own / "b.yaml").write_text("id: y\n")
    (own / "c.yaml").write_text("id: z\n")
    assert Files(root, own).service_files() == [root / "services" / "a.yaml", own / "b.yaml", own / "c.yaml"]
    missing = Files(root, tmp_path / "nowhere")
    assert len(missing.service_files()) == 2
    assert [p.message for p in missing.problems] == ["the services folder does not exist"]


# -- through the whole loader ------------------------------------------------------------------

def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
    write(copy, "services/broken.yaml", "id: broken\nname: [unclosed\n")
    found = errors(copy)
    assert any("knowledge/services/broken.yaml: line" in f and "not valid YAML" in f for f in found), found


def test_a_repeated_key_is_a_load_error_not_a_silent_overwrite(tmp_path: Path) -> None:
    # PyYAML alone keeps the last of two `doubtful:` blocks, which could change a verdict.
    copy = copy_knowledge(tmp_path)
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace("{WHEN}", "{answer: told_to_stop, is: true}")
          + "        doubtful:\n          - when: {answer: told_to_stop, is: false}\n            because: One.\n"
          + "        doubtful:\n          - when: {answer: told_to_stop, is: true}\n            because: Two.\n")
    found = errors(copy)
    assert len(found) == 1
    assert found[0].startswith("knowledge/offences/test-2000-s1.yaml: line 19, column 5: not valid YAML:")
    assert "'doubtful' appears twice (first on line 16)" in found[0]


def test_an_impossible_date_is_a_load_error_naming_the_file_and_place(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace("{WHEN}", "{answer: told_to_stop, is: true}")
          .replace("checked_on: 2026-01-01", "checked_on: 2026-02-30"))
    found = errors(copy)
    assert len(found) == 1
    assert found[0].startswith("knowledge/offences/test-2000-s1.yaml: line 5, column ")
    assert "2026-02-30 is not a real date" in found[0]
