"""The arithmetic behind the course of conduct (calendar months: test_dates.py)."""

from __future__ import annotations

import datetime as dt
import typing as t

import pytest

from rules.conditions import Between
from rules.conditions import Case
from rules.conditions import parse_condition
from rules.course_of_conduct import FACTS
from rules.course_of_conduct import derive

D = dt.date


def test_summary_answers_give_the_gap_only_for_two_occasions() -> None:
    _, facts = derive({"occasions": 2, "first_incident_date": D(2026, 1, 1), "last_incident_date": D(2026, 3, 2)}, D(2026, 11, 21))
    assert facts["longest_gap_days"] == 60
    _, facts = derive({"occasions": 5, "first_incident_date": D(2026, 1, 1), "last_incident_date": D(2026, 3, 2)}, D(2026, 11, 21))
    assert facts["longest_gap_days"] is None
    assert facts["span_days"] == 60


def test_one_occasion_with_one_date_gives_both_dates() -> None:
    _, facts = derive({"occasions": 1, "last_incident_date": D(2026, 6, 1)}, D(2026, 11, 21))
    assert facts["first_incident_date"] == D(2026, 6, 1)
    assert facts["days_since_last_incident"] == 173


def test_incident_behaviours_count_as_answers() -> None:
    effective, facts = derive({"behaviours": ["following"], "incidents": [
        {"date": D(2026, 1, 1), "behaviours": ["contacting"]}]}, D(2026, 11, 21))
    assert effective["behaviours"] == ("following", "contacting")
    assert facts["occasions"] == 1


def test_fear_is_counted_occasion_by_occasion() -> None:
    _, facts = derive({"incidents": [
        {"date": D(2026, 1, 1), "feared_violence": True},
        {"date": D(2026, 1, 2), "feared_violence": False},
        {"date": D(2026, 1, 3), "feared_violence": True},
    ]}, D(2026, 11, 21))
    assert facts["fear_of_violence_occasions"] == 2


def test_an_incident_that_does_not_say_is_not_an_incident_without_fear() -> None:
    # Issue 7, item 12: the count is exact only when every occasion says.
    _, facts = derive({"incidents": [
        {"date": D(2026, 1, 1), "feared_violence": True},
        {"date": D(2026, 1, 2), "feared_violence": False},
        {"date": D(2026, 1, 3)},
    ]}, D(2026, 11, 21))
    assert facts["fear_of_violence_occasions"] == Between(1, 2)
    _, facts = derive({"occasions": 5, "incidents": [
        {"date": D(2026, 1, 1), "feared_violence": True},
        {"date": D(2026, 1, 2), "feared_violence": True},
    ]}, D(2026, 11, 21))
    assert facts["fear_of_violence_occasions"] == Between(2, 5)


@pytest.mark.parametrize(("bounds", "condition", "expected"), [
    (Between(2, 5), {"fact": "fear_of_violence_occasions", "at_least": 2}, True),
    (Between(1, 2), {"fact": "fear_of_violence_occasions", "at_least": 2}, None),
    (Between(1, 2), {"fact": "fear_of_violence_occasions", "below": 2}, None),
    (Between(0, 1), {"fact": "fear_of_violence_occasions", "below": 2}, True),
    (Between(3, 4), {"fact": "fear_of_violence_occasions", "is": 1}, False),
    (Between(1, 4), {"fact": "fear_of_violence_occasions", "is": 1}, None),
    (Between(1, 1), {"fact": "fear_of_violence_occasions", "is": 1}, True),
])
def test_a_bounded_count_decides_a_comparison_only_when_every_count_in_it_agrees(
    bounds: Between, condition: dict[str, t.Any], expected: bool | None,
) -> None:
    parsed = parse_condition(condition, {}, FACTS)
    assert parsed.evaluate(Case({}, {"fear_of_violence_occasions": bounds}, D(2026, 11, 21))) is expected


def test_different_labels_alone_do_not_say_the_incidents_are_unconnected() -> None:
    _, facts = derive({"incidents": [
        {"date": D(2026, 1, 1), "behaviours": ["following"]},
        {"date": D(2026, 2, 1), "behaviours": ["loitering"]},
    ]}, D(2026, 11, 21))
    assert facts["same_kind_of_conduct"] is None
    _, facts = derive({"same_kind_of_conduct": False, "incidents": [
        {"date": D(2026, 1, 1), "behaviours": ["following"]},
        {"date": D(2026, 2, 1), "behaviours": ["following"]},
    ]}, D(2026, 11, 21))
    assert facts["same_kind_of_conduct"] is False, "the person's own answer decides"


def test_whom_an_incident_was_aimed_at_counts_as_said() -> None:
    effective, _ = derive({"aimed_at": ["me"], "incidents": [
        {"date": D(2026, 1, 1), "aimed_at": ["my_children"]},
        {"date": D(2026, 1, 2), "aimed_at": ["me", "new_partner"]},
    ]}, D(2026, 11, 21))
    assert effective["aimed_at"] == ("me", "my_children", "new_partner")
