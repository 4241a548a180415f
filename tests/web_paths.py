"""Helpers for web tests: the address of a question page in a test client's session.

Question pages live at /questions/<token>, a token made for each session from the
question's id (web/state.py), so a test asks the app for it instead of writing the id.
"""

from __future__ import annotations

import typing as t

from web import state

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient


def question_path(client: FlaskClient, question_id: str) -> str:
    """The path of this question's page for the client's session (made if it has none)."""
    app = client.application
    with client.session_transaction() as session:
        salt = session.get(state.ADDRESS_KEY)
        if not isinstance(salt, str):
            import secrets

            salt = session[state.ADDRESS_KEY] = secrets.token_urlsafe(12)
    with app.test_request_context():
        return "/questions/" + state.question_token(question_id, salt)


def question_id_of(client: FlaskClient, path: str) -> str | None:
    """The question id behind a /questions/<token> path of the client's session."""
    app = client.application
    with client.session_transaction() as session:
        salt = session.get(state.ADDRESS_KEY)
    if not isinstance(salt, str) or not path.startswith("/questions/"):
        return None
    token = path.rsplit("/", 1)[1]
    with app.test_request_context():
        ids = [q.id for q in app.extensions["knowledge"].questions]
        return next((q for q in ids if state.question_token(q, salt) == token), None)
