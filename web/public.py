"""The public pages: start, one question a page, check answers, result, print,
and the information pages.

Blueprint ``public``; its templates are in ``templates/public/``. Every form
posts (answers never go in a URL), carries the session's CSRF token, and is
followed by a redirect, so Back and Refresh never resubmit anything.
"""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

import rules
from web import flow
from web import forms
from web import state
from web.knowledge import get_assessor
from web.knowledge import get_knowledge

if t.TYPE_CHECKING:
    from flask.typing import ResponseReturnValue
    from werkzeug.wrappers import Response

bp = Blueprint("public", __name__)

#: The message shown when an answer would not fit in the cookie.
TOO_LARGE = "Your answers are too long for this browser to keep. Try a shorter answer."


@bp.get("/")
def start() -> str:
    return render_template("public/start.html", start_url=url_for("public.questions"))


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
    """Go to the first question not yet answered, or to check answers."""
    return redirect(_next_url(state.get_answers()))


@bp.route("/questions/<question_id>", methods=["GET", "POST"])
def question(question_id: str) -> ResponseReturnValue:
    """One question on its own page."""
    kb = get_knowledge()
    q = flow.find(kb, question_id)
    if q is None:
        abort(404)
    answers = state.get_answers()
    if q.id not in {x.id for x in flow.asked(kb, answers)}:
        # Not asked for these answers (an old bookmark, or answers changed).
        return redirect(_next_url(answers))
    if q.type == "incidents":
        return _incidents_page(q, answers)

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
            errors = [forms.FieldError(_first_input(q), TOO_LARGE)]
    return render_template(
        "public/question.html",
        question=q,
        section=_section_title(q),
        values=values,
        errors=errors,
        has_errors=bool(errors),
        back_url=_back_url(q.id, answers),
        max_text_length=forms.MAX_TEXT_LENGTH,
    )


@bp.get("/check-your-answers")
def check_answers() -> ResponseReturnValue:
    """Every answer given, each with a Change link, before the result."""
    kb = get_knowledge()
    answers = state.get_answers()
    if not answers:
        return redirect(url_for("public.start"))
    following = flow.next_question(kb, answers)
    if following is not None:
        return redirect(url_for("public.question", question_id=following.id))
    rows = [(q, answers.get(q.id)) for q in flow.asked(kb, answers)]
    last = flow.last_question(kb, answers)
    return render_template(
        "public/check_answers.html",
        rows=rows,
        back_url=url_for("public.question", question_id=last.id) if last else url_for("public.start"),
    )


@bp.get("/result")
def result() -> ResponseReturnValue:
    return _render_result("public/result.html")


@bp.get("/result/print")
def result_print() -> ResponseReturnValue:
    return _render_result("public/print.html")


def _render_result(template: str) -> ResponseReturnValue:
    """Show the engine's assessment of the answers; the template only displays it."""
    answers = state.get_answers()
    if not answers:
        return redirect(url_for("public.start"))
    try:
        assessment = get_assessor().assess(_without_skipped(answers))
    except rules.AnswersError as error:
        # Saved answers are checked one by one as they are given, so this means
        # the questions changed under them (a new knowledge version). Show what
        # to fix rather than fail.
        kb = get_knowledge()
        problems = [(flow.find(kb, p.field.split("[")[0].split(".")[0]), p.message) for p in error.problems]
        return render_template("public/answers_problem.html", problems=problems), 400
    return render_template(template, result=assessment.to_dict(), back_url=url_for("public.check_answers"))


# -- the incidents page ----------------------------------------------------------------------------


def _incidents_page(q: t.Any, answers: dict[str, t.Any]) -> ResponseReturnValue:
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
            errors = [forms.FieldError(f"{forms.ITEM}-{q.item_fields[0].id}", TOO_LARGE)]
    return render_template(
        "public/incidents.html",
        question=q,
        section=_section_title(q),
        items=items,
        values=values,
        errors=errors,
        has_errors=bool(errors),
        back_url=_back_url(q.id, answers),
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
    if not text.isdigit() or int(text) >= length:
        abort(400)
    return int(text)


# -- saving and moving on ------------------------------------------------------------------------------


def _save_and_continue(question_id: str, value: t.Any) -> Response:
    """Keep the answer, drop answers that no longer apply, go to the next question."""
    kb = get_knowledge()
    answers = state.get_answers()
    answers[question_id] = value
    answers = flow.relevant(kb, answers)
    state.replace_answers(answers)
    return redirect(_next_url(answers), code=303)


def _save_and_stay(question_id: str, items: list[dict[str, t.Any]]) -> Response:
    state.save_answer(question_id, items or None)
    return redirect(url_for("public.question", question_id=question_id), code=303)


def _next_url(answers: t.Mapping[str, t.Any]) -> str:
    following = flow.next_question(get_knowledge(), answers)
    if following is None:
        return url_for("public.check_answers") if answers else url_for("public.start")
    return url_for("public.question", question_id=following.id)


def _back_url(question_id: str, answers: t.Mapping[str, t.Any]) -> str:
    previous = flow.previous_question(get_knowledge(), answers, question_id)
    if previous is None:
        return url_for("public.start")
    return url_for("public.question", question_id=previous.id)


def _section_title(q: t.Any) -> str:
    sections = getattr(get_knowledge(), "sections", ())
    return next((s.title for s in sections if s.id == q.section), "")


def _first_input(q: t.Any) -> str:
    return f"{forms.ANSWER}-day" if q.type == "date" else forms.ANSWER


def _without_skipped(answers: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    return {key: value for key, value in answers.items() if value is not None}
