"""schemathesis hooks for tests/test_schemathesis.py (loaded through SCHEMATHESIS_HOOKS).

JSON Schema describes one value at a time, so a few of the rules the validator applies cannot
be written in the answers' schema: each compares two answers, or an answer with as_at (no
future dates; a number at most the answer it counts part of; a date not before the one it
follows; occasions, first and last dates and the count of fear agreeing with the incidents
listed). The schema states them in words (the Answers description), and a schema-valid body
that breaks one is rightly refused with a 400. Such a refusal, and only such a refusal, is not
counted as a failure of the check that schema-valid requests are accepted (ST202): every
error in the response must be one of these rules. Each one accepted is written, one line
each, to the file SCHEMATHESIS_ACCEPTED names, so the test can report how many there were.
"""

from __future__ import annotations

import json
import os
import re
import typing as t

import schemathesis

CROSS_ANSWER_RULES = (
    re.compile(r"^\d{4}-\d{2}-\d{2} is in the future \(after \d{4}-\d{2}-\d{2}\)$"),  # every date <= as_at
    re.compile(r"^is -?\d+, which is more than \w+ \(\d+\)$"),                        # at_most
    re.compile(r"^is before \w+ \(\d{4}-\d{2}-\d{2}\)$"),                             # not_before
    re.compile(r"^is \d+, but \d+ incidents are listed$"),                            # occasions >= incidents
    re.compile(r"^is after the earliest incident listed \(\d{4}-\d{2}-\d{2}\)$"),
    re.compile(r"^is before the latest incident listed \(\d{4}-\d{2}-\d{2}\)$"),
    re.compile(r"^is \d+, but the incidents listed record fear of violence on \d+$"),
)


def _only_cross_answer_rules(response: t.Any) -> list[str] | None:
    """The messages, if the response is a 400 whose every error is a cross-answer rule; else None."""
    if response.status_code != 400:
        return None
    try:
        errors = json.loads(response.content)["errors"]
    except (ValueError, KeyError, TypeError):
        return None
    messages = [str(e.get("message", "")) for e in errors if isinstance(e, dict)]
    if not messages or len(messages) != len(errors):
        return None
    if not all(any(rule.match(m) for rule in CROSS_ANSWER_RULES) for m in messages):
        return None
    return messages


@schemathesis.hook
def filter_failure(context: schemathesis.HookContext, failure: t.Any, case: t.Any, response: t.Any) -> bool:
    if getattr(failure, "code", "") != "ST202":
        return True
    messages = _only_cross_answer_rules(response)
    if messages is None:
        return True
    accepted = os.environ.get("SCHEMATHESIS_ACCEPTED")
    if accepted:
        with open(accepted, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(messages) + "\n")
    return False
