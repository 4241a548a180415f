"""The OpenAPI 3.1 description of the JSON API.

The answers' schema is not written here: it is generated from the questions in
knowledge/ by ``rules.answers_schema``, so the description can never drift from
what the engine accepts. The rest (paths, errors, the outline of an assessment)
is written by hand, once.
"""

from __future__ import annotations

import typing as t

import rules

if t.TYPE_CHECKING:
    from rules import KnowledgeBase

_JSON = "application/json"


def _error_response(description: str) -> dict[str, t.Any]:
    return {
        "description": description,
        "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Errors"}}},
    }


def build(kb: KnowledgeBase) -> dict[str, t.Any]:
    """The whole OpenAPI document for this knowledge base."""
    answers = dict(rules.answers_schema(kb))
    # OpenAPI 3.1 schemas are JSON Schema 2020-12, but a component must not
    # carry its own $schema or $id.
    answers.pop("$schema", None)
    answers.pop("$id", None)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Stalking and harassment: check what is happening",
            "version": kb.version,
            "summary": "Information, not legal advice, about stalking and harassment law in the UK.",
            "description": (
                "Send a person's answers and get back which offences and protective orders may be"
                " relevant, why, what would change that, and which services can help. The API"
                " keeps nothing: no answers are stored or logged. `info.version` is the version of"
                " the knowledge (the law as encoded) that answered."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/assessments": {
                "post": {
                    "operationId": "createAssessment",
                    "summary": "Assess a set of answers",
                    "parameters": [
                        {
                            "name": "as_at",
                            "in": "query",
                            "required": False,
                            "description": (
                                "Assess as at this date (YYYY-MM-DD), a real date from 1950-01-01 to"
                                " 2999-12-31; `as_at` in the body wins. No other query parameter but"
                                " `explain` is accepted, and each at most once."
                            ),
                            "schema": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                        },
                        {
                            "name": "explain",
                            "in": "query",
                            "required": False,
                            "description": (
                                "`summary` (the default): statuses and reasons, risk, services, safety advice,"
                                " missing answers and time limits (AssessmentSummary). `full`: also every"
                                " element with its reasons, gates and defences, signs, incidents and the trace"
                                " of every rule that fired, each citation given once in `citations` and"
                                " referred to by its id (Assessment)."
                            ),
                            "schema": {"type": "string", "enum": ["summary", "full"], "default": "summary"},
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {_JSON: {"schema": {"$ref": "#/components/schemas/AssessmentRequest"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "The assessment: AssessmentSummary by default, Assessment with"
                                           " `?explain=full`; `explain` in the response says which.",
                            "content": {_JSON: {"schema": {"oneOf": [
                                {"$ref": "#/components/schemas/AssessmentSummary"},
                                {"$ref": "#/components/schemas/Assessment"},
                            ]}}},
                        },
                        "400": _error_response(
                            "The body is not valid JSON, or the answers have problems: every problem is listed,"
                            " each with the `field` it is about."
                        ),
                        "413": _error_response("The body is larger than 64 KiB."),
                        "415": _error_response("The body was not sent as application/json."),
                        "500": _error_response("Something went wrong on the server."),
                    },
                }
            },
            "/next-question": {
                "post": {
                    "operationId": "nextQuestion",
                    "summary": "Get the next question worth asking for a set of answers",
                    "description": (
                        "Runs the same interview as the public pages: a question is worth asking only if"
                        " some answer to it could still change an outcome (the status of an open offence or"
                        " order, the risk level, the safety lead, the place, or which services fit), decided"
                        " from the compiled conditions. Safety first. An answer given as null was asked and"
                        " skipped and is not offered again. Stateless: nothing is kept."
                    ),
                    "requestBody": {
                        "required": True,
                        "content": {_JSON: {"schema": {"$ref": "#/components/schemas/AssessmentRequest"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "Where the interview stands.",
                            "content": {_JSON: {"schema": {"$ref": "#/components/schemas/NextQuestion"}}},
                        },
                        "400": _error_response("The body is not valid JSON, or the answers have problems."),
                        "413": _error_response("The body is larger than 64 KiB."),
                        "415": _error_response("The body was not sent as application/json."),
                    },
                }
            },
            "/questions": {
                "get": {
                    "operationId": "listQuestions",
                    "summary": "List the questions, in the order they are asked",
                    "responses": {
                        "200": {
                            "description": "Every question with its options.",
                            "content": {_JSON: {"schema": {"$ref": "#/components/schemas/QuestionList"}}},
                        }
                    },
                }
            },
            "/schema": {
                "get": {
                    "operationId": "getAnswersSchema",
                    "summary": "Get the JSON Schema (2020-12) of the answers object",
                    "responses": {
                        "200": {
                            "description": "A JSON Schema document.",
                            "content": {_JSON: {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "Get this description",
                    "responses": {
                        "200": {"description": "This document.", "content": {_JSON: {"schema": {"type": "object"}}}}
                    },
                }
            },
            "/ping": {
                "get": {
                    "operationId": "ping",
                    "summary": "Check the service is up (it does no work)",
                    "responses": {
                        "200": {
                            "description": "Always the same.",
                            "content": {
                                _JSON: {
                                    "schema": {
                                        "type": "object",
                                        "properties": {"status": {"const": "ok"}},
                                        "required": ["status"],
                                    }
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {"schemas": _schemas(answers)},
    }


def _schemas(answers: dict[str, t.Any]) -> dict[str, t.Any]:
    status = {"type": "string", "enum": ["may_apply", "borderline", "out_of_time", "not_met", "unknown"]}
    option = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "label": {"type": "string"},
            "hint": {"type": ["string", "null"]},
            "exclusive": {"type": "boolean"},
        },
        "required": ["id", "label"],
    }
    return {
        "NextQuestion": {
            "type": "object",
            "properties": {
                "knowledge_version": {"type": "string", "description": "The version of the knowledge that answered."},
                "done": {
                    "type": "boolean",
                    "description": "True when no question left could change any outcome: the interview is over.",
                },
                "next": {
                    "description": "The question to ask now (the first of `worth_asking`), or null when done.",
                    "oneOf": [{"$ref": "#/components/schemas/Question"}, {"type": "null"}],
                },
                "worth_asking": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Ids of every question not yet asked whose answer could still change an outcome, best first.",
                },
                "could_change": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": (
                        "For each id in `worth_asking`, what an answer could change: provision ids, `risk`,"
                        " `safety`, `place` or `service:<id>`."
                    ),
                },
                "ignored": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": (
                        "Ids of answers given to questions that would not be asked now, given the other"
                        " answers. The engine sets them aside; a client should drop them and tell the person."
                    ),
                },
                "single_incident": {"type": "boolean", "description": "The answers say it happened once."},
            },
            "required": ["knowledge_version", "done", "next", "worth_asking", "could_change", "ignored",
                         "single_incident"],
        },
        "Answers": answers,
        "AssessmentRequest": {
            "type": "object",
            "properties": {
                "answers": {"$ref": "#/components/schemas/Answers"},
                "as_at": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$",
                          "description": "Assess as at this date (1950-01-01 to 2999-12-31); default today."},
            },
            "required": ["answers"],
            "additionalProperties": False,
        },
        "Assessment": {
            "type": "object",
            "description": (
                "The outline of an assessment; every part carries its reasons and sources. It always"
                " includes the knowledge version, the as-at date and the notice that this is"
                " information, not legal advice."
            ),
            "properties": {
                "knowledge_version": {"type": "string"},
                "as_at": {"type": "string", "format": "date"},
                "law_as_at": {"type": "string", "format": "date"},
                "notice": {"type": "string"},
                "safety": {"type": "object"},
                "jurisdiction": {"type": "object"},
                "offences": {"type": "array", "items": {"$ref": "#/components/schemas/ProvisionResult"}},
                "orders": {"type": "array", "items": {"$ref": "#/components/schemas/ProvisionResult"}},
                "course_of_conduct": {"type": "object"},
                "time_limits": {"type": "array", "items": {"type": "object"}},
                "signs": {"type": "array", "items": {"type": "object"}},
                "services": {"type": "array", "items": {"type": "object"}},
                "missing": {"type": "array", "items": {"type": "object"}},
                "safety_advice": {
                    "type": "array",
                    "description": "Practical safety steps that fit the answers, best fit first (urgent first);"
                                   " each with why it was chosen, a caution where doing it could alert the"
                                   " person doing it, and its source and checked date.",
                    "items": {"$ref": "#/components/schemas/SafetyAdvice"},
                },
                "what_to_do_now": {
                    "type": "array", "items": {"type": "string"},
                    "description": "General tips, given only when no specific safety advice fits (a fallback).",
                },
                "trace": {"type": "array", "items": {"type": "object"}},
                "explain": {"const": "full"},
                "citations": {
                    "type": "object",
                    "description": "Every citation in the response once, by id; each `citation` (and each"
                                   " jurisdiction's `laws`) elsewhere gives an id from here. An id is a digest"
                                   " of the citation, the same in every response.",
                    "additionalProperties": {"type": "object", "required": ["title", "url", "verification",
                                                                            "checked_on"]},
                },
            },
            "required": ["knowledge_version", "as_at", "notice", "offences", "orders", "services"],
        },
        "AssessmentSummary": {
            "type": "object",
            "description": (
                "What a client shows first (the default shape): each offence and order with its status,"
                " its reason (null when it does not fit: `?explain=full` says why) and the questions"
                " that would decide it; the risk level and the indicators that raised it; the services"
                " with their contacts; the safety advice by id and title; time limits; and the questions"
                " still to answer, as ids (GET /questions gives their wording)."
            ),
            "properties": {
                "explain": {"const": "summary"},
                "knowledge_version": {"type": "string"},
                "as_at": {"type": "string", "format": "date"},
                "law_as_at": {"type": "string", "format": "date"},
                "notice": {"type": "string"},
                "safety": {"type": "object"},
                "risk": {"type": ["object", "null"], "properties": {
                    "level": {"type": "string"}, "title": {"type": "string"}, "plain": {"type": "string"},
                    "indicators": {"type": "array", "items": {"type": "object", "required": ["id", "label"]}},
                    "decided_by": {"type": "array", "items": {"type": "string"}},
                    "pathways": {"type": "array", "items": {"type": "object"}},
                    "screening_complete": {"type": "boolean"},
                    "unanswered": {"type": "array", "items": {"type": "string"}},
                }},
                "jurisdiction": {"type": "object"},
                "offences": {"type": "array", "items": {"$ref": "#/components/schemas/ProvisionSummary"}},
                "orders": {"type": "array", "items": {"$ref": "#/components/schemas/ProvisionSummary"}},
                "course_of_conduct": {"type": "object"},
                "time_limits": {"type": "array", "items": {"type": "object", "properties": {
                    "provision": {"type": "string"}, "status": {"type": "string"},
                    "ends_on": {"type": ["string", "null"], "format": "date"}}}},
                "services": {"type": "array", "items": {"type": "object", "required": ["id", "name", "contacts"]}},
                "safety_advice": {"type": "array", "items": {"type": "object", "required": ["id", "title"]}},
                "missing": {"type": "array", "items": {"type": "string"}},
                "what_to_do_now": {"type": "array", "items": {"type": "string"}},
                "ignored": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["explain", "knowledge_version", "as_at", "notice", "offences", "orders", "services",
                         "missing"],
        },
        "ProvisionSummary": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "status": status,
                "reason": {"type": ["string", "null"]},
                "missing": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["id", "title", "status", "reason", "missing"],
        },
        "SafetyAdvice": {
            "type": "object",
            "description": "One safety step from knowledge/safety/, with only the reasons that held.",
            "properties": {
                "id": {"type": "string"},
                "group": {"type": "string", "description": "trackers-and-location, accounts-and-devices,"
                                                           " getting-about-and-at-home, contact-and-evidence or reporting"},
                "group_title": {"type": "string"},
                "title": {"type": "string"},
                "text": {"type": "string"},
                "why": {"type": "array", "items": {"type": "string"}},
                "caution": {"type": ["string", "null"]},
                "order": {"type": "integer", "description": "Where its best-fitting reason places it; lower first."},
                "urgent": {"type": "boolean"},
                "answers": {"type": "array", "items": {"type": "string"}},
                "source": {"type": "string"},
                "checked_on": {"type": "string", "format": "date"},
                "verification": {"type": "string", "enum": ["V", "PV", "GK"]},
            },
            "required": ["id", "group", "title", "text", "why", "source", "checked_on"],
        },
        "ProvisionResult": {
            "type": "object",
            "description": "One offence or order: its stable id, title, status and reasons.",
            "properties": {
                "id": {"type": "string", "description": "A stable id such as act-year-section."},
                "title": {"type": "string"},
                "status": status,
            },
            "required": ["id", "title", "status"],
        },
        "Question": {
            "type": "object",
            "description": "One question: its wording, why it is asked, its type and options.",
            "properties": {
                "id": {"type": "string", "description": "The answer's key in `answers`."},
                "section": {"type": "string", "description": "The id of the section it belongs to."},
                "text": {"type": "string", "description": "The question, as the person reads it."},
                "hint": {"type": ["string", "null"], "description": "Help under the question, if any."},
                "why": {"type": "string", "description": "Why we ask it, in plain words."},
                "type": {
                    "type": "string",
                    "enum": ["boolean", "choice", "multi_choice", "date", "integer", "text", "incidents"],
                    "description": "The answer's type: a date is YYYY-MM-DD; incidents is a list of objects.",
                },
                "options": {"type": "array", "items": option, "description": "For choice and multi_choice."},
                "item_fields": {
                    "type": "array",
                    "items": {"type": "object"},
                    "description": "For incidents: the fields of each item.",
                },
            },
            "required": ["id", "section", "text", "why", "type", "options"],
        },
        "QuestionList": {
            "type": "object",
            "properties": {
                "knowledge_version": {"type": "string"},
                "questions": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Question"},
                },
            },
            "required": ["knowledge_version", "questions"],
        },
        "Errors": {
            "type": "object",
            "properties": {
                "errors": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "properties": {
                            "field": {"type": "string", "description": "The answer or part of the request at fault."},
                            "message": {"type": "string"},
                            "status": {"type": "integer"},
                            "title": {"type": "string"},
                        },
                        "required": ["message"],
                    },
                }
            },
            "required": ["errors"],
        },
    }
