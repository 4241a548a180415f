"""Security headers, CSRF protection and the secret key.

People may use this service on a device that someone who harms them can see, so
every page and every API answer is sent with ``Cache-Control: no-store`` (answers
must not sit in a cache), and pages can't be framed, leak a referrer or run any
script that is not one of our own files.

The CSRF protection is a per-session token in a hidden field, compared in
constant time. It is a few lines, so it is written here rather than added as a
dependency.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import typing as t
from urllib.parse import urlsplit

from flask import current_app
from flask import request
from flask import session
from werkzeug.exceptions import BadRequest
from werkzeug.routing import RequestRedirect

if t.TYPE_CHECKING:
    from flask import Flask
    from flask import Response

logger = logging.getLogger(__name__)

#: The one inline script in govuk-frontend-jinja's base template (4.1.0, matching
#: GOV.UK Frontend 6.3.0). The template has no block around it, so a layout that
#: extends the template cannot remove it. Rather than allow inline scripts, the
#: policy allows this exact text by its hash, as GOV.UK Frontend's documentation
#: suggests. A test checks that the rendered page still carries exactly this text;
#: static/src/init.js sets the same classes in case it ever does not.
GOVUK_TEMPLATE_INLINE_SCRIPT = (
    "document.body.className += ' js-enabled' + ('noModule' in "
    "HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');"
)


def _script_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' {_script_hash(GOVUK_TEMPLATE_INLINE_SCRIPT)}",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

#: Headers set on every response, assets included.
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

#: The form field and session key that carry the CSRF token.
CSRF_FIELD = "csrf_token"

_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CSRFError(BadRequest):
    """A form was posted without the token of the current session.

    Nearly always this is an expired session: after thirty minutes without
    activity the cookie, and with it the token, is gone. The HTML error page
    says so, kindly.
    """

    description = "This form has expired. Please start again."


def init_app(app: Flask) -> None:
    """Check the secret key, then add the headers and CSRF check to every request."""
    _ensure_secret_key(app)
    app.before_request(check_csrf)
    app.after_request(set_security_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token


def _ensure_secret_key(app: Flask) -> None:
    """Make sure there is a key; web/config.py has already refused to start without one.

    The key signs (and, through HKDF, encrypts) the session cookie that holds the
    answers, so it must be secret and the same for every worker. web.config.check
    makes one up only for ``flask run`` and tests, where sessions may end when the
    app restarts; this is a last guard for apps built without it.
    """
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set (see web/config.py).")


def set_security_headers(response: Response) -> Response:
    """Add the security headers, and forbid caching of anything but assets.

    Assets hold nothing personal, so they may be cached; every other response
    (pages, redirects, errors, API answers) must not be stored anywhere.
    """
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if isinstance(request.routing_exception, RequestRedirect) and "Location" in response.headers:
        # Werkzeug's slash-adding redirect builds a full address from the Host header;
        # keep only the path, so a forged Host never comes back to the browser.
        parts = urlsplit(response.headers["Location"])
        response.headers["Location"] = parts.path + (f"?{parts.query}" if parts.query else "")
        response.set_data(b"")
    return response


def csrf_token() -> str:
    """Return this session's CSRF token, creating it on first use.

    Called from templates (``{{ csrf_token() }}``), so a session cookie is set
    only on pages that have a form.
    """
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def check_csrf() -> None:
    """Reject a state-changing request whose form token is missing or wrong.

    Requests that did not match a route are left alone, so that they get their
    proper 404 or 405. The blueprints named in ``CSRF_EXEMPT_BLUEPRINTS`` (the
    JSON API) are exempt.
    """
    if request.method not in _UNSAFE_METHODS or request.url_rule is None:
        return
    if request.blueprint in current_app.config.get("CSRF_EXEMPT_BLUEPRINTS", ()):
        return
    expected = session.get(CSRF_FIELD)
    sent = request.form.get(CSRF_FIELD)
    if not (isinstance(expected, str) and isinstance(sent, str)):
        raise CSRFError()
    if not hmac.compare_digest(expected.encode("utf-8"), sent.encode("utf-8")):
        raise CSRFError()
