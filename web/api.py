"""The JSON API: assess answers, and describe the questions and the answers' shape.

Blueprint ``api``, mounted at ``/api/v1``. It is stateless: it never reads or
writes the session, keeps nothing, and accepts request bodies only as
``application/json`` (which a cross-site HTML form cannot send), so it needs no
CSRF token. Every error is ``{"errors": [...]}`` (see web/errors.py).
"""

from __future__ import annotations

import hashlib
import typing as t

import orjson
from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import request

import rules
from rules.assessment import PROVISION_STATUSES
from web import openapi
from web.errors import api_error
from web.jsonbody import read_json
from web.knowledge import get_assessor
from web.knowledge import get_knowledge

bp = Blueprint("api", __name__)

#: The keys an assessment request may have.
REQUEST_KEYS = ("answers", "as_at")


@bp.post("/assessments")
def create_assessment() -> Response | tuple[Response, int]:
    """Assess the answers in the body and return the assessment.

    The body is ``{"answers": {...}, "as_at": "YYYY-MM-DD"}``; ``as_at`` is
    optional and may be given in the query string instead (the body wins).
    ``?explain=summary`` (the default) gives what a client shows first: statuses and
    reasons, risk, services, safety advice, missing answers and time limits.
    ``?explain=full`` adds every element with its reasons, gates and defences, signs,
    incidents and the trace of every rule that fired, with each citation given once in
    ``citations`` and referred to by its id. ``Assessment.to_dict()`` is the full
    Python shape with citations written out.
    """
    # 415, 413 (chunked bodies too), and 400 for JSON that is bad, too deep or has a huge number.
    body, problems = read_json()
    if problems:
        return api_error(400, problems)
    problems = _request_problems(body, query=("as_at", "explain"))
    explain = request.args.get("explain", EXPLAIN[0])
    if explain not in EXPLAIN or len(request.args.getlist("explain")) > 1:
        problems.append({"field": "?explain", "message": f"must be given at most once, one of: {', '.join(EXPLAIN)}"})
    if problems:
        return api_error(400, problems)
    as_at = body.get("as_at", request.args.get("as_at"))
    try:
        assessment = get_assessor().assess(body["answers"], as_at)
    except rules.AnswersError as error:
        return jsonify(error.to_dict()), 400
    if explain == "full":
        return json_response(full_shape(assessment))
    return json_response(summary_shape(assessment, get_knowledge().meta.status_text))


@bp.post("/next-question")
def next_question() -> Response | tuple[Response, int]:
    """The next question worth asking for the answers in the body, and every one still
    worth asking (``rules.interview``): the same interview the public pages run.

    The body is ``{"answers": {...}, "as_at": "YYYY-MM-DD"}`` (``as_at`` optional). An
    answer given as null was asked and skipped: it is never offered again.
    """
    body, problems = read_json()
    if problems:
        return api_error(400, problems)
    problems = _request_problems(body)
    if problems:
        return api_error(400, problems)
    kb = get_knowledge()
    try:
        iv = rules.interview(body["answers"], as_at=body.get("as_at", request.args.get("as_at")), knowledge=kb)
    except rules.AnswersError as error:
        return jsonify(error.to_dict()), 400
    return json_response(dict(
        knowledge_version=kb.version,
        done=iv.next is None,
        next=question_to_dict(iv.next) if iv.next is not None else None,
        worth_asking=[q.id for q in iv.worth_asking],
        could_change={k: list(v) for k, v in getattr(iv, "could_change", {}).items()},
        ignored=list(iv.ignored),
        single_incident=bool(iv.single_incident),
    ))


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


#: The shapes of an assessment the API gives (``?explain=``); the first is the default.
EXPLAIN = ("summary", "full")


def json_response(payload: t.Any, status: int = 200) -> Response:
    """JSON encoded by orjson (about ten times faster than the json module on an assessment).

    Not compressed here: a 10 KB summary costs more to gzip than it saves on loopback; the
    TLS-terminating proxy compresses if the link is slow (README, Speed).
    """
    return Response(orjson.dumps(payload), status=status, mimetype="application/json")


def summary_shape(assessment: rules.Assessment, status_text: t.Mapping[str, str]) -> dict[str, t.Any]:
    """What a client shows first, built straight from the Assessment (no full ``to_dict``).

    Kept small (about 16 KB for a realistic call; README, Speed): each status's sentence is
    given once in ``status_text`` and a provision's ``reason`` is only what its own answers
    add to it (absent when nothing, as ``missing`` is when empty); a law that does not fit is given by id and status (``?explain=full`` names it
    and says why); a risk pathway by id and title (its staff action is in the full shape).
    """
    risk = assessment.risk
    coc = assessment.course_of_conduct
    return {
        "explain": "summary",
        "knowledge_version": assessment.knowledge_version,
        "as_at": assessment.as_at.isoformat(),
        "law_as_at": assessment.law_as_at.isoformat(),
        "notice": assessment.notice,
        "safety": assessment.safety.to_dict(),
        "risk": None if risk is None else {
            "level": risk.level,
            "title": risk.title,
            "plain": risk.plain,
            "indicators": [{"id": i.id, "label": i.label} for i in risk.indicators],
            "decided_by": list(risk.decided_by),
            "pathways": [{"id": p.id, "title": p.title} for p in risk.pathways],
            "screening_complete": risk.screening_complete,
            "unanswered": [m.question for m in risk.unanswered],
        },
        "jurisdiction": {
            "place": assessment.jurisdiction.place,
            "assessed_under": assessment.jurisdiction.assessed_under,
            "other_law": [{k: o[k] for k in ("id", "title", "plain", "services")} for o in assessment.jurisdiction.other],
        },
        "status_text": {status: status_text.get(status, "") for status in PROVISION_STATUSES},
        "offences": [_provision_summary(p, status_text) for p in assessment.offences],
        "orders": [_provision_summary(p, status_text) for p in assessment.orders],
        "course_of_conduct": {
            "occasions": coc.occasions,
            "first_incident": _iso(coc.first_incident),
            "last_incident": _iso(coc.last_incident),
            "span_days": coc.span_days,
            "longest_gap_days": coc.longest_gap_days,
            "finding": coc.finding,
        },
        "time_limits": [
            {"provision": x.provision, "status": x.status, "ends_on": _iso(x.ends_on)}
            for x in assessment.time_limits
        ],
        "services": [
            {"id": s.id, "name": s.name, "urgent": s.urgent, "why": s.why, "hours": s.hours,
             "contacts": [{"kind": c.kind, "value": c.value, "label": c.label or None} for c in s.contacts]}
            for s in assessment.services
        ],
        "safety_advice": [
            {"id": a.id, "title": a.title, "urgent": a.urgent} for a in getattr(assessment, "safety_advice", ())
        ],
        # Question ids, as everywhere in the summary: GET /api/v1/questions gives their wording.
        "missing": [m.question for m in assessment.missing],
        "what_to_do_now": list(assessment.what_to_do_now),
        "ignored": list(assessment.ignored),
    }


def _provision_summary(p: t.Any, status_text: t.Mapping[str, str]) -> dict[str, t.Any]:
    # A law that does not fit, and why, is a long text for each of many laws: ?explain=full gives it.
    if p.status == "not_met":
        return {"id": p.id, "status": p.status}
    out: dict[str, t.Any] = {"id": p.id, "title": p.title, "status": p.status}
    reason = own_reason(p.reason, status_text.get(p.status, ""))
    if reason:  # absent when the status's sentence says it all
        out["reason"] = reason
    if p.missing:  # absent when no answer is missing
        out["missing"] = list(p.missing)
    return out


def own_reason(reason: str, said: str) -> str | None:
    """What a provision's reason adds to its status's sentence (which leads it), or None.

    ``f"{said} {own}"`` (or ``said`` alone when None) gives the reason back.
    """
    if said and reason.startswith(said):
        reason = reason[len(said):].strip()
    return reason or None


def _iso(day: t.Any) -> str | None:
    return day.isoformat() if day is not None else None


def full_shape(assessment: rules.Assessment) -> dict[str, t.Any]:
    """``Assessment.to_dict()`` with each citation given once, in ``citations``, by id.

    A citation's id is a digest of its content, so the same citation has the same id in
    every response; ``expand_citations`` puts them back in place.
    """
    citations: dict[str, dict[str, t.Any]] = {}
    out = _refer(assessment.to_dict(), citations)
    out["explain"] = "full"
    out["citations"] = citations
    return t.cast("dict[str, t.Any]", out)


def citation_id(citation: dict[str, t.Any]) -> str:
    digest = hashlib.blake2s(orjson.dumps(citation, option=orjson.OPT_SORT_KEYS), digest_size=6).hexdigest()
    return f"cite-{digest}"


def _is_citation(value: t.Any) -> bool:
    return isinstance(value, dict) and "url" in value and "checked_on" in value and "verification" in value


def _refer(value: t.Any, citations: dict[str, dict[str, t.Any]]) -> t.Any:
    if isinstance(value, dict):
        out: dict[str, t.Any] = {}
        for key, item in value.items():
            if key in ("citation", "laws") and item is not None:
                if _is_citation(item):
                    out[key] = _cite_once(item, citations)
                    continue
                if isinstance(item, list) and item and all(_is_citation(c) for c in item):
                    out[key] = [_cite_once(c, citations) for c in item]
                    continue
            out[key] = _refer(item, citations)
        return out
    if isinstance(value, list):
        return [_refer(item, citations) for item in value]
    return value


def _cite_once(citation: dict[str, t.Any], citations: dict[str, dict[str, t.Any]]) -> str:
    key = citation_id(citation)
    citations.setdefault(key, citation)
    return key


def expand_citations(full: dict[str, t.Any]) -> dict[str, t.Any]:
    """The full shape with each citation id replaced by the citation (``to_dict()``'s shape)."""
    citations = full["citations"]

    def put_back(value: t.Any, key: str = "") -> t.Any:
        if isinstance(value, dict):
            return {k: put_back(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [put_back(v, key) for v in value]
        if key in ("citation", "laws") and isinstance(value, str) and value in citations:
            return citations[value]
        return value

    out = put_back({k: v for k, v in full.items() if k not in ("citations", "explain")})
    return t.cast("dict[str, t.Any]", out)


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


def _request_problems(body: t.Any, query: tuple[str, ...] = ("as_at",)) -> list[dict[str, str]]:
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
    # The query string may carry as_at (once) and nothing else; the engine checks the date.
    problems += [
        {"field": f"?{key}", "message": "is not a query parameter here; the only one is as_at"
         if query == ("as_at",) else f"is not a query parameter here; they are: {', '.join(query)}"}
        for key in request.args
        if key not in query
    ]
    if len(request.args.getlist("as_at")) > 1:
        problems.append({"field": "?as_at", "message": "may be given once"})
    return problems
