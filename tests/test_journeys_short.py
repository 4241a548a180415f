"""The public journey asks only what can change the outcome (issue 8).

Five people walk through the real pages (benchmarks/journeys.py, with the test
client). No page may ask a question outside what rules.interview says is still
worth asking at that moment (a follow-up drawn under the answer that opens it: worth
asking once that answer is given). The length goals are checked: 15 question pages,
8 for a single incident; 600 visible words; 40 KB of HTML. The start page's estimate
of how many pages people see must match what the personas take.
"""

from __future__ import annotations

import typing as t

import pytest

from benchmarks import journeys

if t.TYPE_CHECKING:
    from flask import Flask


@pytest.fixture(scope="module")
def walks(app: Flask) -> dict[str, journeys.Journey]:
    return {name: journeys.walk(app.test_client(), answers) for name, answers in journeys.PERSONAS.items()}


@pytest.mark.parametrize("persona", list(journeys.PERSONAS))
def test_every_page_asks_a_question_worth_asking(walks: dict[str, journeys.Journey], persona: str) -> None:
    journey = walks[persona]
    assert journey.shown, "no question page was shown"
    for page, worth in zip(journey.pages_shown, journey.worth_asking_when_shown, strict=True):
        for question_id in page:  # a page of several questions: each of them
            assert question_id in worth, f"{question_id} was asked but could not change any outcome"
    assert len(set(journey.shown)) == len(journey.shown), "a question was asked twice"


@pytest.mark.parametrize("persona", list(journeys.PERSONAS))
def test_the_result_is_short(walks: dict[str, journeys.Journey], persona: str) -> None:
    journey = walks[persona]
    assert journey.words <= journeys.WORDS_GOAL, journey.words
    assert journey.html_bytes <= journeys.HTML_GOAL, journey.html_bytes


def test_every_journey_meets_the_issue_goal(walks: dict[str, journeys.Journey]) -> None:
    for persona, journey in walks.items():
        goal = journeys.SINGLE_INCIDENT_GOAL if persona in journeys.SINGLE_INCIDENT else journeys.PAGE_GOAL
        assert journey.pages <= goal, (persona, journey.pages, journey.pages_shown)


def test_a_single_incident_says_most_laws_need_it_to_happen_again(walks: dict[str, journeys.Journey]) -> None:
    for persona in journeys.SINGLE_INCIDENT:
        assert "Most harassment and stalking laws need it to happen at least twice" in walks[persona].result_html


def test_the_start_page_estimate_comes_from_these_journeys(walks: dict[str, journeys.Journey], app: Flask) -> None:
    """The start page's estimate is what the personas take: every count lies within it, and
    each end is within two pages of the fewest and the most measured (so it is not padded)."""
    import re

    html = app.test_client().get("/").get_data(as_text=True)
    found = re.search(r"between (\d+) and (\d+) short pages of questions", html)
    assert found, "the start page gives no estimate"
    low, high = int(found.group(1)), int(found.group(2))
    counts = {persona: journey.pages for persona, journey in walks.items()}
    for persona, pages in counts.items():
        assert low <= pages <= high, (persona, pages, (low, high))
    assert min(counts.values()) - low <= 2 and high - max(counts.values()) <= 2, (counts, (low, high))
