"""The helpline staff console: every question on one screen, the assessment beside it.

Blueprint ``staff`` at ``/staff``; its templates are in ``templates/staff/``. It is for
helpline staff and police call-handlers triaging a call: they fill in the questions in any
order, add the incidents as rows of a table, and see the risk level, the offences and orders
that may apply, the time limits and the services update beside the form. They leave with a
plain-text call summary (``rules.summary.to_text``) to paste into their own case system, or
a printed one.

Nothing is kept. The console never writes an answer to the session cookie, a file, a log or
anywhere else: each request carries the whole form and gets the whole page (or just the
assessment panel, for the JavaScript live update) back. The session cookie holds only the
CSRF token, as on every page with a form. Every response is ``Cache-Control: no-store``
(web/security.py).

Like the rest of web/, this module knows nothing about the law. It reads the questions from
the knowledge base and turns each field into an answer by the question's type; what the
answers mean is for rules/. The safe-contact fields (is it safe to talk, a safe number and
time, whether a voicemail is safe, consent to referral) are not answers: they never reach the
engine, and go only into the call summary.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import typing as t
from dataclasses import dataclass

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from werkzeug.datastructures import MultiDict

import rules
from rules.answers import MAX_TEXT as ENGINE_MAX_TEXT
from rules.summary import to_text
from web.knowledge import get_assessor
from web.knowledge import get_knowledge
from web.security import CSRFError

if t.TYPE_CHECKING:
    from werkzeug.datastructures import ImmutableMultiDict

bp = Blueprint("staff", __name__, url_prefix="/staff")

#: Shown at the top of the console, and checked by the tests.
NOTHING_SAVED = (
    "Nothing you type here is saved. Closing or reloading this page loses it. "
    "Copy the summary into your case system before you close it."
)

#: How many incident rows an empty console starts with.
START_ROWS = 3

#: The longest text a free-text answer may have: the engine's own limit. Inputs carry no
#: ``maxlength`` (a browser cuts a longer paste silently); a longer answer is shown as a problem.
MAX_TEXT = ENGINE_MAX_TEXT

#: The longest safe-contact note.
MAX_CONTACT_TEXT = 200

#: The longest call-handler's note. It goes into the case note only, never to the engine or a
#: cookie; a longer one is a problem to fix, never cut short.
MAX_NOTES = 10_000

#: Where the keyboard can jump: access key -> what it reaches. The sections' keys are in
#: SECTION_KEYS; a section not named there gets no key.
SECTION_KEYS = {
    "safety": "d",
    "about_you": "w",
    "what_happened": "h",
    "effects": "l",
    "risk": "r",
    "messages_and_images": "m",
    "orders": "o",
}
SHORTCUTS = (
    ("c", "Safe contact"),
    ("i", "The first empty incident row (adds a row if all are used)"),
    ("t", "Call-handler's notes"),
    ("n", "The next question worth asking"),
    ("a", "The assessment"),
    ("s", "The case note"),
)


@dataclass(frozen=True)
class ContactField:
    """A safe-contact field: kept only in the call summary, never sent to the engine."""

    name: str
    label: str
    kind: str  # "yes_no" | "text"
    hint: str = ""


#: The safe-contact fields, in the order a call-handler asks them.
CONTACT_FIELDS = (
    ContactField("safe_to_talk_now", "Safe to talk now", "yes_no", "Can the caller talk freely at the moment?"),
    ContactField("safe_number", "Safe number", "text", "A number it is safe to call the caller back on."),
    ContactField("safe_time", "Safe time to call", "text", "For example, weekdays 10am to 2pm."),
    ContactField("voicemail_safe", "Voicemail safe", "yes_no", "Is it safe to leave a voicemail on that number?"),
    ContactField("consent_to_referral", "Consent to referral", "yes_no",
                 "Has the caller agreed to be referred to another service?"),
)

#: The GOV.UK tag colour for each risk level id. Presentation only: the level itself,
#: its title and its wording all come from the engine (knowledge/risk/levels.yaml).
RISK_TAG = {
    "emergency": "govuk-tag--red",
    "high": "govuk-tag--red",
    "medium": "govuk-tag--orange",
    "standard": "govuk-tag--grey",
}

#: How the panel groups offences and orders by the status the engine gave them.
STATUS_GROUPS = (
    ("may_apply", "May apply"),
    ("borderline", "Borderline"),
    ("out_of_time", "May fit, but out of time"),
    ("unknown", "Not enough information"),
    ("not_met", "Does not seem to fit"),
)

#: Time limits that need attention first.
TIME_LIMIT_ORDER = ("near", "passed", "depends", "open", "unknown")

_WHOLE_NUMBER = re.compile(r"^-?\d+$")
_UK_DATE = re.compile(r"^(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4}|\d{2})$")
_DIGITS_DATE = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class FieldProblem:
    """One thing to fix: the id of the input to go to, and the message to show."""

    field: str
    message: str


@dataclass
class Reading:
    """What one posted form gives: the answers for the engine, and everything else."""

    answers: dict[str, t.Any]
    contact: dict[str, str]
    problems: list[FieldProblem]
    rows: dict[str, int]  # incidents question id -> how many rows the table shows
    row_map: dict[str, list[int]]  # incidents question id -> the table row of each item sent
    notes: str = ""  # the call-handler's own notes: the case note only
    agreed: list[str] = dataclasses.field(default_factory=list)  # actions the caller agreed to
    used: dict[str, t.Any] = dataclasses.field(default_factory=dict)  # the answers the engine assessed
    ignored: tuple[str, ...] = ()  # answers the engine set aside (their question would not be asked)
    worth_asking: tuple[str, ...] = ()  # question ids whose answers could still change an outcome


# -- routes ------------------------------------------------------------------------------------


@bp.before_request
def _keep_the_token_alive() -> None:
    """Let the CSRF token outlive a long call.

    A call can last longer than the session's thirty minutes, and without a fresh cookie
    the form would expire mid-call. A permanent session is sent again with every response
    (SESSION_REFRESH_EACH_REQUEST), so the thirty minutes start again at each update. The
    session holds only the CSRF token: never an answer.
    """
    session.permanent = True


@bp.get("/")
def console() -> str:
    """The empty console, with the questions worth asking first marked."""
    reading = Reading({}, {}, [], {}, {})
    interview = getattr(get_assessor(), "interview", None)
    if interview is not None:
        reading.worth_asking = tuple(q.id for q in interview({}).worth_asking)
    return _render_console(MultiDict(), reading=reading, result=None)


@bp.post("/")
def console_post() -> str:
    """The console re-drawn with the answers posted and their assessment.

    ``add_row`` (the "Add another incident" button) adds one more empty incident row.
    """
    form = request.form
    reading = read_form(form)
    if "add_row" in form:
        for qid, count in reading.rows.items():
            reading.rows[qid] = min(count + 1, _max_rows(qid))
    result = _assess(reading)
    # Problems are shown on the page, with the answers, as the public questionnaire does.
    return _render_console(form, reading=reading, result=result, added_row="add_row" in form)


@bp.post("/assessment")
def assessment() -> str:
    """Just the assessment panel, for the JavaScript live update."""
    reading = read_form(request.form)
    result = _assess(reading)
    return render_template("staff/_assessment.html", **_panel_context(reading, result))


@bp.post("/summary.txt")
def summary_text() -> Response:
    """The call summary as plain text, for pasting into a case system."""
    reading = read_form(request.form)
    result = _assess(reading)
    if result is None:
        text = "There is a problem with the answers, so there is no summary yet:\n"
        text += "".join(f"- {p.message}\n" for p in reading.problems)
        return Response(text, status=400, mimetype="text/plain")
    return Response(case_note(reading, result), mimetype="text/plain")


@bp.post("/print")
def print_view() -> tuple[str, int] | str:
    """The call summary on a page of its own, to print."""
    reading = read_form(request.form)
    result = _assess(reading)
    summary = case_note(reading, result) if result is not None else ""
    return render_template(
        "staff/print.html", summary=summary, problems=reading.problems,
    ), (400 if reading.problems else 200)


@bp.errorhandler(CSRFError)
def _expired(error: CSRFError) -> tuple[Response | str, int]:
    """Refuse a post without this session's token, without losing the call.

    Nothing is assessed or kept. The console is drawn again with what was posted and a
    fresh token, so the call-handler can check the answers and send them again, rather
    than lose a whole call to an expired form.
    """
    message = FieldProblem(
        "staff-update",
        "This form had expired, so nothing was assessed. Check the answers below, then press "
        "Update the assessment.",
    )
    if request.endpoint == "staff.console_post":
        reading = read_form(request.form)
        reading.problems = [message]
        return _render_console(request.form, reading=reading, result=None), 400
    if request.endpoint == "staff.assessment":
        reading = Reading({}, {}, [message], {}, {})
        return render_template("staff/_assessment.html", **_panel_context(reading, None)), 400
    return Response(message.message + "\n", status=400, mimetype="text/plain"), 400


# -- reading the form ------------------------------------------------------------------------------


def read_form(form: MultiDict[str, str] | ImmutableMultiDict[str, str]) -> Reading:
    """Turn the posted fields into answers by each question's type.

    A field left blank (or "Not asked") is left out, as the engine expects for a question
    not answered. A fully blank incident row is ignored. Fields that cannot be read
    (a word in a number field, say) become problems; the engine checks the rest.
    """
    kb = get_knowledge()
    answers: dict[str, t.Any] = {}
    problems: list[FieldProblem] = []
    rows: dict[str, int] = {}
    row_map: dict[str, list[int]] = {}
    for q in kb.questions:
        label = q.staff_label or q.text
        if q.type == "incidents":
            count = _row_count(form, q)
            rows[q.id] = count
            items, used = _read_rows(form, q, count, problems)
            row_map[q.id] = used
            if items:
                answers[q.id] = items
            continue
        name = q.id
        try:
            value = _read_value(q.type, form, name, label)
        except _Unreadable as error:
            problems.append(FieldProblem(field_id(q.id), error.message))
            continue
        if value is not None:
            answers[q.id] = value
    contact = _read_contact(form, problems)
    notes = (form.get("call_notes") or "").strip()
    if len(notes) > MAX_NOTES:
        problems.append(FieldProblem("call_notes", f"Call-handler's notes: must be {MAX_NOTES:,} characters or "
                                     f"fewer; they have {len(notes):,}. Nothing has been cut: shorten them."))
    agreed = [v for v in form.getlist("agreed") if v.strip()]
    return Reading(answers, contact, problems, rows, row_map, notes=notes, agreed=agreed)


class _Unreadable(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _read_value(kind: str, form: t.Any, name: str, label: str) -> t.Any:
    """One field's answer, or None if it was left blank."""
    if kind == "multi_choice":
        chosen = [v for v in form.getlist(name) if v.strip()]
        return chosen or None
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    if kind == "boolean":
        if raw not in ("yes", "no"):
            raise _Unreadable(f"{label}: select Yes, No or Not asked")
        return raw == "yes"
    if kind == "integer":
        text = raw.replace(",", "")
        if not _WHOLE_NUMBER.match(text):
            raise _Unreadable(f"{label}: enter a whole number, like 3")
        if len(text.lstrip("-")) > 9:  # int() refuses 4,301 digits or more; no answer needs ten
            raise _Unreadable(f"{label}: enter a number of at most 9 digits")
        return int(text)
    if kind == "date":
        return _iso_date(raw, label)
    if kind == "text":
        if len(raw) > MAX_TEXT:
            raise _Unreadable(f"{label}: must be {MAX_TEXT:,} characters or fewer; it has {len(raw):,}")
        return raw
    # choice, and any type added later: the engine checks the value.
    return raw


def _iso_date(raw: str, label: str) -> str:
    """A date typed as day, month, year (27/3/2026, 27 3 2026, 27.03.26, 27032026) as YYYY-MM-DD.

    The console's date fields are plain text, so what is typed never depends on the
    browser's locale: the day always comes first. A date already written YYYY-MM-DD is kept.
    """
    text = raw.strip()
    if _ISO_DATE.match(text):
        return text  # the engine checks it is a real date
    match = _UK_DATE.match(text) or _DIGITS_DATE.match(text)
    if not match:
        raise _Unreadable(f"{label}: enter a date as day, month and year, like 27/3/2026")
    day, month, year = (int(x) for x in match.groups())
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise _Unreadable(f"{label}: enter a real date, like 27/3/2026") from None


def _row_count(form: t.Any, q: t.Any) -> int:
    raw = form.get(f"{q.id}-rows", "")
    count = int(raw) if raw.isdigit() and len(raw) <= 4 else START_ROWS
    return max(1, min(count, _max_rows(q.id)))


def _max_rows(question_id: str) -> int:
    q = get_knowledge().question(question_id)
    return q.max_items or 200


def _read_rows(form: t.Any, q: t.Any, count: int,
               problems: list[FieldProblem]) -> tuple[list[dict[str, t.Any]], list[int]]:
    items: list[dict[str, t.Any]] = []
    used: list[int] = []
    for row in range(count):
        names = {f.id: row_field_name(q.id, row, f.id) for f in q.item_fields}
        if all(not any(v.strip() for v in form.getlist(names[f.id])) for f in q.item_fields):
            continue  # a blank row
        item: dict[str, t.Any] = {}
        for f in q.item_fields:
            label = f"Incident {row + 1}, {f.label.lower()}"
            try:
                value = _read_value(f.type, form, names[f.id], label)
            except _Unreadable as error:
                problems.append(FieldProblem(names[f.id], error.message))
                continue
            if value is not None:
                item[f.id] = value
        items.append(item)
        used.append(row)
    return items, used


def _read_contact(form: t.Any, problems: list[FieldProblem]) -> dict[str, str]:
    contact: dict[str, str] = {}
    for f in CONTACT_FIELDS:
        raw = (form.get(f.name) or "").strip()
        if not raw:
            continue
        if f.kind == "yes_no":
            if raw not in ("yes", "no"):
                problems.append(FieldProblem(f.name, f"{f.label}: select Yes, No or Not asked"))
                continue
            contact[f.label] = "Yes" if raw == "yes" else "No"
        else:
            if len(raw) > MAX_CONTACT_TEXT:
                problems.append(FieldProblem(f.name, f"{f.label}: must be {MAX_CONTACT_TEXT} characters or fewer"))
                continue
            contact[f.label] = " ".join(raw.split())
    return contact


# -- assessing ----------------------------------------------------------------------------------------


def _assess(reading: Reading) -> dict[str, t.Any] | None:
    """Run the engine on the answers (never the contact notes); None if there are problems.

    The engine's interview says which answers it sets aside (their question would not be
    asked for the other answers: ``ask_when`` in knowledge/) and which questions are still
    worth asking. The set-aside answers are left out, and listed as not used. Every problem
    the engine finds is added to ``reading.problems``.
    """
    kb = get_knowledge()
    assessor = get_assessor()
    try:
        interview = getattr(assessor, "interview", None)
        if interview is not None:
            iv = interview(reading.answers)
            reading.ignored = tuple(iv.ignored)
            reading.worth_asking = tuple(q.id for q in iv.worth_asking)
        reading.used = {k: v for k, v in reading.answers.items() if k not in reading.ignored}
        assessment = assessor.assess(reading.used)
    except rules.AnswersError as error:
        reading.problems.extend(_engine_problems(kb, error, reading))
        return None
    if reading.problems:
        return None
    return assessment.to_dict()


def not_used(reading: Reading) -> list[str]:
    """The questions answered but left out because they do not apply to the other answers."""
    return list(reading.ignored)


def case_note(reading: Reading, result: t.Mapping[str, t.Any]) -> str:
    """The case note: the same text as ``python -m rules assess --format text`` for these answers."""
    return to_text(result, contact=reading.contact or None, answers=reading.used, knowledge=get_knowledge(),
                   agreed=reading.agreed, notes=reading.notes)


def quick_exit_keys() -> bool:
    """Whether pressing Shift three times leaves the console (STAFF_QUICK_EXIT_KEYS; default on).

    A helpline can turn it off for staff, who can press Shift by accident mid-call; the
    Exit this page button stays, and asks first when a call is in progress.
    """
    value = current_app.config.get("STAFF_QUICK_EXIT_KEYS", os.environ.get("STAFF_QUICK_EXIT_KEYS", "true"))
    return str(value).strip().lower() not in ("0", "false", "no", "off")


_PATH = re.compile(r"^(?P<question>[^.\[]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<field>.+))?$")


def _engine_problems(kb: rules.KnowledgeBase, error: rules.AnswersError, reading: Reading) -> list[FieldProblem]:
    """The engine's problems, pointed at the inputs they are about and worded with staff labels."""
    out = []
    for problem in error.problems:
        match = _PATH.match(problem.field)
        qid = match.group("question") if match else problem.field
        message = _with_labels(kb, problem.message)
        try:
            q = kb.question(qid)
        except KeyError:
            out.append(FieldProblem("staff-update", f"{problem.field}: {message}"))
            continue
        if match and match.group("index") is not None:
            used = reading.row_map.get(qid, [])
            index = int(match.group("index"))
            row = used[index] if index < len(used) else index
            item_field = match.group("field") or q.item_fields[0].id
            spec = next((f for f in q.item_fields if f.id == item_field), None)
            label = f"Incident {row + 1}, {(spec.label if spec else item_field).lower()}"
            out.append(FieldProblem(row_field_name(qid, row, item_field), f"{label}: {message}"))
        else:
            out.append(FieldProblem(field_id(qid), f"{q.staff_label or q.text}: {message}"))
    return out


def _with_labels(kb: rules.KnowledgeBase, message: str) -> str:
    """Name other questions in a message by their staff labels rather than their ids."""
    for q in kb.questions:
        if q.id in message:
            message = re.sub(rf"\b{re.escape(q.id)}\b", q.staff_label or q.text, message)
    return message


# -- drawing ----------------------------------------------------------------------------------------


def field_id(question_id: str) -> str:
    """The id of a question's first input (the one an error links to)."""
    return f"q-{question_id}"


def row_field_name(question_id: str, row: int, item_field: str) -> str:
    """The name (and id) of one cell's input in the incidents table."""
    return f"{question_id}-{row}-{item_field}"


def _render_console(form: t.Any, reading: Reading | None, result: dict[str, t.Any] | None,
                    added_row: bool = False) -> str:
    kb = get_knowledge()
    questions = {q.id: q for q in kb.questions}
    sections = [(s, [questions[qid] for qid in s.questions if qid in questions]) for s in kb.sections]
    rows = dict(reading.rows) if reading else {}
    for q in kb.questions:
        if q.type == "incidents":
            rows.setdefault(q.id, START_ROWS)
    problems = reading.problems if reading else []
    return render_template(
        "staff/console.html",
        sections=sections,
        values=form,
        rows=rows,
        max_rows={qid: _max_rows(qid) for qid in rows},
        added_row=added_row,
        contact_fields=CONTACT_FIELDS,
        errors=problems,
        error_for={p.field: p.message for p in reversed(problems)},
        has_errors=bool(problems),
        nothing_saved=NOTHING_SAVED,
        row_field_name=row_field_name,
        max_text=MAX_TEXT,
        max_contact_text=MAX_CONTACT_TEXT,
        max_notes=MAX_NOTES,
        notes=form.get("call_notes", ""),
        section_keys=SECTION_KEYS,
        shortcuts=SHORTCUTS,
        quick_exit_keys=quick_exit_keys(),
        **_panel_context(reading, result),
    )


def _panel_context(reading: Reading | None, result: dict[str, t.Any] | None) -> dict[str, t.Any]:
    kb = get_knowledge()
    labels = {q.id: q.staff_label or q.text for q in kb.questions}
    context: dict[str, t.Any] = {
        "result": result,
        "problems": reading.problems if reading else [],
        "answered": bool(reading and (reading.answers or reading.contact)),
        "labels": labels,
        "field_id": field_id,
        "risk_tag": RISK_TAG,
        "status_groups": STATUS_GROUPS,
        "not_used": not_used(reading) if reading else [],
        "summary": "",
        "worth_asking": list(reading.worth_asking) if reading else [],
        "agreed": set(reading.agreed) if reading else set(),
        "summary_url": url_for("staff.summary_text"),
        "print_url": url_for("staff.print_view"),
    }
    if result is not None:
        context["summary"] = case_note(reading, result) if reading else to_text(result, knowledge=kb)
        order = {status: i for i, status in enumerate(TIME_LIMIT_ORDER)}
        context["time_limits"] = sorted(result["time_limits"], key=lambda x: order.get(x["status"], len(order)))
    return context
