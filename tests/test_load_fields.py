"""rules.load.fields: citations, checked dates and conditions, as every kind of file writes them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rules.conditions import ALWAYS
from rules.model import Citation
from tests.loading import fields
from tests.loading import messages
from tests.loading import node

CITE = {"title": "Test Act 2000", "url": "https://www.legislation.gov.uk/ukpga/2000/1/section/1",
        "verification": "V", "checked_on": dt.date(2026, 1, 1)}


def test_a_full_citation_is_read(tmp_path: Path) -> None:
    f = fields(tmp_path)
    cit = f.citation(node(f, {**CITE, "section": "1(2)", "note": "A   note."}), statute=True)
    assert cit == Citation("Test Act 2000", CITE["url"], "V", dt.date(2026, 1, 1), "1(2)", "A note.")
    assert f.problems == []


def test_a_citation_inside_another_takes_what_it_leaves_out_from_it(tmp_path: Path) -> None:
    f = fields(tmp_path)
    parent = Citation("Test Act 2000", CITE["url"], "V", dt.date(2026, 1, 1))
    assert f.citation(node(f, {"section": "2", "verification": "PV"}), parent) == Citation(
        "Test Act 2000", CITE["url"], "PV", dt.date(2026, 1, 1), "2")
    assert f.citation(None, parent) is parent
    assert f.problems == []


def test_every_wrong_citation_field_is_named(tmp_path: Path) -> None:
    f = fields(tmp_path)
    bad = {"title": "Test Act", "url": "http://example.com/act", "verification": "X", "checked_on": dt.date(2999, 1, 1)}
    assert f.citation(node(f, bad), statute=True) is not None  # each field is there, if wrong
    assert messages(f) == [
        "knowledge/test.yaml: url: must be an https:// address without spaces, got 'http://example.com/act'",
        "knowledge/test.yaml: url: a statute is cited by its https://www.legislation.gov.uk/ address",
        "knowledge/test.yaml: verification: must be one of V, PV, GK, got 'X'",
        "knowledge/test.yaml: checked_on: 2999-01-01 cannot be a date it was checked on",
    ]


def test_a_citation_missing_its_fields_is_none(tmp_path: Path) -> None:
    f = fields(tmp_path)
    assert f.citation(node(f, {"title": "Test Act"})) is None
    assert messages(f) == [f"knowledge/test.yaml: {k}: is required" for k in ("url", "verification", "checked_on")]


def test_a_checked_date_is_neither_future_nor_before_1990(tmp_path: Path) -> None:
    f = fields(tmp_path)
    n = node(f, {})
    for day in (dt.date(1990, 1, 1), f.today):
        f.check_date(n, "checked_on", day)
    assert f.problems == []
    for day in (dt.date(1989, 12, 31), f.today + dt.timedelta(days=1)):
        f.check_date(n, "checked_on", day)
    assert [p.message for p in f.problems] == ["1989-12-31 cannot be a date it was checked on",
                                               "2026-12-02 cannot be a date it was checked on"]


def test_a_malformed_condition_is_a_problem_at_its_path_and_reads_as_always(tmp_path: Path) -> None:
    f = fields(tmp_path)
    assert f.condition(node(f, {}), "when", {"any": [{"fact": "occasions", "at_least": 2}, {"answer": "nope", "is": True}]}) is ALWAYS
    assert messages(f) == ["knowledge/test.yaml: when.any[1].answer: unknown question 'nope'"]


def test_a_condition_on_a_fact_needs_no_question(tmp_path: Path) -> None:
    f = fields(tmp_path)
    when = f.condition(node(f, {}), "when", {"fact": "occasions", "at_least": 2})
    assert when.facts == frozenset({"occasions"}) and f.problems == []
