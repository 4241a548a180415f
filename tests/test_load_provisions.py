"""rules.load.provisions: elements, exceptions, shared definitions (uses:), offences and orders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import rules
from rules.conditions import Case
from rules.load.provisions import read_element
from rules.load.provisions import read_exception
from rules.load.provisions import read_time_limit
from rules.model import Citation
from tests.loading import OFFENCE
from tests.loading import copy_knowledge
from tests.loading import errors
from tests.loading import fields
from tests.loading import messages
from tests.loading import node
from tests.loading import write

PARENT = Citation("Test Act 2000", "https://www.legislation.gov.uk/ukpga/2000/1/section/1", "V", dt.date(2026, 1, 1))
MET = {"when": {"fact": "occasions", "at_least": 2}, "because": "Twice or more."}


def test_an_element_takes_its_citation_from_the_provision(tmp_path: Path) -> None:
    f = fields(tmp_path)
    element = read_element(f, {"id": "twice", "law": "Law.", "plain": "Plain.", "met": [MET]}, "f.yaml", "e", PARENT)
    assert element is not None and element.citation is PARENT and f.problems == []
    assert [o.status for o in element.outcomes] == ["met"]


def test_not_met_otherwise_is_every_met_condition_known_to_fail(tmp_path: Path) -> None:
    f = fields(tmp_path)
    raw = {"id": "twice", "law": "Law.", "plain": "Plain.", "met": [MET],
           "not_met": [{"when": "otherwise", "because": "Once at most."}]}
    element = read_element(f, raw, "f.yaml", "e", PARENT)
    assert element is not None and f.problems == []
    otherwise = element.outcomes[1].when
    assert otherwise.facts == frozenset({"occasions"})
    day = dt.date(2026, 11, 21)
    assert [otherwise.evaluate(Case({}, {"occasions": n}, day)) for n in (1, 2, None)] == [True, False, None]


def test_otherwise_is_only_for_not_met_and_every_outcome_needs_a_when(tmp_path: Path) -> None:
    f = fields(tmp_path)
    raw = {"id": "twice", "law": "Law.", "plain": "Plain.", "met": [MET, {"because": "No when."}],
           "doubtful": [{"when": "otherwise", "because": "Unsure."}]}
    read_element(f, raw, "f.yaml", "e", PARENT)
    assert messages(f) == [
        "f.yaml: e.met[1].when: is required",
        "f.yaml: e.doubtful[0].when: 'otherwise' is only for not_met: it means every 'met' condition is known to fail",
    ]


def test_an_exception_has_a_known_effect(tmp_path: Path) -> None:
    f = fields(tmp_path)
    rule = read_exception(f, {"id": "x", "effect": "void", "when": "always", "because": "B."}, "f.yaml", "x", PARENT)
    assert rule is not None and rule.citation is PARENT
    assert messages(f) == ["f.yaml: x.effect: must be one of not_met, borderline, out_of_time"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"months": 6, "plain": "P.", "kind": "from_prosecutor_knowledge"},
         "long_stop_months: is required when kind is from_prosecutor_knowledge"),
        ({"months": 6, "plain": "P.", "long_stop_months": 36},
         "long_stop_months: only applies when kind is from_prosecutor_knowledge or from_dated_answer"),
        ({"months": 6, "plain": "P.", "kind": "from_the_moon"}, "kind: must be one of"),
        ({"months": "six", "plain": "P."}, "months: expected a whole number"),
    ],
)
def test_a_broken_time_limit_is_named(tmp_path: Path, raw: dict[str, object], message: str) -> None:
    f = fields(tmp_path)
    read_time_limit(f, node(f, raw), PARENT)
    assert any(message in m for m in messages(f)), messages(f)


def test_a_time_limit_with_an_earlier_rule(tmp_path: Path) -> None:
    f = fields(tmp_path)
    limit = read_time_limit(f, node(f, {"months": 6, "plain": "P.", "kind": "from_prosecutor_knowledge", "long_stop_months": 36,
                                     "earlier_rule": {"before": dt.date(2015, 4, 13), "months": 6, "plain": "Old."}}), PARENT)
    assert f.problems == []
    assert (limit.kind, limit.long_stop_months, limit.earlier_before, limit.earlier_months) == (
        "from_prosecutor_knowledge", 36, dt.date(2015, 4, 13), 6)


# -- through the whole loader ------------------------------------------------------------------

def test_a_condition_naming_an_unknown_question_fails_at_load(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
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
def test_malformed_conditions_are_named(tmp_path: Path, when: str, message: str) -> None:
    copy = copy_knowledge(tmp_path)
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace("{WHEN}", when))
    found = errors(copy)
    assert len(found) == 1 and message in found[0], found


def test_an_element_a_provision_uses_comes_from_the_definitions(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
    write(copy, "offences/test-2000-s1.yaml", OFFENCE.replace("{WHEN}", "{answer: told_to_stop, is: true}")
          + "      - uses: course_of_conduct\n")
    kb = rules.load_knowledge(copy)
    assert kb.provision("test-2000-s1").elements == ("test-2000-s1/something", "course_of_conduct")
    assert kb.elements["course_of_conduct"].citation.title != "Test Act 2000"


def test_a_limit_from_the_prosecutors_knowledge_needs_its_long_stop(tmp_path: Path) -> None:
    root = copy_knowledge(tmp_path)
    path = root / "offences" / "ca-2003-s127.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  long_stop_months: 36\n", "", 1), encoding="utf-8")
    found = "\n".join(errors(root))
    assert "long_stop_months" in found and "ca-2003-s127.yaml" in found
