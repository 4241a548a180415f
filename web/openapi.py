"""The OpenAPI 3.1 description of the JSON API.

The answers' schema is not written here: it is generated from the questions in
knowledge/ by ``rules.answers_schema``, so the description can never drift from
what the engine accepts. The rest (paths, errors, the outline of an assessment)
is written by hand, once.
"""

from __future__ import annotations

import typing as t

import rules
from rules.answers import DATE_PATTERN

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


def _ids(description: str) -> dict[str, t.Any]:
    return _list(description, {"type": "string"})


def _date(description: str) -> dict[str, t.Any]:
    return _s(description, format="date")


def _ref(name: str, description: str = "") -> dict[str, t.Any]:
    out: dict[str, t.Any] = {"$ref": f"#/components/schemas/{name}"}
    if description:
        out["description"] = description  # OpenAPI 3.1: siblings of $ref are allowed
    return out


_VERIFICATION = {
    "type": "string",
    "enum": ["V", "PV", "GK"],
    "description": "How well the point is verified: V checked against the source, PV partly verified, GK general"
                   " legal knowledge not yet confirmed.",
}
_CITE_ID = {"type": "string", "pattern": "^cite-[0-9a-f]{12}$",
            "description": "The id of a citation in `citations` (a digest of its content)."}


def _assessment_parts() -> dict[str, t.Any]:
    """The parts of an assessment common to both shapes."""
    return {
        "knowledge_version": _s("The version of the knowledge (the law as encoded) that answered."),
        "as_at": _date("The date the assessment was made as at (time limits and ages count to it)."),
        "law_as_at": _date("The date the encoded law was last checked as a whole."),
        "notice": _s("That this is information, not legal advice; show it with the result."),
        "safety": _closed("Danger now, and how to call for help.", {
            "danger_now": {"type": "boolean", "description": "The person said they are in danger now: lead with 999."},
            "emergency": _s("What to do in an emergency (999)."),
            "emergency_silent": _s("What to do when they cannot speak (999, then 55)."),
        }),
        "what_to_do_now": _ids("General tips, given only when no specific safety advice fits (a fallback)."),
        "ignored": _ids("Ids of answers set aside because their questions would not be asked given the other answers."),
    }


def _schemas(answers: dict[str, t.Any]) -> dict[str, t.Any]:
    status = {
        "type": "string",
        "enum": ["may_apply", "borderline", "out_of_time", "not_met", "unknown"],
        "description": "may_apply: every part may be met; borderline: a part is doubtful; out_of_time: it may fit"
                       " but the time limit for a prosecution has passed; not_met: a part is not met or a gate"
                       " holds; unknown: more answers are needed. Never that an offence is committed.",
    }
    option = _closed("One option of a choice or multi_choice question.", {
        "id": _s("The value to send in `answers`."),
        "label": _s("The option as the person reads it."),
        "hint": _nullable("string", "Help under the option, if any."),
        "exclusive": {"type": "boolean", "description": "Present (true) on a 'none of these' option, which cannot"
                                                        " be chosen with another."},
    }, optional=("exclusive",))
    limit_status = {
        "type": "string",
        "enum": ["open", "near", "passed", "unknown", "depends"],
        "description": "open: time left; near: ending soon; passed: no prosecution can start; unknown: no date of the"
                       " last incident; depends: runs from when the prosecutor had enough evidence (only the long"
                       " stop can be counted).",
    }
    risk_summary_props = {
        "level": _s("The risk level's id (from knowledge/risk/levels)."),
        "title": _s("The level's name."),
        "plain": _s("The level in plain words for the person."),
        "indicators": _list("The indicators that raised it (never a bare score).", _closed("One indicator.", {
            "id": _s("The indicator's id."),
            "label": _s("The indicator in a few words."),
        })),
        "decided_by": _ids("Ids of the indicators that set the level on their own, if any."),
        "pathways": _list("Where the level leads (`?explain=full` adds what staff should do).", _closed(
            "One pathway.", {
                "id": _s("The pathway's id."),
                "title": _s("Its name."),
            })),
        "screening_complete": {"type": "boolean", "description": "False when unanswered risk questions could still"
                                                                 " raise the level (`unanswered` names them)."},
        "unanswered": _ids("Ids of the risk questions still unanswered."),
    }
    coc_summary = {
        "occasions": _nullable("integer", "How many separate occasions (null: not known)."),
        "first_incident": _nullable("string", "The date of the first incident.", format="date"),
        "last_incident": _nullable("string", "The date of the latest incident.", format="date"),
        "span_days": _nullable("integer", "Days from the first incident to the latest."),
        "longest_gap_days": _nullable("integer", "The longest gap between two incidents, in days."),
        "finding": _s("The course-of-conduct element's status: met, doubtful, not_met or unknown."),
    }
    contact = _closed("One way to reach a service.", {
        "kind": {"type": "string", "enum": ["phone", "text", "web", "email"], "description": "How to reach it."},
        "value": _s("The number, address or text to send."),
        "label": _nullable("string", "What this contact is for, when a service has several."),
    })
    return {
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
        "Citation": _closed("Where a legal point comes from, how well it is verified and when it was checked.", {
            "title": _s("The Act and section, or the case."),
            "url": _s("The legislation.gov.uk (or judgment) address.", format="uri"),
            "verification": _VERIFICATION,
            "checked_on": _date("When the point was last checked against the source."),
            "section": _s("The subsection(s) relied on."),
            "note": _s("What is and is not verified."),
        }, optional=("section", "note")),
        "Reason": _closed("A rule that fired: what it decided and why, and the answers and facts it read.", {
            "rule": _s("The rule's id: the provision, element or gate and the outcome."),
            "outcome": _s("What it decided: met, doubtful or not_met for an element; not_met, borderline or"
                          " out_of_time for a defence or gate; and the like for signs, services, risk and advice."),
            "because": _s("The reason, in plain words, resting only on answers given."),
            "answers": _ids("The question ids it read."),
            "facts": _ids("The derived facts it read (occasions, dates, gaps)."),
            "citation": {"oneOf": [_CITE_ID, {"type": "null"}], "description": "Its source, or null."},
        }),
        "ElementResult": _closed("One part of the legal test.", {
            "id": _s("The element's id."),
            "status": {"type": "string", "enum": ["met", "doubtful", "not_met", "unknown"],
                       "description": "The worst outcome that held; unknown when more answers are needed."},
            "law": _s("The statute's test, in our words, with the section."),
            "plain": _s("The same in plain English."),
            "reasons": _list("The outcomes that held, each with its reason.", _ref("Reason")),
            "missing": _ids("Ids of the questions that would decide it."),
            "would_change": _s("What would change it (empty when met)."),
            "citation": _CITE_ID,
        }),
        "TimeLimit": _closed("A limit on starting a prosecution: when it ends, or that it has passed.", {
            "provision": _s("The provision's id."),
            "title": _s("The provision's title."),
            "kind": {"type": "string", "enum": ["from_last_incident", "from_prosecutor_knowledge", "from_dated_answer"],
                     "description": "What the months run from: the latest incident, the day the prosecutor had"
                                    " enough evidence, or a date the person gave (such as their first statement"
                                    " to the police)."},
            "months": {"type": "integer", "description": "The months allowed."},
            "long_stop_months": _nullable("integer", "For from_prosecutor_knowledge and from_dated_answer: the most"
                                                     " months after the latest incident, whatever else."),
            "status": limit_status,
            "last_incident": _nullable("string", "The latest incident the limit counts from.", format="date"),
            "ends_on": _nullable("string", "The last day a prosecution can start (for a long stop, its end).",
                                 format="date"),
            "plain": _s("The limit in plain words."),
            "after": _s("What still applies after it."),
            "citation": _CITE_ID,
        }),
        "ProvisionResult": _closed("One offence, civil claim or order: its stable id, title, status and reasons.", {
            "id": _s("A stable id such as act-year-section."),
            "kind": {"type": "string", "enum": ["offence", "breach_offence", "civil_claim", "order"],
                     "description": "What kind of provision it is."},
            "builds_on": _ids("Ids of the provisions whose elements this one includes."),
            "title": _s("Its name."),
            "status": status,
            "reason": _s("Why it has this status, in plain words."),
            "summary": _s("What it is, in two or three plain sentences."),
            "elements": _list("Every part of the test with its status and reasons.", _ref("ElementResult")),
            "exceptions": _list("The defences and gates (extent, commencement, time limit) that held.", _ref("Reason")),
            "missing": _ids("Ids of the questions that would decide it."),
            "would_change": _ids("What would change the outcome, in plain words."),
            "citation": _CITE_ID,
            "mode_of_trial": _nullable("string", "Which courts can try it (null for an order)."),
            "max_penalty": {
                "oneOf": [_closed("The maximum penalty.", {
                    "text": _s("The penalty in plain words."),
                    "verification": _VERIFICATION,
                    "source": _s("Where it comes from."),
                }), {"type": "null"}],
                "description": "The maximum penalty, or null (orders, civil claims).",
            },
            "in_force_from": _nullable("string", "The date it came into force, when that matters.", format="date"),
            "time_limit": {"oneOf": [_ref("TimeLimit"), {"type": "null"}],
                           "description": "Its time limit for a prosecution, or null when it has none."},
            "who_applies": _list("For orders: who can apply and how.", _closed("Who can apply.", {
                "who": {"type": "string", "enum": ["person", "police", "court", "others"], "description": "Who."},
                "how": _s("How, in plain words."),
            })),
            "next_steps": _nullable("string", "What to do about it, in plain words."),
            "open_questions": _ids("Doubts recorded for legal review."),
        }),
        "Assessment": _closed(
            "The whole assessment (`?explain=full`): every part with its reasons and sources, each citation"
            " given once in `citations` and referred to by its id elsewhere.",
            {
                "explain": {"const": "full", "description": "This shape."},
                **_assessment_parts(),
                "risk": {"oneOf": [_closed("The level of risk, the indicators that raised it and where it leads.", {
                    "level": risk_summary_props["level"],
                    "screening_complete": risk_summary_props["screening_complete"],
                    "unanswered": _list("The risk questions still unanswered.", _ref("MissingAnswer")),
                    "title": risk_summary_props["title"],
                    "staff": _s("The level as staff read it."),
                    "plain": risk_summary_props["plain"],
                    "indicators": _list("The indicators that raised it.", _closed("One indicator.", {
                        "id": _s("The indicator's id."),
                        "label": _s("The indicator in a few words."),
                        "plain": _s("The indicator in plain words."),
                        "why": _s("Why it matters."),
                        "source": _s("Where it comes from (DASH, SASH and the like)."),
                        "alone_raises": _nullable("string", "The level it reaches on its own, if any."),
                        "answers": _ids("The question ids that raised it."),
                    })),
                    "decided_by": risk_summary_props["decided_by"],
                    "pathways": _list("Where the level leads.", _closed("One pathway.", {
                        "id": _s("The pathway's id."),
                        "title": _s("Its name."),
                        "action": _s("What staff should do."),
                        "plain": _s("The same for the person."),
                        "source": _s("Where it comes from."),
                    })),
                    "note": _s("What the screening is and is not."),
                }), {"type": "null"}], "description": "Risk screening, or null when the knowledge has none."},
                "jurisdiction": _closed("Where the person is, and elsewhere in the UK the law that applies there.", {
                    "place": _nullable("string", "The answer to the place question."),
                    "assessed_under": _nullable("string", "The law the assessment applies (England and Wales), or null."),
                    "other_law": _list("Outside England and Wales: the law there, named and signposted.", _closed(
                        "A part of the UK with its own law.", {
                            "id": _s("Its id."),
                            "title": _s("Its name."),
                            "plain": _s("What applies there, in plain words."),
                            "laws": _list("The main offences there.", _CITE_ID),
                            "services": _ids("Ids of services there."),
                        })),
                }),
                "offences": _list("Every offence and civil claim.", _ref("ProvisionResult")),
                "orders": _list("Every protective order.", _ref("ProvisionResult")),
                "course_of_conduct": _closed("The incidents counted and whether they form a course of conduct.", {
                    "incidents": _list("The dated incidents given, in date order.", _closed("One incident.", {
                        "date": _date("When it happened."),
                        "what_happened": _s("What happened, as given."),
                        "behaviours": _ids("Behaviour ids (options of `behaviours`)."),
                        "feared_violence": _nullable("boolean", "Whether the person feared violence (null: not said)."),
                    })),
                    **{k: v for k, v in coc_summary.items() if k != "finding"},
                    "linked": _closed("What links the incidents.", {
                        "same_person": _nullable("boolean", "One person behind all of it."),
                        "same_kind_of_conduct": _nullable("boolean", "The incidents are of the same kind."),
                        "longest_gap_days": _nullable("integer", "The longest gap between two incidents, in days."),
                    }),
                    "finding": coc_summary["finding"],
                    "reasons": _list("The course-of-conduct outcomes that held.", _ref("Reason")),
                }),
                "time_limits": _list("Every time limit that applies.", _ref("TimeLimit")),
                "signs": _list("Signs the answers show, by group.", _closed("One group of signs.", {
                    "id": _s("The group's id (four, s2a3, s4a)."),
                    "title": _s("The group's name."),
                    "plain": _s("The group in plain words."),
                    "shown": _list("The signs shown.", _closed("One sign.", {
                        "id": _s("The sign's id."),
                        "label": _s("Its name."),
                        "plain": _s("It in plain words."),
                        "answers": _ids("The question ids that show it."),
                    })),
                })),
                "services": _list("Services that fit, urgent first.", _closed("A service.", {
                    "id": _s("Its id."),
                    "name": _s("Its name."),
                    "what": _s("What it does."),
                    "contacts": _list("How to reach it.", contact),
                    "hours": _s("When it is open."),
                    "who_for": _s("Whom it is for."),
                    "why": _s("Why it was suggested, from the reasons that held."),
                    "urgent": {"type": "boolean", "description": "Comes before the others (999)."},
                    "source": _s("Where its details were checked."),
                    "checked_on": _date("When its details were checked."),
                    "verification": _VERIFICATION,
                })),
                "missing": _list("The questions whose answers would decide more.", _ref("MissingAnswer")),
                "safety_advice": {
                    "type": "array",
                    "description": "Practical safety steps that fit the answers, best fit first (urgent first);"
                                   " each with why it was chosen, a caution where doing it could alert the"
                                   " person doing it, and its source and checked date.",
                    "items": {"$ref": "#/components/schemas/SafetyAdvice"},
                },
                "trace": _list("Every rule that fired, in firing order.", _ref("Reason")),
                "citations": {
                    "type": "object",
                    "description": "Every citation in the response once, by id; each `citation` (and each"
                                   " jurisdiction's `laws`) elsewhere gives an id from here. An id is a digest"
                                   " of the citation, the same in every response.",
                    "propertyNames": {"pattern": "^cite-[0-9a-f]{12}$"},
                    "additionalProperties": _ref("Citation"),
                },
            },
        ),
        "MissingAnswer": _closed("A question whose answer is missing.", {
            "question": _s("The question's id."),
            "text": _s("The question's wording."),
        }),
        "AssessmentSummary": _closed(
            "What a client shows first (the default shape): each offence and order with its status;"
            " for one that may fit, its name, what its answers add to its status's sentence (the"
            " sentences are given once, in `status_text`) and the questions that would decide it (a law"
            " that does not fit is given by id and status: `?explain=full` names it and says why); the"
            " risk level and the indicators that raised it; the services with their contacts; the safety"
            " advice by id and title; time limits; and the questions still to answer, as ids (GET /questions gives their wording).",
            {
                "explain": {"const": "summary", "description": "This shape."},
                **_assessment_parts(),
                "risk": {"oneOf": [_closed("The level of risk and the indicators that raised it.", risk_summary_props),
                                   {"type": "null"}],
                         "description": "Risk screening, or null when the knowledge has none."},
                "jurisdiction": _closed("Where the person is, and elsewhere in the UK the law that applies there.", {
                    "place": _nullable("string", "The answer to the place question."),
                    "assessed_under": _nullable("string", "The law the assessment applies (England and Wales), or null."),
                    "other_law": _list("Outside England and Wales: the law there, named and signposted.", _closed(
                        "A part of the UK with its own law.", {
                            "id": _s("Its id."),
                            "title": _s("Its name."),
                            "plain": _s("What applies there, in plain words."),
                            "services": _ids("Ids of services there."),
                        })),
                }),
                "status_text": _closed(
                    "Each provision status's sentence, in the knowledge's words: a provision's whole reason"
                    " is this sentence followed by its own `reason`, when it has one.",
                    {k: _s(f"The sentence for {k}.") for k in status["enum"]}),
                "offences": _list("Every offence and civil claim.", _ref("ProvisionSummary")),
                "orders": _list("Every protective order.", _ref("ProvisionSummary")),
                "course_of_conduct": _closed("The incidents counted and whether they form a course of conduct.",
                                             coc_summary),
                "time_limits": _list("Every time limit that applies.", _closed("A time limit.", {
                    "provision": _s("The provision's id."),
                    "status": limit_status,
                    "ends_on": _nullable("string", "The last day a prosecution can start.", format="date"),
                })),
                "services": _list("Services that fit, urgent first.", _closed("A service.", {
                    "id": _s("Its id."),
                    "name": _s("Its name."),
                    "urgent": {"type": "boolean", "description": "Comes before the others (999)."},
                    "why": _s("Why it was suggested, from the reasons that held."),
                    "hours": _s("When it is open."),
                    "contacts": _list("How to reach it.", contact),
                })),
                "safety_advice": _list("Safety steps that fit, best first (`?explain=full` gives why).", _closed(
                    "A safety step.", {
                        "id": _s("Its id."),
                        "title": _s("The step in a few words."),
                        "urgent": {"type": "boolean", "description": "Comes before every other step (danger now)."},
                    })),
                "missing": _ids("Ids of the questions whose answers would decide more."),
            },
        ),
        "ProvisionSummary": _closed(
            "One offence or order in the summary: `id` and `status` always; `title` unless the status is"
            " not_met; `reason` and `missing` when they say something (`?explain=full` gives them all).", {
                "id": _s("A stable id such as act-year-section."),
                "title": _s("Its name (absent when not_met)."),
                "status": status,
                "reason": _s("What its answers add to the sentence for its status in `status_text` (absent"
                             " when nothing, and when not_met)."),
                "missing": {**_ids("Ids of the questions that would decide it (absent when none)."), "minItems": 1},
            }, optional=("title", "reason", "missing")),
        "SafetyAdvice": _closed("One safety step from knowledge/safety/, with only the reasons that held.", {
            "id": _s("Its id."),
            "group": _s("trackers-and-location, accounts-and-devices, getting-about-and-at-home,"
                        " contact-and-evidence or reporting"),
            "group_title": _s("The group's name."),
            "title": _s("The step in a few words."),
            "text": _s("What to do, in plain words."),
            "why": _ids("Why it was chosen: the reasons that held."),
            "caution": _nullable("string", "How doing it could alert them, when it could."),
            "order": {"type": "integer", "description": "Where its best-fitting reason places it; lower first."},
            "urgent": {"type": "boolean", "description": "Comes before every other step (danger now)."},
            "answers": _ids("The question ids its reasons read."),
            "source": _s("Where the advice comes from."),
            "checked_on": _date("When it was checked."),
            "verification": _VERIFICATION,
        }),
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
