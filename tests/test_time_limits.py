"""The time-limit model: months from the last incident, or from the prosecutor's knowledge
with a long stop, and out of time as its own status."""

from __future__ import annotations

import datetime as dt
import shutil
import typing as t
from pathlib import Path

import pytest

import rules
from rules.dates import add_months
from rules.model import Citation
from rules.model import TimeLimit

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
CITE = Citation("Test Act, section 1", "https://www.legislation.gov.uk/ukpga/2000/1/section/1", "V",
                dt.date(2026, 12, 1))


def test_a_limit_from_the_last_incident_counts_its_months() -> None:
    limit = TimeLimit(6, "plain", CITE)
    assert limit.rule_for(dt.date(2026, 1, 31)) == ("from_last_incident", 6)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)


def test_a_limit_from_the_prosecutors_knowledge_counts_only_the_long_stop() -> None:
    limit = TimeLimit(6, "plain", CITE, kind="from_prosecutor_knowledge", long_stop_months=36)
    assert limit.rule_for(dt.date(2024, 2, 1)) == ("from_prosecutor_knowledge", 36)


def test_the_earlier_rule_governs_conduct_that_ended_before_it_changed() -> None:
    limit = TimeLimit(6, "plain", CITE, kind="from_prosecutor_knowledge", long_stop_months=36,
                      earlier_before=dt.date(2015, 4, 13), earlier_months=6, earlier_plain="old")
    assert limit.rule_for(dt.date(2015, 4, 12)) == ("from_last_incident", 6)
    assert limit.rule_for(dt.date(2015, 4, 13)) == ("from_prosecutor_knowledge", 36)


MENACING = {"place": "england", "target": "me", "occasions": 1, "message_content": ["menacing"],
            "sent_electronically": True}


@pytest.mark.parametrize(
    ("last", "as_at", "status", "limit_status"),
    [
        ("2026-04-15", "2026-11-21", "may_apply", "depends"),   # past six months from the message
        ("2023-11-21", "2026-11-21", "may_apply", "depends"),   # last day of the long stop
        ("2023-11-21", "2026-11-22", "out_of_time", "passed"),  # the day after
        ("2015-04-01", "2015-10-05", "out_of_time", "passed"),  # before 13 April 2015: six months
        ("2015-04-13", "2015-10-20", "may_apply", "depends"),   # from 13 April 2015: long stop
    ],
)
def test_communications_act_long_stop(assessor: rules.Assessor, last: str, as_at: str, status: str,
                                      limit_status: str) -> None:
    result = assessor.assess({**MENACING, "last_incident_date": last}, as_at)
    offence = result.offence("ca-2003-s127")
    assert offence.status == status
    assert offence.time_limit is not None
    assert offence.time_limit.status == limit_status
    assert offence.time_limit.kind in ("from_prosecutor_knowledge", "from_last_incident")


def test_depends_reports_the_end_of_the_long_stop(assessor: rules.Assessor) -> None:
    limit = assessor.assess({**MENACING, "last_incident_date": "2026-04-15"}, "2026-11-21").to_dict()
    entry = next(t for t in limit["time_limits"] if t["provision"] == "ca-2003-s127")
    assert entry["kind"] == "from_prosecutor_knowledge"
    assert entry["months"] == 6 and entry["long_stop_months"] == 36
    assert entry["ends_on"] == "2029-04-15"


def test_out_of_time_has_its_own_words_and_is_not_not_met(assessor: rules.Assessor,
                                                          knowledge: rules.KnowledgeBase) -> None:
    answers = {"place": "england", "target": "me", "behaviours": ["following", "contacting"], "occasions": 3,
               "first_incident_date": "2025-01-01", "last_incident_date": "2025-03-01",
               "alarmed_or_distressed": True, "told_to_stop": True}
    offence = assessor.assess(answers, "2026-11-21").offence("pha-1997-s2")
    assert offence.status == "out_of_time"
    assert offence.reason.startswith(knowledge.meta.status_text["out_of_time"])
    assert "out_of_time" in rules.assessment.PROVISION_STATUSES


def test_a_law_that_does_not_fit_stays_not_met_when_its_time_has_also_passed(assessor: rules.Assessor) -> None:
    answers = {"place": "england", "target": "me", "behaviours": ["contacting"], "occasions": 1,
               "last_incident_date": "2024-10-01", "alarmed_or_distressed": True}
    assert assessor.assess(answers, "2026-11-21").offence("pha-1997-s2").status == "not_met"


# -- from a dated answer (CJA 1988 s.39A: months from the first witness statement or video-recorded
#    interview given to the police, never more than two years after the offence) -------------------

STATEMENT_QUESTION = """
  - id: police_statement_date
    text: When did you first give the police a witness statement, or a video-recorded interview?
    why: For some offences the time to prosecute runs from then.
    type: date
    ask_when: {answer: reported_to_police, is: true}
"""

DATED = """\
id: test-1988-s39a
kind: offence
title: A test assault in a domestic abuse context
summary: For tests.
citation: {title: Test Act 1988, url: "https://www.legislation.gov.uk/ukpga/1988/33/section/39A", verification: V, checked_on: 2026-01-01}
extent: [england, wales]
mode_of_trial: Summary only
max_penalty: {text: A fine, verification: V, source: s.39}
time_limit:
  kind: from_dated_answer
  from_answer: police_statement_date
  months: 6
  long_stop_months: 24
  earlier_rule: {before: 2022-06-28, months: 6, plain: Six months from the offence.}
  plain: Six months from the statement, and at most two years from the offence.
  citation:
    {title: Test Act 1988, section: 39A(4), url: "https://www.legislation.gov.uk/ukpga/1988/33/section/39A",
     verification: V, checked_on: 2026-01-01}
elements:
  - id: something
    law: The law.
    plain: Plain words.
    met:
      - when: {answer: place, in: [england, wales]}
        because: Because.
"""

GATE_TEXT = ('  dated_answer_limit_passed: "Within {months} months of the statement and {long_stop_months} months'
             ' of the offence: passed."\n')


def dated_knowledge(tmp_path: Path, *, statement_question: bool = True, gate_text: bool = True,
                    offence: str = DATED) -> Path:
    """The shipped knowledge with a date question, a provision whose limit counts from it, and its gate's words."""
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    if statement_question:
        orders = root / "questions" / "orders.yaml"
        orders.write_text(orders.read_text(encoding="utf-8").rstrip("\n") + "\n" + STATEMENT_QUESTION, encoding="utf-8")
    if gate_text:
        meta = root / "meta.yaml"
        text = meta.read_text(encoding="utf-8")
        meta.write_text(text.replace("gate_text:\n", "gate_text:\n" + GATE_TEXT, 1), encoding="utf-8")
    (root / "offences" / "test-1988-s39a.yaml").write_text(offence, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> rules.Assessor:
    return rules.Assessor(rules.load_knowledge(dated_knowledge(tmp_path_factory.mktemp("dated"))))


@pytest.mark.parametrize(
    ("last", "statement", "as_at", "status"),
    [
        ("2026-01-10", "2026-05-01", "2026-11-01", "may_apply"),    # six months from the statement still running
        ("2026-01-10", "2026-05-01", "2026-11-02", "out_of_time"),  # ... and now passed, though the offence is < 2 years old
        ("2026-01-10", None, "2026-11-02", "may_apply"),            # no statement date: only the long stop counts
        ("2024-01-10", "2025-12-01", "2026-01-10", "may_apply"),    # the last day of the long stop
        ("2024-01-10", "2025-12-01", "2026-01-11", "out_of_time"),  # two years from the offence, though the statement is recent
        ("2024-01-10", None, "2026-01-11", "out_of_time"),
        ("2022-06-27", "2022-07-01", "2022-12-28", "out_of_time"),  # before the rule began: six months from the offence
        ("2022-06-28", "2022-07-01", "2022-12-28", "may_apply"),    # from the day it began: from the statement
    ],
)
def test_a_limit_from_a_dated_answer_counts_from_it_within_a_long_stop(
        dated: rules.Assessor, last: str, statement: str | None, as_at: str, status: str) -> None:
    answers: dict[str, object] = {"place": "england", "last_incident_date": last, "reported_to_police": True}
    if statement is not None:
        answers["police_statement_date"] = statement
    offence = dated.assess(answers, as_at).offence("test-1988-s39a")
    assert offence.status == status


def test_a_limit_from_a_dated_answer_makes_its_date_worth_asking(dated: rules.Assessor) -> None:
    gate = next(x for x in dated.knowledge.provision("test-1988-s39a").exceptions if x.id == "time_limit_passed")
    assert gate.when.answers == frozenset({"police_statement_date"}) and gate.when.facts == frozenset({"last_incident_date"})
    assert gate.because == "Within 6 months of the statement and 24 months of the offence: passed."


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"statement_question": False}, "time_limit.from_answer: 'police_statement_date' is not a date question"),
        ({"gate_text": False}, "knowledge/meta.yaml: gate_text.dated_answer_limit_passed: is required: "
                               "knowledge/offences/test-1988-s39a.yaml has a time limit from_dated_answer"),
        ({"offence": DATED.replace("  long_stop_months: 24\n", "")},
         "time_limit.long_stop_months: is required when kind is from_dated_answer"),
        ({"offence": DATED.replace("  from_answer: police_statement_date\n", "")}, "time_limit.from_answer: is required"),
        ({"offence": DATED.replace("from_answer: police_statement_date", "from_answer: reported_to_police")},
         "time_limit.from_answer: 'reported_to_police' is not a date question"),
        ({"offence": DATED.replace("kind: from_dated_answer", "kind: from_prosecutor_knowledge")},
         "time_limit.from_answer: only applies when kind is from_dated_answer"),
    ],
)
def test_a_broken_limit_from_a_dated_answer_is_named(tmp_path: Path, options: dict[str, t.Any], message: str) -> None:
    with pytest.raises(rules.KnowledgeError) as info:
        rules.load_knowledge(dated_knowledge(tmp_path, **options))
    assert any(message in str(p) for p in info.value.problems), info.value.problems
