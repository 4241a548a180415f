"""Turn a posted question page into an answer, and an answer back into form values.

This knows about HTML fields and GOV.UK error wording, nothing about the law: it
checks only that an answer has the right shape for its question type (a real date,
a whole number, options that exist). What the answer means is for rules/.

Field names: a question's own input is ``answer`` (dates: ``answer-day``,
``answer-month``, ``answer-year``); on a page of several questions each is
``answer-<question id>``; an incident's fields are ``item-<field id>``.
"""

from __future__ import annotations

import datetime as dt
import re
import typing as t
from dataclasses import dataclass

if t.TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

#: The longest text kept for a text answer. Answers live in a cookie, which a
#: browser will not keep beyond about 4 KB, so text must stay short.
MAX_TEXT_LENGTH = 500

#: The field name of a question's own input.
ANSWER = "answer"
#: The prefix of an incident's fields on the incidents page.
ITEM = "item"


def field_name(question_id: str) -> str:
    """The input name of one question on a page that shows several: ``answer-<id>``."""
    return f"{ANSWER}-{question_id}"

_WHOLE_NUMBER = re.compile(r"^\d+$")
#: The most digits a whole-number answer may have.
MAX_DIGITS = 9
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


@dataclass(frozen=True)
class FieldError:
    """One thing to fix: the id of the input to focus, and what to do."""

    field: str
    message: str


class FormError(ValueError):
    """The page's answer cannot be kept yet; ``errors`` says what to fix."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(e.message for e in errors))


class Values:
    """What a form shows in its inputs: submitted text, or a saved answer.

    Templates call ``values.one(name)`` and ``values.many(name)``.
    """

    def __init__(self, data: t.Mapping[str, list[str]] | None = None) -> None:
        self._data = dict(data or {})

    @classmethod
    def from_form(cls, form: MultiDict[str, str]) -> Values:
        return cls({key: form.getlist(key) for key in form})

    def one(self, name: str) -> str:
        values = self._data.get(name) or [""]
        return values[0]

    def many(self, name: str) -> list[str]:
        return list(self._data.get(name) or [])


# -- form -> answer ---------------------------------------------------------------------------------


def parse(kind: str, form: MultiDict[str, str], name: str, options: t.Sequence[t.Any] = (),
          minimum: int | None = None, maximum: int | None = None, today: dt.date | None = None) -> t.Any:
    """Read one answer of type ``kind`` from the inputs called ``name``.

    :raises FormError: if nothing usable was given, with GOV.UK-style messages.
    """
    if kind == "boolean":
        value = form.get(name, "")
        if value not in ("yes", "no"):
            raise FormError([FieldError(name, "Select yes or no")])
        return value == "yes"
    if kind == "choice":
        value = form.get(name, "")
        if value not in {o.id for o in options}:
            raise FormError([FieldError(name, "Select one option")])
        return value
    if kind == "multi_choice":
        return _multi_choice(form.getlist(name), name, options)
    if kind == "integer":
        return _integer(form.get(name, ""), name, minimum, maximum)
    if kind == "text":
        text = form.get(name, "").strip()
        if not text:
            raise FormError([FieldError(name, "Enter an answer")])
        if len(text) > MAX_TEXT_LENGTH:
            raise FormError([FieldError(name, f"Answer must be {MAX_TEXT_LENGTH} characters or fewer")])
        return text
    if kind == "date":
        return _date(form, name, today or dt.date.today())
    raise ValueError(f"no form field for answers of type {kind!r}")


def is_blank(kind: str, form: MultiDict[str, str], name: str) -> bool:
    """Whether the inputs for one field were left empty."""
    if kind == "date":
        return not any(form.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year"))
    return not any(v.strip() for v in form.getlist(name))


def _multi_choice(chosen: list[str], name: str, options: t.Sequence[t.Any]) -> list[str]:
    by_id = {o.id: o for o in options}
    exclusive = [o for o in options if getattr(o, "exclusive", False)]
    if not chosen:
        if exclusive:
            message = f"Select all that apply, or select ‘{exclusive[0].label}’"
        else:
            message = "Select all that apply"
        raise FormError([FieldError(name, message)])
    if any(c not in by_id for c in chosen):
        raise FormError([FieldError(name, "Select from the options shown")])
    if len(chosen) > 1:
        for option in exclusive:
            if option.id in chosen:
                raise FormError([FieldError(name, f"You cannot select ‘{option.label}’ and another option")])
    # Keep the order of the options, whatever order the browser sent.
    return [o.id for o in options if o.id in chosen]


def _integer(raw: str, name: str, minimum: int | None, maximum: int | None) -> int:
    text = raw.strip().replace(",", "")
    if not text:
        raise FormError([FieldError(name, "Enter a number")])
    if not _WHOLE_NUMBER.match(text):
        raise FormError([FieldError(name, "Enter a whole number, like 3")])
    if len(text) > MAX_DIGITS:  # int() refuses 4,301 digits or more; no answer needs ten
        raise FormError([FieldError(name, f"Enter a number that is {maximum if maximum is not None else 10**MAX_DIGITS - 1} or less")])
    value = int(text)
    low = 0 if minimum is None else minimum
    if value < low:
        raise FormError([FieldError(name, f"Enter a number that is {low} or more")])
    if maximum is not None and value > maximum:
        raise FormError([FieldError(name, f"Enter a number that is {maximum} or less")])
    return value


def _date(form: MultiDict[str, str], name: str, today: dt.date) -> str:
    """A date from day, month and year inputs, as YYYY-MM-DD.

    Error messages follow the GOV.UK date input pattern; each points at the first
    input to fix.
    """
    parts = {part: form.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")}
    missing = [part for part, value in parts.items() if not value]
    if len(missing) == 3:
        raise FormError([FieldError(f"{name}-day", "Enter the date")])
    if missing:
        raise FormError([FieldError(f"{name}-{missing[0]}", f"Date must include a {' and '.join(missing)}")])
    month_text = parts["month"].lower()
    month = _MONTHS.get(month_text) or (int(month_text) if month_text.isdigit() and len(month_text) <= 2 else None)
    if not (parts["day"].isdigit() and month and parts["year"].isdigit()):
        raise FormError([FieldError(f"{name}-day", "Date must be a real date")])
    if len(parts["year"]) != 4:
        raise FormError([FieldError(f"{name}-year", "Year must include 4 numbers")])
    try:
        value = dt.date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        raise FormError([FieldError(f"{name}-day", "Date must be a real date")]) from None
    if value > today:
        raise FormError([FieldError(f"{name}-day", "Date must be today or in the past")])
    return value.isoformat()


# -- answer -> form values ------------------------------------------------------------------------------


def values_for(kind: str, name: str, answer: t.Any) -> dict[str, list[str]]:
    """The inputs' values that show a saved answer again (for Change links)."""
    if answer is None:
        return {}
    if kind == "boolean":
        return {name: ["yes" if answer else "no"]}
    if kind == "multi_choice":
        return {name: [str(a) for a in answer]}
    if kind == "date":
        try:
            day = dt.date.fromisoformat(str(answer))
        except ValueError:
            return {}
        return {f"{name}-day": [str(day.day)], f"{name}-month": [str(day.month)], f"{name}-year": [str(day.year)]}
    return {name: [str(answer)]}
