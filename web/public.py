"""The public pages: start, the questions (one a page, or a page group together), check answers, result, print,
and the information pages.

Blueprint ``public``; its templates are in ``templates/public/``. Every form
posts (answers never go in a URL), carries the session's CSRF token, and is
followed by a redirect, so Back and Refresh never resubmit anything.
"""

from __future__ import annotations

import re
import typing as t

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

import rules
from web import flow
from web import forms
from web import presenters
from web import state
from web.knowledge import get_assessor
from web.knowledge import get_knowledge

if t.TYPE_CHECKING:
    from flask.typing import ResponseReturnValue
    from werkzeug.wrappers import Response

bp = Blueprint("public", __name__)

#: A line break and the whitespace after it, which HTML shows as one space anyway.
_BREAK = re.compile(r"\n\s*")


def drop_indentation(page: str) -> str:
    """The page with the spaces and tabs ending each line, and the whitespace (blank lines
    too) starting each, taken out: ``re.sub(r"[ \\t]*\\n\\s*", "\\n", page)``, the same
    text about ten times as fast (that pattern tries a match at every character of the page)."""
    parts = _BREAK.split(page)
    last = parts.pop()
    return "\n".join([part.rstrip(" \t") for part in parts] + [last])


#: How many question pages people see, for the start page: the fewest and the most that
#: benchmarks/journeys.py measured over its personas (2026-12-01: 8 to 12).
#: tests/test_journeys_short.py checks every persona lies within it, near both ends.
QUESTION_PAGES = (8, 12)


@bp.get("/")
def start() -> str:
    return render_template("public/start.html", start_url=url_for("public.questions"), question_pages=QUESTION_PAGES)


@bp.get("/privacy")
def privacy() -> str:
    return render_template("public/privacy.html", has_answers=bool(state.get_answers()))


@bp.get("/leaving-quickly")
def leaving_quickly() -> str:
    return render_template("public/leaving_quickly.html")


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("public/accessibility.html")


@bp.post("/delete-my-answers")
def delete_my_answers() -> Response:
    """Forget every answer at once, then go back to the start page.

    The CSRF check has already run (web/security.py), so another site cannot
    wipe someone's answers behind their back.
    """
    state.clear()
    # The message rides in a fresh, answer-free session for one page view.
    flash("Your answers have been deleted.", "deleted")
    return redirect(url_for("public.start"), code=303)


# -- the questionnaire -----------------------------------------------------------------------------


@bp.get("/questions")
def questions() -> Response:
    """Go to the question to ask now, or to check answers when none is left."""
    return redirect(_next_url(state.get_answers()))


@bp.route("/questions/<token>", methods=["GET", "POST"])
def question(token: str) -> ResponseReturnValue:
    """One question on its own page.

    The address is a token made for this session (web/state.py): it names no
    question and no answer. An address from an older session, or a question no
    longer worth asking, goes on to the question to ask now.
    """
    kb = get_knowledge()
    answers = state.get_answers()
    question_id = state.question_for_token(token, [q.id for q in kb.questions])
    q = flow.find(kb, question_id) if question_id else None
    if q is None:
        return redirect(_next_url(answers))
    # The interview, the slow part, is asked once for the page and only where it is read:
    # whether a question not answered yet may be shown, which questions a page of several
    # holds, and the page's single-incident note (_page_context). Saving a changed answer
    # on a page of its own, or adding or removing an incident, needs none.
    iv = None
    if q.id not in answers or (flow.page_id(kb, q) and q.type != "incidents"):
        iv = flow.interview(kb, answers)
    if not flow.can_show(kb, answers, q.id, iv):
        return redirect(_next_url(answers, iv))
    if q.type == "incidents":
        return _incidents_page(q, answers, iv)
    trials: flow.Trials = {}  # what follow-ups would open: worked out once for the page
    members = flow.page_questions(kb, answers, q, iv, trials)
    if len(members) > 1:
        return _group_page(q, members, answers, iv or flow.interview(kb, answers), trials)

    errors: list[forms.FieldError] = []
    values = forms.Values(forms.values_for(q.type, forms.ANSWER, answers.get(q.id)))
    if request.method == "POST":
        values = forms.Values.from_form(request.form)
        try:
            value = None if "skip" in request.form else _parse_question(q)
            return _save_and_continue(q.id, value)
        except forms.FormError as error:
            errors = error.errors
        except state.AnswersTooLarge:
            errors = [forms.FieldError(_first_input(q), too_large_message(q))]
    return render_template(
        "public/question.html",
        question=q,
        **_page_context(q, answers, iv=iv),
        values=values,
        errors=errors,
        has_errors=bool(errors),
        max_text_length=forms.MAX_TEXT_LENGTH,
    )


@bp.get("/your-safety")
def danger() -> ResponseReturnValue:
    """The interruption after "Yes, I am in danger now": 999 first, Exit this page,
    and carrying on only as the second choice."""
    kb = get_knowledge()
    answers = state.get_answers()
    danger_id = kb.meta.danger_question
    if answers.get(danger_id) is not True:
        return redirect(_next_url(answers))
    return render_template(
        "public/danger.html",
        continue_url=_next_url(answers),
        back_url=_question_url(danger_id),
    )


@bp.get("/leave")
def leave() -> Response:
    """Exit this page: forget the answers, then go to an everyday site.

    Every way of leaving (the button, Shift three times, the link without
    JavaScript) comes here. The session is cleared (its cookie is deleted by
    this response) and Clear-Site-Data asks the browser to drop this site's
    cookies and storage too; 303 sends the browser on, and the page's script
    uses location.replace, so this address takes the place of the page the
    person was on in the history.
    """
    state.clear()
    response = redirect(current_app.config["EXIT_URL"], code=303)
    response.headers["Clear-Site-Data"] = '"cookies", "storage"'
    return response


@bp.get("/check-your-answers")
def check_answers() -> ResponseReturnValue:
    """Every answer given, each with a Change link, before the result."""
    kb = get_knowledge()
    answers = state.get_answers()
    if not answers:
        return redirect(url_for("public.start"))
    following = flow.next_question(kb, answers)
    if following is not None:
        return redirect(_question_url(following.id))
    asked = state.get_asked()
    rows = [(q, answers.get(q.id), _question_url(q.id)) for q in flow.shown_order(kb, asked, answers)]
    last = flow.previous_page(kb, asked, answers, [])
    return render_template(
        "public/check_answers.html",
        rows=rows,
        dropped=_dropped_questions(),
        back_url=_question_url(last) if last else url_for("public.start"),
    )


@bp.get("/result")
def result() -> ResponseReturnValue:
    return _render_result("public/result.html")


@bp.get("/result/print")
def result_print() -> ResponseReturnValue:
    return _render_result("public/print.html")


@bp.get("/result/legal-detail")
def legal_detail() -> ResponseReturnValue:
    """Each part of every law still open, with reasons and sources."""
    return _render_result("public/legal_detail.html")


@bp.get("/result/staying-safe")
def staying_safe() -> ResponseReturnValue:
    """Every safety step that fits the answers, with why and where it comes from."""
    return _render_result("public/staying_safe.html")


@bp.get("/result/summary.html")
def result_download() -> ResponseReturnValue:
    """The police summary as a file to save: made from the session now, never stored."""
    response = _render_result("public/summary_file.html")
    if isinstance(response, str):
        download = make_response(response)
        download.headers["Content-Disposition"] = 'attachment; filename="summary.html"'
        return download
    return response


def _render_result(template: str) -> ResponseReturnValue:
    """Show the engine's assessment of the answers; the template only displays it.

    Only the result page itself links "answers that would help" and says when it happened
    once, so only it asks the interview (the slow part); the parts of the assessment are
    worked out as the template reads them (presenters.ResultParts).
    """
    answers = state.get_answers()
    if not answers:
        return redirect(url_for("public.start"))
    kb = get_knowledge()
    full = template == "public/result.html"
    iv: flow.Interview | None = None
    try:
        assessment = get_assessor().assess(_without_skipped(answers))
        if full or not _skipped_known(kb, answers):
            # The interview checks the skipped answers too: one to a question no longer in
            # the knowledge is a problem to show, as on the result page.
            iv = flow.interview(kb, answers)
    except rules.AnswersError as error:
        # Saved answers are checked one by one as they are given, so this means
        # the questions changed under them (a new knowledge version). Show what
        # to fix rather than fail.
        problems = [(flow.find(kb, p.field.split("[")[0].split(".")[0]), p.message) for p in error.problems]
        return render_template("public/answers_problem.html", problems=problems, question_url=_question_url), 400
    data = presenters.ResultParts(assessment)
    extra: dict[str, t.Any] = {}
    if full and iv is not None:
        # A link only for an answer the result names as missing that the questions would ask now.
        missing = {m.question for m in assessment.missing}
        extra = {"single_incident": iv.single_incident,
                 "can_ask": {q.id: _question_url(q.id) for q in iv.worth_asking if q.id in missing}}
    page = render_template(
        template,
        result=data,
        view=presenters.result_view(data),
        answers=answers,
        questions={q.id: q for q in kb.questions},
        back_url=url_for("public.check_answers"),
        **extra,
    )
    # The templates' indentation is a fifth of a result page: drop it. These
    # pages have no <pre> or <textarea>, where it would matter.
    return drop_indentation(page)


def _skipped_known(kb: t.Any, answers: t.Mapping[str, t.Any]) -> bool:
    """Whether every skipped answer (None) is to a question in the knowledge."""
    ids = {q.id for q in kb.questions}
    return all(key in ids for key, value in answers.items() if value is None)


# -- a page of several questions ---------------------------------------------------------------------


def _group_page(q: t.Any, members: list[t.Any], answers: dict[str, t.Any], iv: flow.Interview,
                trials: flow.Trials | None = None) -> ResponseReturnValue:
    """Several questions of one page (knowledge, ``page:``; or the first page) together.

    Each has its own field; a field left empty is that question skipped (None), never
    a "no". A follow-up (``flow.follow_ups``) comes straight after the question whose
    answer opens it, saying which answer it needs, and is kept only when that answer is given. Continue saves them all; each
    is checked as on its own page, and every problem is shown against its field.
    """
    kb = get_knowledge()
    following = flow.follow_ups(kb, answers, members, trials=trials)
    errors: list[forms.FieldError] = []
    values = forms.Values({key: value for m in members
                           for key, value in forms.values_for(m.type, forms.field_name(m.id), answers.get(m.id)).items()})
    if request.method == "POST":
        values = forms.Values.from_form(request.form)
        try:
            given, closed = _parse_group(members, answers, following)
            return _save_all_and_continue(q.id, given, closed)
        except forms.FormError as error:
            errors = error.errors
        except state.AnswersTooLarge:
            first = next((m for m in members if m.type == "text"), members[0])
            errors = [forms.FieldError(_first_input(first, forms.field_name(first.id)), too_large_message(first))]
    by_id = {m.id: m for m in members}
    conditions = {follow_up: _condition(by_id[gate_id], value) for follow_up, (gate_id, value) in following.items()}
    return render_template(
        "public/question.html",
        question=q,
        members=members,
        follow_ups=following,
        conditions=conditions,
        field_name=forms.field_name,
        **_page_context(q, answers, [m.id for m in members], iv),
        values=values,
        errors=errors,
        has_errors=bool(errors),
        max_text_length=forms.MAX_TEXT_LENGTH,
    )


def _condition(opening: t.Any, value: t.Any) -> str:
    """What a follow-up's hint says about the answer it needs, from the question just above it."""
    if opening.type == "boolean":
        return f"Answer this only if you answered {'yes' if value else 'no'} above."
    label = next((o.label for o in opening.options if o.id == value), str(value))
    return f"Answer this only if you chose ‘{label}’ above."


def _parse_group(members: list[t.Any], answers: t.Mapping[str, t.Any],
                 following: t.Mapping[str, tuple[str, t.Any]] | None = None) -> tuple[dict[str, t.Any], list[str]]:
    """Every answer on a group page, in page order; an empty field is a skip (None).

    A follow-up counts only when the answer that opens it was given on this page; otherwise
    whatever its (hidden) field holds is set aside, and an answer it had before is removed
    (the ids removed are returned second). Two answers that cannot both be true (a date
    before the date it follows, a number above the number it is part of) are shown as an
    error on the later one, so the person can correct either here.
    """
    following = following or {}
    given: dict[str, t.Any] = {}
    closed: list[str] = []
    errors: list[forms.FieldError] = []
    for m in sorted(members, key=lambda x: x.id in following):  # what opens a follow-up first
        name = forms.field_name(m.id)
        if m.id in following:
            gate_id, value = following[m.id]
            if given.get(gate_id) != value:
                closed.append(m.id)
                continue
        if "skip" in request.form or forms.is_blank(m.type, request.form, name):
            given[m.id] = None
            continue
        try:
            given[m.id] = forms.parse(m.type, request.form, name, m.options, m.minimum, m.maximum)
        except forms.FormError as error:
            errors.extend(error.errors)
    kb = get_knowledge()
    known = {**answers, **given}
    for m in members:
        value = given.get(m.id)
        before = known.get(m.not_before_answer) if m.not_before_answer else None
        if isinstance(value, str) and isinstance(before, str) and value < before:
            other = flow.find(kb, m.not_before_answer)
            errors.append(forms.FieldError(f"{forms.field_name(m.id)}-day",
                                           f"Date must be the same as or after your answer to ‘{getattr(other, 'text', '')}’"))
        most = known.get(m.at_most_answer) if m.at_most_answer else None
        if isinstance(value, int) and isinstance(most, int) and value > most:
            other = flow.find(kb, m.at_most_answer)
            errors.append(forms.FieldError(forms.field_name(m.id),
                                           f"Enter a number that is {most} or less, your answer to ‘{getattr(other, 'text', '')}’"))
    if errors:
        order = {forms.field_name(m.id): i for i, m in enumerate(members)}
        errors.sort(key=lambda e: order.get(re.sub(r"-(day|month|year)$", "", e.field), len(order)))
        raise forms.FormError(errors)
    return {m.id: given[m.id] for m in members if m.id in given}, closed


def _save_all_and_continue(opened: str, given: dict[str, t.Any], closed: t.Sequence[str] = ()) -> Response:
    """Keep every answer of a group page, drop answers that no longer matter, go on.

    The page's questions are recorded as shown, the one whose address opened the page
    first, so Back from the next page returns to this page's own address. A follow-up
    whose opening answer was not given is not kept (``closed``). After "Yes, I am in
    danger now" the next page is the safety interruption, whatever else the page held.
    """
    kb = get_knowledge()
    answers = state.get_answers()
    answers.update(given)
    for question_id in closed:
        answers.pop(question_id, None)
    answers, dropped, iv = flow.settle(kb, answers)
    asked = state.get_asked()
    for question_id in [opened, *(x for x in given if x != opened)]:
        asked = _keep_order(asked, question_id, answers)
    state.replace_answers(answers, asked=asked, dropped=dropped,
                          small=all(_is_small(kb, qid, value) for qid, value in given.items()))
    if given.get(kb.meta.danger_question) is True:
        return redirect(url_for("public.danger"), code=303)
    return redirect(_next_url(answers, iv), code=303)


# -- the incidents page ----------------------------------------------------------------------------


def _incidents_page(q: t.Any, answers: dict[str, t.Any], iv: flow.Interview | None) -> ResponseReturnValue:
    """A list answer, built one item at a time ("add another" pattern).

    The page shows the items added so far, each with a Remove button, and a form
    to add one more. "Continue" adds what is filled in, if anything, and moves on.
    """
    items: list[dict[str, t.Any]] = list(answers.get(q.id) or [])
    errors: list[forms.FieldError] = []
    values = forms.Values()
    if request.method == "POST":
        action = request.form.get("action", "continue")
        values = forms.Values.from_form(request.form)
        try:
            if action.startswith("remove-"):
                index = _index(action.removeprefix("remove-"), len(items))
                del items[index]
                return _save_and_stay(q.id, items)
            if action == "add" or not _item_blank(q):
                items.append(_parse_item(q))
                if action == "add":
                    return _save_and_stay(q.id, items)
            return _save_and_continue(q.id, items or None)
        except forms.FormError as error:
            errors = error.errors
        except state.AnswersTooLarge:
            errors = [forms.FieldError(f"{forms.ITEM}-{q.item_fields[0].id}", too_large_message(q))]
    return render_template(
        "public/incidents.html",
        question=q,
        **_page_context(q, answers, iv=iv),
        items=items,
        values=values,
        errors=errors,
        has_errors=bool(errors),
        max_text_length=forms.MAX_TEXT_LENGTH,
    )


def _parse_question(q: t.Any) -> t.Any:
    return forms.parse(q.type, request.form, forms.ANSWER, q.options, q.minimum, q.maximum)


def _parse_item(q: t.Any) -> dict[str, t.Any]:
    """One item from the add form; optional fields left blank are left out."""
    item: dict[str, t.Any] = {}
    errors: list[forms.FieldError] = []
    for field in q.item_fields:
        name = f"{forms.ITEM}-{field.id}"
        if not field.required and forms.is_blank(field.type, request.form, name):
            continue
        try:
            item[field.id] = forms.parse(field.type, request.form, name, field.options)
        except forms.FormError as error:
            errors.extend(error.errors)
    if errors:
        raise forms.FormError(errors)
    return item


def _item_blank(q: t.Any) -> bool:
    return all(forms.is_blank(f.type, request.form, f"{forms.ITEM}-{f.id}") for f in q.item_fields)


def _index(text: str, length: int) -> int:
    if not text.isdigit() or len(text) > 6 or int(text) >= length:
        abort(400)
    return int(text)


# -- saving and moving on ------------------------------------------------------------------------------


def _save_and_continue(question_id: str, value: t.Any) -> Response:
    """Keep the answer, drop answers that no longer matter, go to the next question.

    After "Yes, I am in danger now" the next page is the safety interruption.
    """
    kb = get_knowledge()
    answers = state.get_answers()
    answers[question_id] = value
    answers, dropped, iv = flow.settle(kb, answers)
    state.replace_answers(answers, asked=_keep_order(state.get_asked(), question_id, answers), dropped=dropped,
                          small=_is_small(kb, question_id, value))
    if question_id == kb.meta.danger_question and value is True:
        return redirect(url_for("public.danger"), code=303)
    return redirect(_next_url(answers, iv), code=303)


def _save_and_stay(question_id: str, items: list[dict[str, t.Any]]) -> Response:
    answers = state.get_answers()
    answers[question_id] = items or None
    state.replace_answers(answers, asked=_keep_order(state.get_asked(), question_id, answers))
    return redirect(_question_url(question_id), code=303)


def _keep_order(asked: list[str], question_id: str, answers: t.Mapping[str, t.Any]) -> list[str]:
    """The questions shown, in order: this one added where it was first shown."""
    order = [q for q in asked if q in answers or q == question_id]
    if question_id not in order:
        order.append(question_id)
    return order


def _is_small(kb: t.Any, question_id: str, value: t.Any) -> bool:
    """A skip, a yes/no or a choice: always kept, using the room held back for them."""
    q = flow.find(kb, question_id)
    return value is None or (q is not None and q.type not in ("text", "incidents"))


def _next_url(answers: t.Mapping[str, t.Any], iv: flow.Interview | None = None) -> str:
    """The page to go to now: the next question, else check answers (the start page with no
    answers). ``iv``: the interview for these answers, when the caller has it already."""
    following = iv.next if iv is not None else flow.next_question(get_knowledge(), answers)
    if following is None:
        return url_for("public.check_answers") if answers else url_for("public.start")
    return _question_url(following.id)


def _question_url(question_id: str) -> str:
    return url_for("public.question", token=state.question_token(question_id))


def _page_context(q: t.Any, answers: t.Mapping[str, t.Any], on_page: t.Sequence[str] = (),
                  iv: flow.Interview | None = None) -> dict[str, t.Any]:
    """What every question page shows around its questions: the section, the
    page's number, Back, answers just dropped, and the single-incident note."""
    kb = get_knowledge()
    asked = state.get_asked()
    on_page = list(on_page) or [q.id]
    number = flow.page_number(kb, asked, answers, on_page)
    previous = flow.previous_page(kb, asked, answers, on_page)
    iv = iv or flow.interview(kb, answers)
    return {
        "section": _section_title(q),
        "number": number,
        "back_url": _question_url(previous) if previous else url_for("public.start"),
        "dropped": _dropped_questions(),
        "single_incident": iv.single_incident,
    }


def _dropped_questions() -> list[t.Any]:
    kb = get_knowledge()
    return [q for q in (flow.find(kb, x) for x in state.take_dropped()) if q is not None]


def too_large_message(q: t.Any) -> str:
    """What to shorten when the answers would not fit in the cookie."""
    if q.type == "incidents":
        return ("Your answers are too long for this browser to keep. Shorten what you wrote in this incident or an"
                " earlier one, or leave this incident out and keep it in your own diary. You can still continue.")
    if q.type == "text":
        return ("Your answers are too long for this browser to keep. Shorten this answer, or skip it, or shorten"
                " what you wrote about your incidents.")
    return "Your answers are too long for this browser to keep. Skip this question to continue."


def _section_title(q: t.Any) -> str:
    sections = getattr(get_knowledge(), "sections", ())
    return next((s.title for s in sections if s.id == q.section), "")


def _first_input(q: t.Any, name: str = forms.ANSWER) -> str:
    return f"{name}-day" if q.type == "date" else name


def _without_skipped(answers: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    return {key: value for key, value in answers.items() if value is not None}
