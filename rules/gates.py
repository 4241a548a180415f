"""The gates every provision gets from its own metadata: place, commencement and time.

A provision's file says where it extends, when it came into force and how long a
prosecution may wait; from these the loader adds the same exceptions to every provision,
so no file writes them by hand and none can forget one:

- ``outside_extent`` (not met): the person lives outside the places the law extends to;
- ``before_commencement`` (not met) and ``straddles_commencement`` (borderline): the
  conduct ended before the law began, or began before and went on after;
- ``time_limit_passed`` (out of time): no prosecution can start any more.

The wording of each comes from ``gate_text`` in knowledge/meta.yaml.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from . import course_of_conduct
from .conditions import Case
from .conditions import Condition
from .conditions import parse_condition
from .dates import add_months
from .model import Citation
from .model import ExceptionRule
from .model import Meta
from .model import Provision
from .model import Question
from .model import TimeLimit

#: The gates meta.yaml must word (``gate_text``), each with the fields it may use.
GATE_TEXTS = ("outside_extent", "before_commencement", "straddles_commencement", "time_limit_passed",
              "long_stop_passed")
#: Gates meta.yaml words only when some provision needs them: the kind of time limit each is for.
OPTIONAL_GATE_TEXTS = {"dated_answer_limit_passed": "from_dated_answer"}


def gates_for(
    provision: Provision,
    meta: Meta,
    gate_text: t.Mapping[str, str],
    questions: t.Mapping[str, Question],
) -> tuple[ExceptionRule, ...]:
    """The gates ``provision`` gets from its extent, commencement and time limit.

    Raises ConditionError when the place question cannot take the provision's extent (a
    broken meta.yaml), which the loader reports.
    """
    if provision.citation is None:
        return ()
    return (*place_gate(provision, meta, gate_text, questions),
            *commencement_gates(provision, gate_text, questions),
            *time_limit_gate(provision, gate_text))


def place_gate(
    p: Provision, meta: Meta, gate_text: t.Mapping[str, str], questions: t.Mapping[str, Question],
) -> tuple[ExceptionRule, ...]:
    """Not met when the person lives outside the places the provision extends to."""
    place = meta.place_question
    extent = [e for e in p.extent if e in meta.extent_names]  # unknown places are already reported
    if not extent or place not in questions:
        return ()
    where = " and ".join(meta.extent_names[e] for e in extent)
    when = parse_condition({"not": {"answer": place, "in": extent}}, questions, course_of_conduct.FACTS)
    return (ExceptionRule("outside_extent", "not_met", when,
                          gate_text.get("outside_extent", "").format(extent=where), p.citation, generated=True),)


def commencement_gates(
    p: Provision, gate_text: t.Mapping[str, str], questions: t.Mapping[str, Question],
) -> tuple[ExceptionRule, ...]:
    """Not met when the conduct ended before the law began; borderline when it straddles the day."""
    if p.in_force is None:
        return ()
    start = p.in_force.start
    text = start.strftime("%-d %B %Y")
    source = f"{p.citation.title}: in force from {text} ({p.in_force.source})"
    cite = Citation(source, p.citation.url, p.in_force.verification, p.citation.checked_on)
    before = parse_condition({"fact": "last_incident_date", "before": start}, questions, course_of_conduct.FACTS)
    straddles = parse_condition({"all": [{"fact": "first_incident_date", "before": start},
                                         {"fact": "last_incident_date", "on_or_after": start}]},
                                questions, course_of_conduct.FACTS)
    return (
        ExceptionRule("before_commencement", "not_met", before,
                      gate_text.get("before_commencement", "").format(date=text), cite, generated=True),
        ExceptionRule("straddles_commencement", "borderline", straddles,
                      gate_text.get("straddles_commencement", "").format(date=text), cite, generated=True),
    )


def time_limit_gate(p: Provision, gate_text: t.Mapping[str, str]) -> tuple[ExceptionRule, ...]:
    """Out of time when no prosecution can start any more.

    Out of time is not "does not fit": the explainer gives the provision its own status,
    out_of_time, when its elements may be met but this gate holds.
    """
    limit = p.time_limit
    if limit is None:
        return ()
    if limit.kind == "from_dated_answer":
        because = gate_text.get("dated_answer_limit_passed", "").format(
            months=limit.months, long_stop_months=limit.long_stop_months)
    else:
        key = "time_limit_passed" if limit.kind == "from_last_incident" else "long_stop_passed"
        months = limit.months if limit.kind == "from_last_incident" else limit.long_stop_months
        because = gate_text.get(key, "").format(months=months, long_stop_months=months)
    return (ExceptionRule("time_limit_passed", "out_of_time", time_limit_passed(limit), because,
                          limit.citation, generated=True),)


def last_day(limit: TimeLimit, last: dt.date | None, answers: t.Mapping[str, t.Any]) -> dt.date | None:
    """The last day a prosecution could start, as far as the answers tell; None if they cannot.

    From the latest incident (``rule_for``: the months, or the long stop); for
    ``from_dated_answer`` also ``months`` from the date answered to ``from_answer``, whichever
    ends first (CJA 1988 s.39A(4): both must hold). A date not answered counts as not known:
    until it is given only the long stop can end the time.
    """
    ends: list[dt.date] = []
    if last is not None:
        kind, months = limit.rule_for(last)
        ends.append(add_months(last, months))
        if kind != "from_dated_answer":
            return ends[0]
    if limit.kind == "from_dated_answer":
        counted_from = answers.get(limit.from_answer)
        if isinstance(counted_from, dt.date):
            ends.append(add_months(counted_from, limit.months))
    return min(ends) if ends else None


def time_limit_passed(limit: TimeLimit) -> Condition:
    """Holds when no prosecution can start any more, whatever the prosecutor knew and when."""
    if limit.kind == "from_dated_answer":
        return _dated_answer_limit_passed(limit)

    def evaluate(case: Case) -> bool | None:
        last: dt.date | None = case.facts.get("last_incident_date")
        if last is None:
            return None
        _, months = limit.rule_for(last)
        return case.as_at > add_months(last, months)

    source: dict[str, t.Any] = {"months": limit.months, "kind": limit.kind}
    if limit.long_stop_months is not None:
        source["long_stop_months"] = limit.long_stop_months
    return Condition({"time_limit_passed": source}, evaluate, frozenset(), frozenset({"last_incident_date"}))


def _dated_answer_limit_passed(limit: TimeLimit) -> Condition:
    """``months`` from the date answered and the long stop from the latest incident: passed when
    either has (both must hold for a prosecution to start). Unknown while the latest incident is
    unknown and the dated answer has not already ended the time, and while the date is not
    answered and the long stop has not passed (the statement may be made, or its date given)."""
    def evaluate(case: Case) -> bool | None:
        last: dt.date | None = case.facts.get("last_incident_date")
        if last is not None:
            kind, months = limit.rule_for(last)
            if case.as_at > add_months(last, months):
                return True
            if kind == "from_last_incident":
                return False  # the earlier rule: only the months from the latest incident count
        counted_from = case.answers.get(limit.from_answer)
        if not isinstance(counted_from, dt.date):
            return None
        if case.as_at > add_months(counted_from, limit.months):
            return True
        return None if last is None else False

    source: dict[str, t.Any] = {"months": limit.months, "kind": limit.kind, "from_answer": limit.from_answer,
                                "long_stop_months": limit.long_stop_months}
    return Condition({"time_limit_passed": source}, evaluate, frozenset({limit.from_answer}),
                     frozenset({"last_incident_date"}))
