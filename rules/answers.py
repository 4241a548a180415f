"""Check a person's answers before the engine runs, and describe them as JSON Schema.

Every problem is collected and reported at once, each naming the answer it is about: an
unknown question, a wrong type, an option that does not exist, an impossible or future
date, or answers that contradict each other. Either the answers are all usable and the
engine runs, or nothing runs: never a traceback, never a partial assessment.
"""

from __future__ import annotations

import datetime as dt
import re
import typing as t
from dataclasses import dataclass

from .model import ItemField
from .model import KnowledgeBase
from .model import Option

MAX_TEXT = 2000
DEFAULT_MAX_ITEMS = 200
EARLIEST = dt.date(1950, 1, 1)
#: The latest as-at date: far enough for any real use, and far from the end of the calendar
#: (year 9999), so the date arithmetic (time limits in months and years) never overflows.
LATEST_AS_AT = dt.date(2999, 12, 31)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: The dates the engine takes, as a JSON Schema pattern: years 1950 to 2999 (EARLIEST to
#: LATEST_AS_AT), months 01-12, days 01-31; ``format: date`` says the day is real.
DATE_PATTERN = r"^(19[5-9][0-9]|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the answers: where (``field``, a dotted path) and what."""

    field: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class AnswersError(ValueError):
    """The answers cannot be assessed. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))

    def to_dict(self) -> dict[str, t.Any]:
        return {"errors": [p.to_dict() for p in self.problems]}


def parse_as_at(value: t.Any, today: dt.date | None = None) -> dt.date:
    """The as-at date: a date, an ISO string, or None for today."""
    if value is None:
        return today or dt.date.today()
    problems: list[Problem] = []
    parsed = _date(value, "as_at", problems, None)
    if problems or parsed is None:
        raise AnswersError(problems or [Problem("as_at", "must be a date written YYYY-MM-DD")])
    if parsed > LATEST_AS_AT:
        raise AnswersError([Problem("as_at", f"must be {LATEST_AS_AT.isoformat()} or earlier")])
    return parsed


def validate(kb: KnowledgeBase, answers: t.Any, as_at: dt.date) -> dict[str, t.Any]:
    """Return the answers cleaned (dates as ``date``, lists as tuples), or raise AnswersError."""
    problems: list[Problem] = []
    if not isinstance(answers, dict):
        raise AnswersError([Problem("(answers)", "must be a JSON object mapping question ids to answers")])
    by_id = {q.id: q for q in kb.questions}
    clean: dict[str, t.Any] = {}
    for key, value in answers.items():
        question = by_id.get(key) if isinstance(key, str) else None
        if question is None:
            problems.append(Problem(str(key), "is not a question in this questionnaire"))
            continue
        if value is None:
            continue  # an unanswered question is the same as a missing one
        cleaned = _value(question.type, value, key, problems, as_at, question.options,
                         question.minimum, question.maximum, question.item_fields, question.max_items)
        if cleaned is not None:
            clean[key] = cleaned
    _check_consistency(kb, clean, problems)
    if problems:
        raise AnswersError(problems)
    return clean


def _value(
    kind: str,
    value: t.Any,
    where: str,
    problems: list[Problem],
    as_at: dt.date,
    options: tuple[Option, ...] = (),
    minimum: int | None = None,
    maximum: int | None = None,
    item_fields: tuple[ItemField, ...] = (),
    max_items: int = 0,
) -> t.Any:
    if kind == "boolean":
        if not isinstance(value, bool):
            problems.append(Problem(where, "must be true or false"))
            return None
        return value
    if kind == "integer":
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 3.0 is an integer in JSON Schema, as the answers' schema says
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(Problem(where, "must be a whole number"))
            return None
        low = 0 if minimum is None else minimum
        if value < low or (maximum is not None and value > maximum):
            bound = f"between {low} and {maximum}" if maximum is not None else f"{low} or more"
            problems.append(Problem(where, f"must be {bound}"))
            return None
        return value
    if kind == "text":
        if not isinstance(value, str):
            problems.append(Problem(where, "must be text"))
            return None
        if len(value) > MAX_TEXT:
            problems.append(Problem(where, f"must be {MAX_TEXT} characters or fewer"))
            return None
        return value.strip()
    if kind == "date":
        return _date(value, where, problems, as_at)
    if kind == "choice":
        ids = {o.id for o in options}
        if not isinstance(value, str) or value not in ids:
            problems.append(Problem(where, f"must be one of: {', '.join(o.id for o in options)}"))
            return None
        return value
    if kind == "multi_choice":
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            problems.append(Problem(where, "must be a list of option ids"))
            return None
        by_id = {o.id: o for o in options}
        unknown = [v for v in value if v not in by_id]
        if unknown:
            problems.append(Problem(where, f"has unknown option(s) {', '.join(unknown)}; "
                                           f"choose from: {', '.join(by_id)}"))
            return None
        if len(set(value)) != len(value):
            problems.append(Problem(where, "lists the same option more than once"))
            return None
        exclusive = [v for v in value if by_id[v].exclusive]
        if exclusive and len(value) > 1:
            problems.append(Problem(where, f"'{exclusive[0]}' cannot be chosen with other options"))
            return None
        return tuple(value)
    if kind == "incidents":
        return _items(value, where, problems, as_at, item_fields, max_items or DEFAULT_MAX_ITEMS)
    raise AssertionError(kind)


def _date(value: t.Any, where: str, problems: list[Problem], as_at: dt.date | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        if not _ISO_DATE.match(value):
            problems.append(Problem(where, "must be a date written YYYY-MM-DD"))
            return None
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            problems.append(Problem(where, f"{value} is not a real date"))
            return None
    if not isinstance(value, dt.date):
        problems.append(Problem(where, "must be a date written YYYY-MM-DD"))
        return None
    if as_at is not None and value > as_at:
        problems.append(Problem(where, f"{value.isoformat()} is in the future (after {as_at.isoformat()})"))
        return None
    if value < EARLIEST:
        problems.append(Problem(where, f"must be after {EARLIEST.isoformat()}"))
        return None
    return value


def _items(
    value: t.Any,
    where: str,
    problems: list[Problem],
    as_at: dt.date,
    fields: tuple[ItemField, ...],
    max_items: int,
) -> tuple[dict[str, t.Any], ...] | None:
    if not isinstance(value, (list, tuple)):
        problems.append(Problem(where, "must be a list"))
        return None
    if len(value) > max_items:
        problems.append(Problem(where, f"can hold at most {max_items} items"))
        return None
    by_id = {f.id: f for f in fields}
    out = []
    before = len(problems)
    for index, item in enumerate(value):
        path = f"{where}[{index}]"
        if not isinstance(item, dict):
            problems.append(Problem(path, "must be an object"))
            continue
        clean: dict[str, t.Any] = {}
        for key, raw in item.items():
            spec = by_id.get(key)
            if spec is None:
                problems.append(Problem(f"{path}.{key}", f"is not a field here; fields are: {', '.join(by_id)}"))
                continue
            if raw is None:
                continue
            cleaned = _value(spec.type, raw, f"{path}.{key}", problems, as_at, spec.options)
            if cleaned is not None:
                clean[key] = cleaned
        for spec in fields:
            if spec.required and item.get(spec.id) is None:
                problems.append(Problem(f"{path}.{spec.id}", "is required"))
        out.append(clean)
    return tuple(out) if len(problems) == before else None


def with_implied(kb: KnowledgeBase, answers: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """The answers with those a screening question gives: an option that ``means`` a yes/no
    question answers it, and an option not chosen answers what it ``rules_out`` with no.

    An answer the person gave themselves always stands.
    """
    out = dict(answers)
    for question in kb.questions:
        chosen = answers.get(question.id)
        if question.type != "multi_choice" or chosen is None:
            continue
        for option in question.options:
            if option.means and option.means not in answers:
                out[option.means] = option.id in chosen
            if option.id in chosen:
                continue
            for ref in option.rules_out:
                if ref in answers or ref in out:
                    continue
                target = kb.question(ref)
                none = next((o.id for o in target.options if o.exclusive), None)
                out[ref] = False if target.type == "boolean" else ((none,) if none else None)
    return {k: v for k, v in out.items() if v is not None}


#: The questions the incidents listed are checked against (besides each question's own
#: at_most_answer and not_before_answer).
CROSS_CHECKED = ("incidents", "occasions", "first_incident_date", "last_incident_date", "fear_of_violence_occasions")


def consistent(kb: KnowledgeBase, answers: t.Mapping[str, t.Any]) -> bool:
    """Whether cleaned answers can all be true at once (the checks ``validate`` makes)."""
    problems: list[Problem] = []
    _check_consistency(kb, dict(answers), problems)
    return not problems


def _check_consistency(kb: KnowledgeBase, answers: dict[str, t.Any], problems: list[Problem]) -> None:
    """Answers that cannot all be true at once."""
    for question in kb.questions:
        value = answers.get(question.id)
        if value is None:
            continue
        other = question.at_most_answer
        if other and isinstance(answers.get(other), int) and value > answers[other]:
            problems.append(Problem(question.id, f"is {value}, which is more than {other} ({answers[other]})"))
        other = question.not_before_answer
        if other and isinstance(answers.get(other), dt.date) and value < answers[other]:
            problems.append(Problem(question.id, f"is before {other} ({answers[other].isoformat()})"))

    incidents = answers.get("incidents") or ()
    dates = sorted(i["date"] for i in incidents if "date" in i)
    if not dates:
        return
    occasions = answers.get("occasions")
    if isinstance(occasions, int) and occasions < len(incidents):
        problems.append(Problem("occasions", f"is {occasions}, but {len(incidents)} incidents are listed"))
    first = answers.get("first_incident_date")
    if isinstance(first, dt.date) and first > dates[0]:
        problems.append(Problem("first_incident_date", f"is after the earliest incident listed ({dates[0].isoformat()})"))
    last = answers.get("last_incident_date")
    if isinstance(last, dt.date) and last < dates[-1]:
        problems.append(Problem("last_incident_date", f"is before the latest incident listed ({dates[-1].isoformat()})"))
    feared = sum(1 for i in incidents if i.get("feared_violence") is True)
    stated = answers.get("fear_of_violence_occasions")
    recorded = all(i.get("feared_violence") is not None for i in incidents)
    if isinstance(stated, int) and recorded and len(incidents) == (occasions or len(incidents)) and stated != feared:
        problems.append(Problem("fear_of_violence_occasions",
                                f"is {stated}, but the incidents listed record fear of violence on {feared}"))


# -- JSON Schema --------------------------------------------------------------------------------
def _schema_for(kind: str, options: tuple[Option, ...], minimum: int | None = None,
                maximum: int | None = None) -> dict[str, t.Any]:
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "integer":
        s: dict[str, t.Any] = {"type": "integer", "minimum": 0 if minimum is None else minimum}
        if maximum is not None:
            s["maximum"] = maximum
        return s
    if kind == "text":
        return {"type": "string", "maxLength": MAX_TEXT}
    if kind == "date":
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN,
                "$comment": f"A real date from {EARLIEST.isoformat()} to as_at (no future dates)."}
    if kind == "choice":
        return {"type": "string", "enum": [o.id for o in options]}
    if kind == "multi_choice":
        s = {"type": "array", "uniqueItems": True, "items": {"type": "string", "enum": [o.id for o in options]}}
        exclusive = [o.id for o in options if o.exclusive]
        if exclusive:
            # An exclusive option ("none of these") is chosen alone.
            s["not"] = {"allOf": [{"contains": {"enum": exclusive}}, {"minItems": 2}]}
            s["$comment"] = f"{', '.join(exclusive)} cannot be chosen with another option."
        return s
    raise AssertionError(kind)


def answers_schema(kb: KnowledgeBase) -> dict[str, t.Any]:
    """The JSON Schema (2020-12) of the answers, generated from the questions in knowledge/."""
    properties: dict[str, t.Any] = {}
    for q in kb.questions:
        if q.type == "incidents":
            item_props = {}
            for f in q.item_fields:
                item_props[f.id] = {**_schema_for(f.type, f.options), "description": f.label}
            schema: dict[str, t.Any] = {
                "type": "array",
                "maxItems": q.max_items or DEFAULT_MAX_ITEMS,
                "items": {
                    "type": "object",
                    "properties": item_props,
                    "required": [f.id for f in q.item_fields if f.required],
                    "additionalProperties": False,
                },
            }
        else:
            schema = _schema_for(q.type, q.options, q.minimum, q.maximum)
        schema["title"] = q.text
        schema["description"] = q.why
        properties[q.id] = {"anyOf": [schema, {"type": "null"}], "title": q.text, "description": q.why}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:stalking-harassment-check:answers:{kb.version}",
        "title": "Answers to the stalking and harassment questionnaire",
        "description": (
            "Every question is optional; what is left out is reported as missing. Beyond this schema the"
            f" engine checks: every date is a real date from {EARLIEST.isoformat()} up to as_at (no future"
            f" dates; as_at itself from {EARLIEST.isoformat()} to {LATEST_AS_AT.isoformat()}); an exclusive"
            " option is chosen alone; a number is at most the answer it counts part of (at_most), a date is"
            " not before the date it follows (not_before); occasions is at least the number of incidents"
            " listed; first_incident_date is not after, and last_incident_date not before, any incident"
            " listed; fear_of_violence_occasions agrees with the incidents when every occasion is listed."
            " Any of these gives 400 with every problem listed."
        ),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
