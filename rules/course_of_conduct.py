"""Facts derived from the answers: counting occasions and measuring time between them.

This is arithmetic, not law. The knowledge files decide what the numbers mean (for
example that the PHA 1997 s.7(3) needs at least two occasions, or that a long gap makes the
link between incidents doubtful); this module only counts and measures, so that those
conditions can be written as ``{fact: occasions, at_least: 2}``.

A person may describe what happened in two ways: as a list of dated incidents (the staff
console and the API), or by answering "how many times", "when did it start" and "when did
it last happen" (the one-question-a-page questionnaire). Both give the same facts.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from .conditions import Between
from .conditions import FactSpec

# The questions this module reads. The loader checks they exist with these types, so a
# knowledge change cannot silently break the arithmetic.
QUESTION_TYPES: dict[str, str] = {
    "incidents": "incidents",
    "occasions": "integer",
    "first_incident_date": "date",
    "last_incident_date": "date",
    "fear_of_violence_occasions": "integer",
    "same_kind_of_conduct": "boolean",
    "behaviours": "multi_choice",
    "aimed_at": "multi_choice",
    "same_person": "boolean",  # reported beside the course of conduct (explain.py)
    "separated_on": "date",
}
# Lists recorded against an incident that count as said in answer to the question of the
# same name: what they did (behaviours), and at whom it was aimed.
MERGED_FROM_INCIDENTS = ("behaviours", "aimed_at")

INCIDENT_FIELD_TYPES: dict[str, str] = {
    "date": "date",
    "behaviours": "multi_choice",
    "feared_violence": "boolean",
    "aimed_at": "multi_choice",
}

FACTS: dict[str, FactSpec] = {
    spec.name: spec
    for spec in (
        FactSpec("occasions", "integer", ("occasions", "incidents"), "how many separate occasions"),
        FactSpec("first_incident_date", "date", ("first_incident_date", "incidents"), "the date of the first incident"),
        FactSpec("last_incident_date", "date", ("last_incident_date", "incidents"), "the date of the latest incident"),
        FactSpec("longest_gap_days", "integer", ("incidents", "first_incident_date", "last_incident_date"),
                 "the longest gap between two incidents, in days"),
        FactSpec("span_days", "integer", ("first_incident_date", "last_incident_date", "incidents"),
                 "days from the first incident to the latest"),
        FactSpec("days_since_last_incident", "integer", ("last_incident_date", "incidents"),
                 "days from the latest incident to the as-at date"),
        FactSpec("fear_of_violence_occasions", "integer", ("fear_of_violence_occasions", "incidents", "occasions"),
                 "on how many occasions the person feared violence against themselves"),
        FactSpec("same_kind_of_conduct", "boolean", ("same_kind_of_conduct", "incidents"),
                 "whether the incidents are of the same kind"),
        FactSpec("occasions_before_separation", "integer", ("separated_on", "incidents", "last_incident_date"),
                 "how many occasions were on or before the day the relationship ended"),
        FactSpec("occasions_after_separation", "integer", ("separated_on", "incidents", "first_incident_date"),
                 "how many occasions were after the day the relationship ended"),
        FactSpec("first_incident_after_separation", "date", ("separated_on", "incidents", "first_incident_date"),
                 "the date of the first incident after the relationship ended"),
    )
}


def derive(
    answers: t.Mapping[str, t.Any], as_at: dt.date
) -> tuple[dict[str, t.Any], dict[str, t.Any]]:
    """Return (effective answers, derived facts) for validated answers.

    Effective answers are the answers with each incident's behaviours (and whom it was aimed
    at) added to the answer of the same name, so that what is recorded against an incident
    counts as said.
    """
    effective = dict(answers)
    incidents: list[dict[str, t.Any]] = sorted(answers.get("incidents") or [], key=lambda i: i["date"])
    dates = [i["date"] for i in incidents]

    for name in MERGED_FROM_INCIDENTS:
        seen: list[str] = list(answers.get(name) or [])
        for incident in incidents:
            for value in incident.get(name) or []:
                if value not in seen:
                    seen.append(value)
        if seen:
            effective[name] = tuple(seen)
        elif name in answers:
            effective[name] = tuple(answers[name])

    occasions = _largest(answers.get("occasions"), len(incidents) or None)
    first = _earliest(answers.get("first_incident_date"), dates[0] if dates else None)
    last = _latest(answers.get("last_incident_date"), dates[-1] if dates else None)
    if last is None and occasions == 1 and first is not None:
        last = first
    if first is None and occasions == 1 and last is not None:
        first = last

    facts: dict[str, t.Any] = {
        "occasions": occasions,
        "first_incident_date": first,
        "last_incident_date": last,
        "span_days": (last - first).days if first and last else None,
        "days_since_last_incident": (as_at - last).days if last else None,
        "longest_gap_days": _longest_gap(dates, occasions, first, last),
        "fear_of_violence_occasions": _fear_occasions(answers, incidents),
        "same_kind_of_conduct": _same_kind(answers, incidents),
    }
    facts.update(_around_separation(answers.get("separated_on"), dates, occasions, first, last))
    return effective, facts


def _around_separation(
    separated: dt.date | None, dates: list[dt.date], occasions: int | None, first: dt.date | None,
    last: dt.date | None,
) -> dict[str, t.Any]:
    """Occasions before and after the day a relationship ended (that day counts as before)."""
    before = after = first_after = None
    if separated is not None:
        if dates and len(dates) == occasions:
            later = [d for d in dates if d > separated]
            before, after = len(dates) - len(later), len(later)
            first_after = later[0] if later else None
        elif last is not None and last <= separated:
            before, after = occasions, 0
        elif first is not None and first > separated:
            before, after, first_after = 0, occasions, first
    return {"occasions_before_separation": before, "occasions_after_separation": after,
            "first_incident_after_separation": first_after}


def _largest(*values: int | None) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _earliest(*values: dt.date | None) -> dt.date | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None


def _latest(*values: dt.date | None) -> dt.date | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _longest_gap(
    dates: list[dt.date], occasions: int | None, first: dt.date | None, last: dt.date | None
) -> int | None:
    # Dated incidents give the gaps directly. Without them, the gap is only known when there
    # were exactly two occasions: the first and the last.
    if occasions is not None and len(dates) >= 2 and len(dates) == occasions:
        return max((b - a).days for a, b in zip(dates, dates[1:], strict=False))
    if occasions == 2 and first and last:
        return (last - first).days
    if occasions == 1:
        return 0
    return None


def _fear_occasions(answers: t.Mapping[str, t.Any], incidents: list[dict[str, t.Any]]) -> int | Between | None:
    """On how many occasions the person feared violence: a count, bounds, or unknown.

    An incident that does not say whether they feared violence is not an incident without
    fear. The count is exact only when every occasion says (or the person gave it);
    otherwise it lies between the occasions that say yes and those plus the ones that do
    not say.
    """
    stated: int | None = answers.get("fear_of_violence_occasions")
    counted = sum(1 for i in incidents if i.get("feared_violence") is True)
    if stated is not None:
        return max(stated, counted)
    if not incidents:
        return None
    silent = sum(1 for i in incidents if i.get("feared_violence") is None)
    occasions = answers.get("occasions")
    unlisted = max(0, occasions - len(incidents)) if isinstance(occasions, int) else 0
    if silent == 0 and unlisted == 0:
        return counted
    return Between(counted, counted + silent + unlisted)


def _same_kind(answers: t.Mapping[str, t.Any], incidents: list[dict[str, t.Any]]) -> bool | None:
    if answers.get("same_kind_of_conduct") is not None:
        return bool(answers["same_kind_of_conduct"])
    described = [frozenset(i.get("behaviours") or ()) for i in incidents]
    described = [d for d in described if d]
    if len(described) < 2:
        return None
    # Each incident sharing a kind of behaviour with another shows a link. Different labels
    # alone do not show the opposite (following one week, loitering the next can be one
    # course), so without the person's own answer that stays unknown.
    linked = all(any(d & other for j, other in enumerate(described) if j != i) for i, d in enumerate(described))
    return True if linked else None
