"""Where a person's answers are kept: only in their own browser.

The answers live in Flask's signed session cookie and nowhere else: not on the
server, not in a log, not in a URL (every form posts). The cookie is HttpOnly and
SameSite=Strict, and it expires thirty minutes after the last request; the
signature's timestamp is checked too, so an old cookie is refused even if a
browser keeps it. "Delete my answers" clears it at once.

The cookie is signed, not encrypted: it can't be changed without the server
knowing, but someone with the browser in their hands could read it. The privacy
page says so plainly, and says how to delete it.
"""

from __future__ import annotations

import typing as t

from flask import current_app
from flask import request
from flask import session
from flask.sessions import SecureCookieSessionInterface

if t.TYPE_CHECKING:
    from flask import Flask

#: The session key that holds the answers, a dict of question id to answer.
ANSWERS_KEY = "answers"

#: Browsers drop a cookie bigger than about 4 KB without a word, which would
#: lose every answer. Refuse an answer that would make the cookie this big.
MAX_COOKIE_BYTES = 4000


class AnswersTooLarge(ValueError):
    """Saving this answer would make the session cookie too big to keep."""


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, marked Secure on HTTPS requests.

    ``SESSION_COOKIE_SECURE`` forces the flag on (set it in production behind
    a proxy that ends TLS); without it, the flag follows the request's scheme,
    so a plain-HTTP development server still works.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_app(app: Flask) -> None:
    """Use our session interface for this app."""
    app.session_interface = SessionInterface()


def get_answers() -> dict[str, t.Any]:
    """Return a copy of the answers given so far (empty if none)."""
    answers = session.get(ANSWERS_KEY)
    return dict(answers) if isinstance(answers, dict) else {}


def save_answer(question_id: str, value: t.Any) -> None:
    """Keep one answer, replacing any earlier answer to the same question.

    :raises AnswersTooLarge: if the cookie would grow too big for a browser to
        keep. Nothing is saved then.
    """
    answers = get_answers()
    answers[question_id] = value
    _check_size({**session, ANSWERS_KEY: answers})
    session[ANSWERS_KEY] = answers
    session.permanent = True


def replace_answers(answers: t.Mapping[str, t.Any]) -> None:
    """Keep exactly these answers, dropping any others (used to forget answers
    to questions that no longer apply).

    :raises AnswersTooLarge: as for :func:`save_answer`.
    """
    _check_size({**session, ANSWERS_KEY: dict(answers)})
    session[ANSWERS_KEY] = dict(answers)
    session.permanent = True


def clear() -> None:
    """Forget everything: the answers and the CSRF token. The cookie goes with
    the response."""
    session.clear()


def _check_size(data: dict[str, t.Any]) -> None:
    serializer = SessionInterface().get_signing_serializer(current_app)
    if serializer is not None and len(serializer.dumps(data)) > MAX_COOKIE_BYTES:
        raise AnswersTooLarge("These answers are too long to keep in this browser.")
