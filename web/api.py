"""The JSON API: assess answers, and describe the questions and the answers' shape.

Blueprint ``api``, mounted at ``/api/v1``. It is stateless: it never reads or
writes the session, keeps nothing, and accepts request bodies only as
``application/json`` (which a cross-site HTML form cannot send), so it needs no
CSRF token. Every error is ``{"errors": [...]}`` (see web/errors.py).
"""

from __future__ import annotations

import json
import typing as t

from flask import Blueprint
from flask import jsonify
from flask import request
from werkzeug.exceptions import UnsupportedMediaType

import rules
from web import openapi
from web.errors import api_error
from web.knowledge import get_assessor
from web.knowledge import get_knowledge

if t.TYPE_CHECKING:
    from flask import Response

bp = Blueprint("api", __name__)

#: The keys an assessment request may have.
REQUEST_KEYS = ("answers", "as_at")


@bp.post("/assessments")
def create_assessment() -> Response | tuple[Response, int]:
    """Assess the answers in the body and return the assessment.

    The body is ``{"answers": {...}, "as_at": "YYYY-MM-DD"}``; ``as_at`` is
    optional and may be given in the query string instead (the body wins).
    """
    if request.mimetype != "application/json":
        raise UnsupportedMediaType()
    # get_data enforces MAX_CONTENT_LENGTH (413) before the body is read.
    try:
        body = json.loads(request.get_data(cache=False))
    except (ValueError, UnicodeDecodeError) as error:
        # The decoder's message gives a position, never the text it choked on.
        return api_error(400, [{"field": "(body)", "message": f"is not valid JSON ({_position(error)})"}])

    problems = _request_problems(body)
    if problems:
        return api_error(400, problems)
    as_at = body.get("as_at", request.args.get("as_at"))
    try:
        assessment = get_assessor().assess(body["answers"], as_at)
    except rules.AnswersError as error:
        return jsonify(error.to_dict()), 400
    return jsonify(assessment.to_dict())


@bp.post("/next-question")
def next_question() -> Response | tuple[Response, int]:
    """The next question worth asking for the answers in the body, and every one still
    worth asking (``rules.interview``): the same interview the public pages run.

    The body is ``{"answers": {...}, "as_at": "YYYY-MM-DD"}`` (``as_at`` optional). An
    answer given as null was asked and skipped: it is never offered again.
    """
    if request.mimetype != "application/json":
        raise UnsupportedMediaType()
    try:
        body = json.loads(request.get_data(cache=False))
    except (ValueError, UnicodeDecodeError) as error:
        return api_error(400, [{"field": "(body)", "message": f"is not valid JSON ({_position(error)})"}])
    problems = _request_problems(body)
    if problems:
        return api_error(400, problems)
    kb = get_knowledge()
    try:
        iv = rules.interview(body["answers"], as_at=body.get("as_at"), knowledge=kb)
    except rules.AnswersError as error:
        return jsonify(error.to_dict()), 400
    return jsonify(
        knowledge_version=kb.version,
        done=iv.next is None,
        next=question_to_dict(iv.next) if iv.next is not None else None,
        worth_asking=[q.id for q in iv.worth_asking],
        could_change={k: list(v) for k, v in getattr(iv, "could_change", {}).items()},
        ignored=list(iv.ignored),
        single_incident=bool(iv.single_incident),
    )


@bp.get("/questions")
def list_questions() -> Response:
    """Every question, in order, with its options: what a client needs to ask them."""
    kb = get_knowledge()
    return jsonify(
        knowledge_version=kb.version,
        questions=[question_to_dict(q) for q in kb.questions],
    )


@bp.get("/schema")
def answers_schema() -> Response:
    """The JSON Schema of the ``answers`` object."""
    return jsonify(rules.answers_schema(get_knowledge()))


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi.build(get_knowledge()))


def question_to_dict(question: t.Any) -> dict[str, t.Any]:
    """A question as plain JSON: its wording, type and options, no conditions."""
    out: dict[str, t.Any] = {
        "id": question.id,
        "section": question.section,
        "text": question.text,
        "hint": question.hint or None,
        "why": question.why,
        "type": question.type,
        "options": [_option(o) for o in question.options],
    }
    item_fields = getattr(question, "item_fields", ())
    if item_fields:
        out["item_fields"] = [
            {
                "id": f.id,
                "label": f.label,
                "type": f.type,
                "required": f.required,
                "options": [_option(o) for o in f.options],
            }
            for f in item_fields
        ]
    return out


def _option(option: t.Any) -> dict[str, t.Any]:
    out = {"id": option.id, "label": option.label, "hint": option.hint or None}
    if getattr(option, "exclusive", False):
        out["exclusive"] = True
    return out


def _request_problems(body: t.Any) -> list[dict[str, str]]:
    """Every problem with the request's outer shape (the answers are checked by rules)."""
    if not isinstance(body, dict):
        return [{"field": "(body)", "message": 'must be a JSON object: {"answers": {...}}'}]
    problems = [
        {"field": str(key), "message": f"is not allowed here; the keys are: {', '.join(REQUEST_KEYS)}"}
        for key in body
        if key not in REQUEST_KEYS
    ]
    if "answers" not in body:
        problems.append({"field": "answers", "message": "is required: an object of question id to answer"})
    if "as_at" in body and not isinstance(body["as_at"], str):
        problems.append({"field": "as_at", "message": "must be a date written YYYY-MM-DD"})
    return problems


def _position(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"line {error.lineno}, column {error.colno}"
    return "it is not UTF-8 text"
