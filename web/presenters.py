"""Words and formats for showing answers and results: display only, no decisions.

The statuses come from rules/; here they only get their plain-English labels and
GOV.UK tag colours. Nothing here changes or works out a status.
"""

from __future__ import annotations

import re
import typing as t
from collections.abc import Mapping

from markupsafe import Markup
from markupsafe import escape

from rules import summary
from rules.assessment import ASSESSMENT_PARTS
from rules.assessment import Assessment
from rules.assessment import ProvisionDetails
from rules.assessment import ProvisionResult
from rules.ranking import by_fit_then_seriousness

if t.TYPE_CHECKING:
    from flask import Flask

#: Offence and order statuses: (label, GOV.UK tag class). The labels never say
#: that an offence "is" committed: only a court can decide that.
PROVISION_STATUS = {
    "may_apply": ("May apply", "govuk-tag--blue"),
    "borderline": ("Borderline", "govuk-tag--yellow"),
    "not_met": ("Not met on your answers", "govuk-tag--grey"),
    "unknown": ("Not enough information", "govuk-tag--grey"),
    "out_of_time": ("Too late to prosecute", "govuk-tag--grey"),
}

#: Element statuses.
ELEMENT_STATUS = {
    "met": ("Fits your answers", "govuk-tag--blue"),
    "doubtful": ("Unclear", "govuk-tag--yellow"),
    "not_met": ("Does not fit your answers", "govuk-tag--grey"),
    "unknown": ("Not enough information", "govuk-tag--grey"),
}

#: Time-limit statuses.
TIME_LIMIT_STATUS = {
    "open": ("Time left", "govuk-tag--blue"),
    "near": ("Time running out", "govuk-tag--orange"),
    "passed": ("Time limit passed", "govuk-tag--grey"),
    "depends": ("Depends on when the police had the evidence", "govuk-tag--blue"),
    "unknown": ("Not enough information", "govuk-tag--grey"),
}

NOT_ANSWERED = "Not answered"


def init_app(app: Flask) -> None:
    """Make the formatters available in every template."""
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["tel_links"] = tel_links
    app.jinja_env.filters["lower_first"] = lower_first
    app.jinja_env.filters["law_name"] = law_name
    app.jinja_env.globals.update(
        provision_status=lambda s: PROVISION_STATUS.get(s, (str(s), "govuk-tag--grey")),
        element_status=lambda s: ELEMENT_STATUS.get(s, (str(s), "govuk-tag--grey")),
        time_limit_status=lambda s: TIME_LIMIT_STATUS.get(s, (str(s), "govuk-tag--grey")),
        display_answer=display_answer,
    )


def long_date(value: t.Any) -> str:
    """27 March 2026, as GOV.UK writes dates (the case note's form); nothing for no date."""
    return "" if value is None else summary.long_date(value)


def display_answer(question: t.Any, value: t.Any) -> Markup:
    """An answer as a person would say it, for the check-answers page."""
    if value is None:
        return Markup(NOT_ANSWERED)  # nosec B704  # NOT_ANSWERED is this module's constant, not an answer
    kind = question.type
    if kind == "boolean":
        return Markup("Yes") if value else Markup("No")
    if kind == "choice":
        return escape(_label(question.options, value))
    if kind == "multi_choice":
        return _list([_label(question.options, v) for v in value])
    if kind == "date":
        return escape(long_date(value))
    if kind == "incidents":
        if not value:
            return Markup("None added")
        count = len(value)
        lines = [f"{count} incident{'s' if count != 1 else ''}"]
        lines += [long_date(item.get("date")) for item in value]
        return _list(lines)
    return escape(str(value))


def _label(options: t.Iterable[t.Any], option_id: str) -> str:
    return next((o.label for o in options if o.id == option_id), option_id)


def _list(items: list[str]) -> Markup:
    if len(items) == 1:
        return escape(items[0])
    inner = Markup("").join(Markup("<li>{}</li>").format(item) for item in items)
    return Markup('<ul class="govuk-list">{}</ul>').format(inner)


# -- the result, answer first (display order only: every status comes from rules/) ----------------------

class ResultParts(Mapping[str, t.Any]):
    """``Assessment.to_dict()``, each part worked out the first time a page reads it, then kept.

    A result page reads only some parts: the result itself, for instance, never the trace
    or the course of conduct, and the reasons of few laws and the elements of none. The
    values are exactly those of ``to_dict()`` (tests/test_web_result_parts.py checks).
    """

    __slots__ = ("_assessment", "_parts")

    def __init__(self, assessment: Assessment) -> None:
        self._assessment = assessment
        self._parts: dict[str, t.Any] = {}

    def __getitem__(self, key: str) -> t.Any:
        parts = self._parts
        if key not in parts:
            parts[key] = _RESULT_PARTS[key](self._assessment)
        return parts[key]

    def __contains__(self, key: object) -> bool:
        return key in _RESULT_PARTS

    def __iter__(self) -> t.Iterator[str]:
        return iter(_RESULT_PARTS)

    def __len__(self) -> int:
        return len(_RESULT_PARTS)


class ProvisionParts(Mapping[str, t.Any]):
    """``ProvisionResult.to_dict()``, its reasons and elements (``details``) worked out only
    when one of them is read: to order the laws and name them, a page needs neither."""

    __slots__ = ("_result", "_plain", "_full")

    def __init__(self, result: ProvisionResult) -> None:
        self._result = result
        # Every value but the details, from the same to_dict with the details left empty:
        # ordering the laws reads most of them for every law.
        self._plain = ProvisionResult.made(result.id, result.status, result.missing, result.time_limit,
                                           result.provision, _no_details).to_dict()
        self._full: dict[str, t.Any] | None = None

    def __getitem__(self, key: str) -> t.Any:
        if key in _DETAIL_KEYS:
            if self._full is None:
                self._full = self._result.to_dict()
            return self._full[key]
        return self._plain[key]

    def get(self, key: str, default: t.Any = None) -> t.Any:
        return self[key] if key in self._plain else default

    def __contains__(self, key: object) -> bool:
        return key in self._plain

    def __iter__(self) -> t.Iterator[str]:
        return iter(self._plain)

    def __len__(self) -> int:
        return len(self._plain)


#: The values of ProvisionResult.to_dict() that come from its details.
_DETAIL_KEYS = frozenset({"reason", "elements", "exceptions", "would_change"})
_NO_DETAILS = ProvisionDetails(reason="", elements=(), exceptions=(), would_change=())


def _no_details() -> ProvisionDetails:
    return _NO_DETAILS


#: Assessment.to_dict(), part by part, in its order; each law's details left until read.
_RESULT_PARTS: dict[str, t.Callable[[Assessment], t.Any]] = {
    **ASSESSMENT_PARTS,
    "offences": lambda a: [ProvisionParts(o) for o in a.offences],
    "orders": lambda a: [ProvisionParts(o) for o in a.orders],
}


#: Statuses shown as "may apply or need more information"; the rest go under
#: "Other laws we checked".
OPEN_STATUSES = ("may_apply", "borderline", "out_of_time", "unknown")

_PHONE = re.compile(r"(?<![\d+])(999|101|111|116 ?\d{3}|0\d{3} ?\d{3} ?\d{4}|0\d{2} ?\d{4} ?\d{4}|0\d{4} ?\d{6})(?![\d])")


def law_name(provision: t.Mapping[str, t.Any]) -> str:
    """"Protection from Harassment Act 1997, section 2A": the citation's title."""
    citation = provision.get("citation") or {}
    return str(citation.get("title") or provision.get("title") or "")


#: How many safety steps the result shows first; the rest are one tap away.
ADVICE_FIRST = 5


def result_view(result: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """What the result page shows first, chosen from the assessment.

    - ``headline``: the best-fitting offence (may apply, else borderline), most
      serious first, with its law; None when none fits;
    - ``next_step``: the first safety pathway, else the first thing to do now;
    - ``services``: the first three services the engine chose that have a phone;
    - ``advice`` / ``more_advice``: the safety steps that fit (best fit first, the one
      given as the next step left out), the first five and the rest;
    - ``laws`` / ``orders``: offences and orders that may apply or need more
      information, by fit then seriousness; ``others``: the ones that do not fit.
    """
    offences = by_fit_then_seriousness(result.get("offences") or [])
    orders = by_fit_then_seriousness(result.get("orders") or [])
    fitting = [p for p in offences if p.get("status") in ("may_apply", "borderline")]
    headline = fitting[0] if fitting else None
    risk = result.get("risk") or {}
    pathways = risk.get("pathways") or []
    steps = result.get("what_to_do_now") or []
    advice = list(result.get("safety_advice") or [])
    # With no safety pathway, the first step that fits what they told us; else a general tip.
    first = advice[0].get("text") if advice else (steps[0] if steps else None)
    next_step = pathways[0].get("plain") if pathways else first
    shown = [a for a in advice if a.get("text") != next_step]
    services = [s for s in result.get("services") or [] if any(c.get("kind") == "phone" for c in s.get("contacts", []))]
    return {
        "headline": headline,
        "next_step": next_step,
        "services": services[:3],
        "advice": shown[:ADVICE_FIRST],
        "more_advice": shown[ADVICE_FIRST:],
        "laws": [p for p in offences if p.get("status") in OPEN_STATUSES],
        "orders": [p for p in orders if p.get("status") in OPEN_STATUSES],
        "others": [p for p in offences + orders if p.get("status") not in OPEN_STATUSES],
    }


def lower_first(text: str) -> str:
    """"Stalking" -> "stalking", for a title used inside a sentence (acronyms kept)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def tel_links(text: str | None) -> Markup:
    """Text with every UK phone number in it made a tap-to-call link."""
    if not text:
        return Markup("")
    parts: list[Markup] = []
    last = 0
    for match in _PHONE.finditer(text):
        parts.append(escape(text[last:match.start()]))
        number = match.group(1)
        parts.append(Markup('<a class="govuk-link" href="tel:{}">{}</a>').format(number.replace(" ", ""), number))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
