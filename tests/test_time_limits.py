"""The time-limit model: months from the last incident, or from the prosecutor's knowledge
with a long stop, and out of time as its own status."""

from __future__ import annotations

import datetime as dt

import pytest

import rules
from rules.dates import add_months
from rules.model import Citation
from rules.model import TimeLimit

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
