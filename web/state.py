"""Where a person's answers are kept: only in their own browser, encrypted.

The answers live in the session cookie and nowhere else: not on the server, not
in a log, not in a URL (every form posts). The cookie is encrypted and
authenticated (AES-256-GCM from the ``cryptography`` package, with a key derived
from ``SECRET_KEY`` by HKDF), so someone holding the phone cannot read the answers
from the browser's cookie store, and nobody can change them without the server
knowing. It is a browser-session cookie (no expiry date: the browser drops it
when it closes), HttpOnly and SameSite=Strict, and the server refuses it thirty
minutes after the last request: the time it was written is sealed inside it and
checked on every request. "Delete my answers" and "Exit this page" clear it at once.

The session also keeps, beside the answers:

- ``asked``: the ids of the questions the person was shown, in order, so Back
  goes to the question actually asked before;
- ``dropped``: the ids of answers just dropped because a changed answer made
  them irrelevant, shown once on the next page;
- ``k``: a random value, new for each session, from which the question pages'
  addresses are made (see :func:`question_token`): an address names no question
  and no answer, and means nothing once the session is gone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import struct
import time
import typing as t
import zlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask import request
from flask import session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from itsdangerous import SignatureExpired

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.sessions import SessionMixin

#: The session key that holds the answers, a dict of question id to answer.
ANSWERS_KEY = "answers"
#: The ids of the questions shown, in the order they were shown.
ASKED_KEY = "asked"
#: Answers dropped by the last change, to tell the person once.
DROPPED_KEY = "dropped"
#: The per-session value the question addresses are made from.
ADDRESS_KEY = "k"

#: Browsers drop a cookie bigger than about 4 KB without a word, which would
#: lose every answer. Refuse an answer that would make the cookie this big.
MAX_COOKIE_BYTES = 4000

#: Room held back for short answers (yes/no, a choice, a date, a skip): text and
#: incidents may fill the cookie only up to MAX_COOKIE_BYTES minus this, so a
#: yes/no question can always be answered or skipped, however long the case.
RESERVED_FOR_SHORT_ANSWERS = 800

#: The first byte of every cookie value: the format, so it can change later.
_VERSION = b"\x01"
_NONCE_BYTES = 12


class AnswersTooLarge(ValueError):
    """Saving this answer would make the session cookie too big to keep."""


class EncryptedSerializer:
    """Seal a session dict into a cookie value and open it again.

    The value is ``version | nonce | AES-256-GCM(time written | zlib(JSON))``,
    base64url without padding. The time is inside the ciphertext, so it can be
    neither read nor changed. It has the ``dumps``/``loads`` shape of
    itsdangerous' serializers, so Flask's cookie session uses it unchanged.
    """

    def __init__(self, secret_key: str | bytes, json: t.Any) -> None:
        secret = secret_key.encode("utf-8") if isinstance(secret_key, str) else secret_key
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"session cookie v1").derive(secret)
        self._aead = AESGCM(key)
        self._json = json

    def dumps(self, data: t.Mapping[str, t.Any]) -> str:
        payload = struct.pack(">Q", int(time.time())) + zlib.compress(self._json.dumps(dict(data)).encode("utf-8"), 9)
        nonce = os.urandom(_NONCE_BYTES)
        sealed = _VERSION + nonce + self._aead.encrypt(nonce, payload, _VERSION)
        return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")

    def loads(self, value: str | bytes, max_age: int | None = None) -> dict[str, t.Any]:
        """Open a cookie value.

        :raises itsdangerous.BadSignature: if it was not made here or was changed
            (``SignatureExpired`` if it is older than ``max_age`` seconds).
        """
        text = value.decode("ascii") if isinstance(value, bytes) else value
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (ValueError, TypeError):
            raise BadSignature("not a session cookie") from None
        if len(raw) < 1 + _NONCE_BYTES + 16 or raw[:1] != _VERSION:
            raise BadSignature("not a session cookie")
        nonce, sealed = raw[1 : 1 + _NONCE_BYTES], raw[1 + _NONCE_BYTES :]
        try:
            payload = self._aead.decrypt(nonce, sealed, _VERSION)
        except InvalidTag:
            raise BadSignature("the cookie was changed or made with another key") from None
        (written,) = struct.unpack(">Q", payload[:8])
        if max_age is not None and time.time() - written > max_age:
            raise SignatureExpired("the session has expired")
        data = self._json.loads(zlib.decompress(payload[8:]).decode("utf-8"))
        if not isinstance(data, dict):
            raise BadSignature("not a session cookie")
        return data


class SessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session, encrypted, kept for the browser session only.

    - The value is sealed by :class:`EncryptedSerializer`.
    - The cookie has no expiry date, whatever ``session.permanent`` says: it
      lasts until the browser closes. ``PERMANENT_SESSION_LIFETIME`` is the
      idle time after which the server refuses it.
    - A session holding anything is written again on every request, so the idle
      time counts from the last page.
    - Secure always with ``SESSION_COOKIE_SECURE``; otherwise on HTTPS requests,
      so a plain-HTTP development server still works.
    """

    def get_signing_serializer(self, app: Flask) -> EncryptedSerializer | None:  # type: ignore[override]
        if not app.secret_key:
            return None
        cache = app.extensions.setdefault("session_serializer", {})
        key = app.secret_key
        if key not in cache:
            cache[key] = EncryptedSerializer(key, self.serializer)
        return t.cast("EncryptedSerializer", cache[key])

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure

    def get_expiration_time(self, app: Flask, session: SessionMixin) -> None:
        return None

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        return session.modified or bool(session)


def init_app(app: Flask) -> None:
    """Use our session interface for this app."""
    app.session_interface = SessionInterface()


# -- answers --------------------------------------------------------------------------------------------


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
    replace_answers(answers)


def replace_answers(answers: t.Mapping[str, t.Any], asked: t.Sequence[str] | None = None,
                    dropped: t.Sequence[str] = (), small: bool = False) -> None:
    """Keep exactly these answers (and, if given, this order of questions shown),
    dropping any others.

    :param small: the change is a short answer or a skip, which may use the
        room held back for them (:data:`RESERVED_FOR_SHORT_ANSWERS`).
    :raises AnswersTooLarge: as for :func:`save_answer`; nothing is saved then.
    """
    update: dict[str, t.Any] = {ANSWERS_KEY: dict(answers)}
    if asked is not None:
        update[ASKED_KEY] = list(asked)
    if dropped:
        update[DROPPED_KEY] = list(dropped)
    limit = MAX_COOKIE_BYTES if small else MAX_COOKIE_BYTES - RESERVED_FOR_SHORT_ANSWERS
    if cookie_size({**session, **update}) > limit:
        raise AnswersTooLarge("These answers are too long to keep in this browser.")
    session.update(update)
    session.permanent = True


def get_asked() -> list[str]:
    """The ids of the questions shown so far, in order."""
    asked = session.get(ASKED_KEY)
    return [str(x) for x in asked] if isinstance(asked, list) else []


def take_dropped() -> list[str]:
    """The answers dropped by the last change (once: they are forgotten now)."""
    dropped = session.pop(DROPPED_KEY, None)
    return [str(x) for x in dropped] if isinstance(dropped, list) else []


def clear() -> None:
    """Forget everything: the answers and the CSRF token. The cookie goes with
    the response."""
    session.clear()


def cookie_size(data: t.Mapping[str, t.Any]) -> int:
    """The length of the cookie value these session data would make."""
    serializer = SessionInterface().get_signing_serializer(current_app)
    return 0 if serializer is None else len(serializer.dumps(data))


# -- question addresses ---------------------------------------------------------------------------------


def question_token(question_id: str, salt: str | None = None) -> str:
    """The address part of a question page for this session.

    HMAC-SHA256 of the question id under the app's secret and this session's
    random value, cut to 10 bytes (16 characters): it names no question, differs between
    sessions, and cannot be read back without the session.
    """
    if salt is None:
        salt = address_salt()
    return _token(_address_key(salt), question_id)


#: What every token looks like: ten bytes in lower-case base32, so 16 characters.
_TOKEN = re.compile(r"[a-z2-7]{16}")


def question_for_token(token: str, question_ids: t.Iterable[str]) -> str | None:
    """The question id behind a token of this session, or None.

    Anything not shaped like a token (a question id typed in, say) is none at once; the key
    is made once for all the questions tried.
    """
    salt = session.get(ADDRESS_KEY)
    if not isinstance(salt, str) or not _TOKEN.fullmatch(token):
        return None
    key = _address_key(salt)
    for question_id in question_ids:
        if hmac.compare_digest(_token(key, question_id), token):
            return question_id
    return None


def _address_key(salt: str) -> bytes:
    return hashlib.sha256(b"question address|" + _secret() + b"|" + salt.encode("ascii")).digest()


def _token(key: bytes, question_id: str) -> str:
    digest = hmac.digest(key, question_id.encode("utf-8"), "sha256")
    return base64.b32encode(digest[:10]).decode("ascii").lower()


def address_salt() -> str:
    """This session's random value for addresses, made on first use."""
    salt = session.get(ADDRESS_KEY)
    if not isinstance(salt, str):
        salt = secrets.token_urlsafe(12)
        session[ADDRESS_KEY] = salt
    return salt


def _secret() -> bytes:
    key = current_app.secret_key
    return key.encode("utf-8") if isinstance(key, str) else bytes(key or b"")
