"""Words and formats for showing answers and results: display only, no decisions.

The statuses come from rules/; here they only get their plain-English labels and
GOV.UK tag colours. Nothing here changes or works out a status.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from markupsafe import Markup
from markupsafe import escape

if t.TYPE_CHECKING:
    from flask import Flask

#: Offence and order statuses: (label, GOV.UK tag class). The labels never say
#: that an offence "is" committed: only a court can decide that.
PROVISION_STATUS = {
    "may_apply": ("May apply", "govuk-tag--blue"),
    "borderline": ("Borderline", "govuk-tag--yellow"),
    "not_met": ("Not met on your answers", "govuk-tag--grey"),
    "unknown": ("Not enough information", "govuk-tag--grey"),
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
    "unknown": ("Not enough information", "govuk-tag--grey"),
}

NOT_ANSWERED = "Not answered"


def init_app(app: Flask) -> None:
    """Make the formatters available in every template."""
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.globals.update(
        provision_status=lambda s: PROVISION_STATUS.get(s, (str(s), "govuk-tag--grey")),
        element_status=lambda s: ELEMENT_STATUS.get(s, (str(s), "govuk-tag--grey")),
        time_limit_status=lambda s: TIME_LIMIT_STATUS.get(s, (str(s), "govuk-tag--grey")),
        display_answer=display_answer,
    )


def long_date(value: t.Any) -> str:
    """27 March 2026, as GOV.UK writes dates; anything else is shown as it is."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B} {value.year}"
    return "" if value is None else str(value)


def display_answer(question: t.Any, value: t.Any) -> Markup:
    """An answer as a person would say it, for the check-answers page."""
    if value is None:
        return Markup(NOT_ANSWERED)
    kind = question.type
    if kind == "boolean":
        return Markup("Yes" if value else "No")
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
