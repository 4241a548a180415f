"""Read an API request's JSON body: every way it can be wrong is a clear 400, 413 or 415.

- Not ``application/json``: 415.
- Longer than ``MAX_CONTENT_LENGTH``: 413, also when it is sent in chunks with no
  Content-Length (Werkzeug then stops reading at the limit and would hand on a cut body,
  reported as "not valid JSON").
- Not JSON, not UTF-8, ``NaN`` or ``Infinity``, a number of more than 4,300 digits (Python
  refuses to convert it), or nested more than :data:`MAX_DEPTH` deep (no answer is; deeper
  JSON would exhaust the parser's recursion): 400, saying which.
- An ``as_at`` in the query string that is not a date the engine takes (a real date from
  1950-01-01 to 2999-12-31, written YYYY-MM-DD): 400 on ``?as_at``, also when the body's
  ``as_at`` wins, so a bad one is never silently ignored.
"""

from __future__ import annotations

import json
import typing as t

from flask import current_app
from flask import request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.exceptions import UnsupportedMediaType

from rules.answers import AnswersError
from rules.answers import parse_as_at

#: How deeply a request may nest: {"answers": {"incidents": [{"behaviours": [...]}]}} is 4.
MAX_DEPTH = 8

Problems = list[dict[str, str]]


def read_json() -> tuple[t.Any, Problems]:
    """The request's JSON body and no problems, or None and the problems (for a 400)."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType()
    # get_data enforces MAX_CONTENT_LENGTH (413) before the body is read when the
    # request gives its length.
    data = request.get_data(cache=False)
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if request.content_length is None and limit is not None and len(data) >= limit:
        # Chunked: the reader stopped at the limit. Anything left means the body is too large.
        if request.environ["wsgi.input"].read(1):
            raise RequestEntityTooLarge()
    try:
        body = json.loads(data, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        # The decoder's message gives a position, never the text it choked on.
        return None, _problem(f"is not valid JSON (line {error.lineno}, column {error.colno})")
    except UnicodeDecodeError:
        return None, _problem("is not valid JSON (it is not UTF-8 text)")
    except _Constant:
        return None, _problem("is not valid JSON (NaN and Infinity are not numbers in JSON)")
    except RecursionError:
        return None, _problem(f"is nested too deeply (at most {MAX_DEPTH} levels)")
    except ValueError:
        # int() refuses more than 4,300 digits (CVE-2020-10735); no answer needs more than a few.
        return None, _problem("has a number with too many digits")
    if _depth(body) > MAX_DEPTH:
        return None, _problem(f"is nested too deeply (at most {MAX_DEPTH} levels)")
    problems = _query_as_at_problems()
    return (None, problems) if problems else (body, [])


def _query_as_at_problems() -> Problems:
    """Each ``?as_at`` that is not a date the engine takes, with the engine's own words."""
    problems: Problems = []
    for value in request.args.getlist("as_at"):
        try:
            parse_as_at(value)
        except AnswersError as error:
            problems += [{"field": "?as_at", "message": p.message} for p in error.problems]
    return problems


class _Constant(ValueError):
    pass


def _no_constant(name: str) -> t.NoReturn:
    raise _Constant(name)


def _problem(message: str) -> Problems:
    return [{"field": "(body)", "message": message}]


def _depth(value: t.Any) -> int:
    """How deeply lists and objects nest (0 for a scalar), without recursion."""
    deepest = 0
    stack: list[tuple[t.Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: t.Iterable[t.Any] = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        stack.extend((child, depth) for child in children)
    return deepest
