"""rules.gates: the place, commencement and time-limit gates every provision gets from its metadata."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

import rules
from rules.conditions import Case
from rules.conditions import ConditionError
from rules.gates import gates_for
from rules.model import Citation
from rules.model import InForce
from rules.model import Provision
from rules.model import TimeLimit
from tests.loading import copy_knowledge
from tests.loading import errors

D = dt.date
CITE = Citation("Test Act 2000, section 1", "https://www.legislation.gov.uk/ukpga/2000/1/section/1", "V", D(2026, 1, 1))
BARE = Provision("test-2000-s1", "offence", "A test offence", "For tests.", CITE, (), (), ())
TEXT = {"outside_extent": "Only {extent}.", "before_commencement": "From {date}.", "straddles_commencement": "Partly {date}.",
        "time_limit_passed": "{months} months.", "long_stop_passed": "{long_stop_months} months at most."}


def gates(knowledge: rules.KnowledgeBase, provision: Provision) -> dict[str, rules.model.ExceptionRule]:
    questions = {q.id: q for q in knowledge.questions}
    found = gates_for(provision, knowledge.meta, TEXT, questions)
    assert all(g.generated for g in found)
    return {g.id: g for g in found}


def case(as_at: dt.date, place: str = "england", first: dt.date | None = None, last: dt.date | None = None) -> Case:
    return Case({"place": place}, {"first_incident_date": first, "last_incident_date": last}, as_at)


def test_a_provision_with_no_metadata_gets_no_gates(knowledge: rules.KnowledgeBase) -> None:
    assert gates(knowledge, BARE) == {}
    assert gates_for(replace(BARE, citation=None, extent=("england",)), knowledge.meta, TEXT, {}) == ()  # type: ignore[arg-type]


def test_the_place_gate_holds_outside_the_extent(knowledge: rules.KnowledgeBase) -> None:
    gate = gates(knowledge, replace(BARE, extent=("england", "wales")))["outside_extent"]
    assert (gate.effect, gate.because, gate.citation) == ("not_met", "Only England and Wales.", CITE)
    day = D(2026, 11, 21)
    assert [gate.when.evaluate(case(day, place)) for place in ("england", "wales", "scotland")] == [False, False, True]
    assert gate.when.evaluate(Case({}, {}, day)) is None


def test_the_place_gate_needs_places_the_question_offers(knowledge: rules.KnowledgeBase) -> None:
    meta = replace(knowledge.meta, extent_names={**knowledge.meta.extent_names, "mars": "Mars"})
    with pytest.raises(ConditionError, match="'mars' is not one of the options"):
        gates_for(replace(BARE, extent=("mars",)), meta, TEXT, {q.id: q for q in knowledge.questions})


def test_commencement_gates_hold_before_and_across_the_day(knowledge: rules.KnowledgeBase) -> None:
    start = D(2012, 11, 25)
    found = gates(knowledge, replace(BARE, in_force=InForce(start, "SI 2012/2075", "V")))
    before, straddles = found["before_commencement"], found["straddles_commencement"]
    assert (before.effect, straddles.effect) == ("not_met", "borderline")
    assert before.because == "From 25 November 2012." and before.citation.title.endswith("in force from 25 November 2012 (SI 2012/2075)")
    day = D(2026, 11, 21)
    assert before.when.evaluate(case(day, last=D(2012, 11, 24))) is True
    assert before.when.evaluate(case(day, last=start)) is False
    assert straddles.when.evaluate(case(day, first=D(2012, 11, 24), last=start)) is True
    assert straddles.when.evaluate(case(day, first=start, last=start)) is False


@pytest.mark.parametrize(
    ("as_at", "passed"),
    [(D(2026, 8, 31), False), (D(2027, 2, 28), False), (D(2027, 3, 1), True)],
)
def test_the_time_limit_counts_months_from_the_last_incident(knowledge: rules.KnowledgeBase, as_at: dt.date, passed: bool) -> None:
    gate = gates(knowledge, replace(BARE, time_limit=TimeLimit(6, "Six months.", CITE)))["time_limit_passed"]
    assert (gate.effect, gate.because) == ("out_of_time", "6 months.")
    assert gate.when.evaluate(case(as_at, last=D(2026, 8, 31))) is passed
    assert gate.when.evaluate(case(as_at)) is None


def test_the_long_stop_counts_from_the_last_incident(knowledge: rules.KnowledgeBase) -> None:
    limit = TimeLimit(6, "Six months.", CITE, kind="from_prosecutor_knowledge", long_stop_months=36)
    gate = gates(knowledge, replace(BARE, time_limit=limit))["time_limit_passed"]
    assert gate.because == "36 months at most."
    assert gate.when.source == {"time_limit_passed": {"months": 6, "kind": "from_prosecutor_knowledge", "long_stop_months": 36}}
    assert gate.when.evaluate(case(D(2026, 11, 21), last=D(2023, 11, 21))) is False
    assert gate.when.evaluate(case(D(2026, 11, 22), last=D(2023, 11, 21))) is True


def test_a_place_the_question_does_not_offer_is_a_meta_problem(tmp_path: Path) -> None:
    copy = copy_knowledge(tmp_path)
    meta = copy / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("  wales: Wales\n", "  wales: Wales\n  mars: Mars\n"), encoding="utf-8")
    path = copy / "offences" / "pha-1997-s2.yaml"
    text = path.read_text(encoding="utf-8")
    assert "extent: [england, wales]" in text
    path.write_text(text.replace("extent: [england, wales]", "extent: [england, wales, mars]"), encoding="utf-8")
    assert any(e.startswith("knowledge/meta.yaml: extent_names: 'mars' is not one of the options") for e in errors(copy))


def test_a_limit_from_a_dated_answer_ends_at_whichever_comes_first() -> None:
    from rules.gates import last_day

    limit = TimeLimit(6, "P.", CITE, kind="from_dated_answer", long_stop_months=24, from_answer="statement_date",
                      earlier_before=D(2022, 6, 28), earlier_months=6)
    assert last_day(limit, D(2026, 1, 10), {"statement_date": D(2026, 5, 1)}) == D(2026, 11, 1)
    assert last_day(limit, D(2024, 1, 10), {"statement_date": D(2025, 12, 1)}) == D(2026, 1, 10)
    assert last_day(limit, D(2026, 1, 10), {}) == D(2028, 1, 10)          # only the long stop is known
    assert last_day(limit, None, {"statement_date": D(2026, 5, 1)}) == D(2026, 11, 1)
    assert last_day(limit, None, {}) is None
    assert last_day(limit, D(2022, 6, 27), {"statement_date": D(2022, 7, 1)}) == D(2022, 12, 27)  # the earlier rule
    assert last_day(TimeLimit(6, "P.", CITE), D(2026, 1, 10), {"statement_date": D(2026, 5, 1)}) == D(2026, 7, 10)


@pytest.mark.parametrize(
    ("last", "statement", "as_at", "passed"),
    [
        (None, None, D(2026, 11, 2), None),
        (None, D(2026, 5, 1), D(2026, 11, 1), None),       # the offence's date could still end it
        (None, D(2026, 5, 1), D(2026, 11, 2), True),
        (D(2026, 1, 10), None, D(2026, 11, 2), None),      # the statement may come, or its date be given
        (D(2026, 1, 10), D(2026, 5, 1), D(2026, 11, 1), False),
        (D(2024, 1, 10), None, D(2026, 1, 11), True),
        (D(2022, 6, 27), None, D(2022, 12, 27), False),    # the earlier rule needs no statement
    ],
)
def test_the_gate_of_a_limit_from_a_dated_answer(knowledge: rules.KnowledgeBase, last: dt.date | None,
                                                 statement: dt.date | None, as_at: dt.date, passed: bool | None) -> None:
    limit = TimeLimit(6, "P.", CITE, kind="from_dated_answer", long_stop_months=24, from_answer="statement_date",
                      earlier_before=D(2022, 6, 28), earlier_months=6)
    text = {**TEXT, "dated_answer_limit_passed": "{months} and {long_stop_months}."}
    (gate,) = gates_for(replace(BARE, time_limit=limit), knowledge.meta, text, {})
    assert gate.because == "6 and 24."
    answers = {} if statement is None else {"statement_date": statement}
    assert gate.when.evaluate(Case(answers, {"last_incident_date": last}, as_at)) is passed
