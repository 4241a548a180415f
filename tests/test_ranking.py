"""The reading order of laws: fit first, then seriousness, then the more specific law."""

from __future__ import annotations

import rules
from rules.ranking import by_fit_then_seriousness
from rules.ranking import seriousness


def test_a_law_that_fits_comes_before_a_more_serious_one_that_needs_more_information() -> None:
    fits = {"id": "a", "status": "may_apply", "max_penalty": {"text": "Up to six months in prison."}}
    unsure = {"id": "b", "status": "unknown", "max_penalty": {"text": "Up to ten years in prison."}}
    assert [p["id"] for p in by_fit_then_seriousness([unsure, fits])] == ["a", "b"]


def test_the_longer_penalty_and_the_crown_court_weigh_more() -> None:
    assert seriousness({"max_penalty": {"text": "Up to 5 years in prison."}}) > seriousness(
        {"max_penalty": {"text": "Up to six months in prison."}})
    assert seriousness({"mode_of_trial": "Either way"}) > seriousness({"mode_of_trial": "Summary only"})


def test_stalking_is_named_before_harassment_when_both_may_apply() -> None:
    answers = {"in_immediate_danger": False, "place": "england", "target": "me", "same_person": True,
               "relationship": "former_partner", "behaviours": ["following", "turning_up"], "occasions": 5,
               "first_incident_date": "2026-09-01", "last_incident_date": "2026-11-20",
               "alarmed_or_distressed": True, "told_to_stop": True, "lawful_role": "none"}
    result = rules.assess(answers, as_at="2026-11-21").to_dict()
    order = [p["id"] for p in by_fit_then_seriousness(result["offences"])]
    assert result["offences"][[p["id"] for p in result["offences"]].index("pha-1997-s2a")]["status"] == "may_apply"
    assert order.index("pha-1997-s2a") < order.index("pha-1997-s2")
