"""The OpenAPI 3.1 description of the JSON API.

Neither the answers' schema nor the assessment's is written here. The answers' is
generated from the questions in knowledge/ by ``rules.answers_schema``, so the description
can never drift from what the engine accepts; the assessment's (AssessmentSummary,
Assessment and every object in them) by msgspec from the types in ``rules.result_types``,
which tests/test_result_types.py holds to what the API returns. The rest (paths,
parameters, errors, the questions and the interview) is written by hand, once.
"""

from __future__ import annotations

import functools
import typing as t

import msgspec
import orjson

import rules
from rules.answers import DATE_PATTERN
from rules.result_types import Assessment
from rules.result_types import AssessmentSummary

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
                            "schema": {"type": "string", "format": "date", "pattern": DATE_PATTERN},
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
                    "parameters": [
                        {
                            "name": "as_at",
                            "in": "query",
                            "required": False,
                            "description": (
                                "Interview as at this date (YYYY-MM-DD), a real date from 1950-01-01 to"
                                " 2999-12-31; `as_at` in the body wins. No other query parameter is"
                                " accepted, and as_at at most once."
                            ),
                            "schema": {"type": "string", "format": "date", "pattern": DATE_PATTERN},
                        },
                    ],
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


def _closed(description: str, properties: dict[str, t.Any], optional: tuple[str, ...] = ()) -> dict[str, t.Any]:
    """An object whose every property is listed (and, but for ``optional``, always present)."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": [k for k in properties if k not in optional],
        "additionalProperties": False,
    }


def _s(description: str, **schema: t.Any) -> dict[str, t.Any]:
    """A string field."""
    return {"type": "string", "description": description, **schema}


def _nullable(kind: str, description: str, **schema: t.Any) -> dict[str, t.Any]:
    return {"type": [kind, "null"], "description": description, **schema}


def _list(description: str, items: dict[str, t.Any]) -> dict[str, t.Any]:
    return {"type": "array", "description": description, "items": items}


def _ref(name: str, description: str = "") -> dict[str, t.Any]:
    out: dict[str, t.Any] = {"$ref": f"#/components/schemas/{name}"}
    if description:
        out["description"] = description  # OpenAPI 3.1: siblings of $ref are allowed
    return out


#: Where the generated schemas refer to each other: this document's components.
REF_TEMPLATE = "#/components/schemas/{name}"


@functools.cache
def _generated_assessment_schemas() -> str:
    return orjson.dumps(msgspec.json.schema_components(
        (AssessmentSummary, Assessment), ref_template=REF_TEMPLATE)[1]).decode()


def assessment_schemas() -> dict[str, t.Any]:
    """The component schemas of both shapes of an assessment (AssessmentSummary, Assessment and
    every object in them), generated by msgspec from the types in rules.result_types.

    Generated once (it takes about 20 ms) and given out as a fresh copy each time.
    """
    return t.cast("dict[str, t.Any]", orjson.loads(_generated_assessment_schemas()))


def _schemas(answers: dict[str, t.Any]) -> dict[str, t.Any]:
    option = _closed("One option of a choice or multi_choice question.", {
        "id": _s("The value to send in `answers`."),
        "label": _s("The option as the person reads it."),
        "hint": _nullable("string", "Help under the option, if any."),
        "exclusive": {"type": "boolean", "description": "Present (true) on a 'none of these' option, which cannot"
                                                        " be chosen with another."},
    }, optional=("exclusive",))
    hand_written: dict[str, t.Any] = {
        "NextQuestion": {
            "type": "object",
            "additionalProperties": False,
            "description": "Where the interview stands: the next question worth asking, and every one still worth asking.",
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
            "description": "A set of answers to assess (or to interview on).",
            "properties": {
                "answers": {"$ref": "#/components/schemas/Answers", "description": "Question id to answer."},
                "as_at": {"type": "string", "format": "date", "pattern": DATE_PATTERN,
                          "description": "Assess as at this date (1950-01-01 to 2999-12-31); default today."},
            },
            "required": ["answers"],
            "additionalProperties": False,
        },
        "Question": _closed("One question: its wording, why it is asked, its type and options.", {
            "id": _s("The answer's key in `answers`."),
            "section": _s("The id of the section it belongs to."),
            "text": _s("The question, as the person reads it."),
            "hint": _nullable("string", "Help under the question, if any."),
            "why": _s("Why we ask it, in plain words."),
            "type": {
                "type": "string",
                "enum": ["boolean", "choice", "multi_choice", "date", "integer", "text", "incidents"],
                "description": "The answer's type: a date is YYYY-MM-DD; incidents is a list of objects.",
            },
            "options": _list("For choice and multi_choice.", option),
            "item_fields": _list("For incidents: the fields of each item.", _closed("One field of an incident.", {
                "id": _s("The field's key in each item."),
                "label": _s("The field as the person reads it."),
                "type": {"type": "string", "enum": ["boolean", "choice", "multi_choice", "date", "integer", "text"],
                         "description": "The field's type."},
                "required": {"type": "boolean", "description": "Every item must give it."},
                "options": _list("For choice and multi_choice fields.", option),
            })),
        }, optional=("item_fields",)),
        "QuestionList": _closed("Every question, in the order they are asked.", {
            "knowledge_version": _s("The version of the knowledge."),
            "questions": _list("The questions.", _ref("Question")),
        }),
        "Errors": {
            "type": "object",
            "description": "Every problem with the request.",
            "properties": {
                "errors": {
                    "type": "array",
                    "minItems": 1,
                    "description": "One entry per problem.",
                    "items": {
                        "type": "object",
                        "properties": {
                            "field": {"type": "string", "description": "The answer or part of the request at fault."},
                            "message": {"type": "string", "description": "What is wrong and what to do."},
                            "status": {"type": "integer", "description": "The HTTP status (errors not about a field)."},
                            "title": {"type": "string", "description": "The status's name."},
                        },
                        "required": ["message"],
                    },
                }
            },
            "required": ["errors"],
        },
    }
    generated = assessment_schemas()
    clash = set(generated) & set(hand_written)
    if clash:  # a type in rules.result_types named as a schema written here
        raise RuntimeError(f"schemas both generated and written by hand: {sorted(clash)}")
    return {**hand_written, **generated}
