"""A broken knowledge file stops loading with every problem named: file, key, what is wrong."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

import rules

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def errors(root: Path) -> list[str]:
    with pytest.raises(rules.KnowledgeError) as info:
        rules.load_knowledge(root)
    return [str(p) for p in info.value.problems]


def write(root: Path, relative: str, text: str) -> None:
    (root / relative).write_text(textwrap.dedent(text), encoding="utf-8")


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


def test_the_shipped_knowledge_loads() -> None:
    kb = rules.load_knowledge()
    assert kb.version and kb.provisions and kb.questions


def test_a_condition_naming_an_unknown_question_fails_at_load(copy: Path) -> None:
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace("{WHEN}", "{answer: favourite_colour, is: blue}"))
    assert errors(copy) == [
        "knowledge/offences/test-2000-s1.yaml: elements[0].met[0].when.answer: unknown question 'favourite_colour'"
    ]


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("{answer: place, is: mars}", "when.is: 'mars' is not one of the options"),
        ("{answer: occasions, includes_any: [1]}", "when.includes_any: 'includes_any' cannot be used with answer 'occasions'"),
        ("{fact: occasions_total, at_least: 2}", "when.fact: unknown fact 'occasions_total'"),
        ("{answer: place, is: england, in: [wales]}", "when: an atom needs exactly one comparison"),
        ("{all: []}", "when.all: must be a non-empty list"),
        ("{fact: last_incident_date, before: yesterday}", "when.before: expected a date"),
        ("{any: [{answer: place, is: england}, {answer: nope, is: true}]}", "when.any[1].answer: unknown question 'nope'"),
    ],
)
def test_malformed_conditions_are_named(copy: Path, when: str, message: str) -> None:
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace("{WHEN}", when))
    found = errors(copy)
    assert len(found) == 1 and message in found[0], found


def test_missing_keys_bad_dates_urls_and_unknown_keys_are_all_reported(copy: Path) -> None:
    write(copy, "offences/test-2000-s1.yaml", """\
        id: wrong-name
        kind: felony
        title: A test offence
        citation: {title: Test Act, url: "http://example.com/act", verification: X, checked_on: 2999-01-01}
        extent: [england, narnia]
        mode_of_trial: Summary only
        max_penalty: {text: A fine, verification: V, source: s.1}
        elements:
          - uses: no_such_definition
        colour: blue
    """)
    found = "\n".join(errors(copy))
    for expected in (
        "id: must match the file name 'test-2000-s1'",
        "kind: in offences/ must be one of",
        "summary: is required",
        "citation.url: must be an https:// address",
        "citation.url: a statute is cited by its https://www.legislation.gov.uk/ address",
        "citation.verification: must be one of V, PV, GK",
        "citation.checked_on: 2999-01-01 cannot be a date it was checked on",
        "extent: 'narnia' is not a place named in meta.yaml",
        "elements[0].uses: unknown definition 'no_such_definition'",
        "colour: is not a known key here",
    ):
        assert expected in found, expected


def test_invalid_yaml_names_the_line(copy: Path) -> None:
    write(copy, "services/broken.yaml", "id: broken\nname: [unclosed\n")
    found = errors(copy)
    assert any("knowledge/services/broken.yaml: line" in f and "not valid YAML" in f for f in found), found


def test_a_service_naming_an_unknown_service_is_caught(copy: Path) -> None:
    text = (copy / "offences/pha-1997-s2.yaml").read_text().replace(
        "related_services: [", "related_services: [no-such-service, ")
    (copy / "offences/pha-1997-s2.yaml").write_text(text)
    assert any("unknown service 'no-such-service'" in f for f in errors(copy))


def test_a_question_the_arithmetic_needs_cannot_be_removed(copy: Path) -> None:
    text = (copy / "questions/what-happened.yaml").read_text().replace("id: occasions\n", "id: times\n")
    (copy / "questions/what-happened.yaml").write_text(text)
    found = errors(copy)
    assert any("needs a integer question 'occasions'" in f for f in found), found
