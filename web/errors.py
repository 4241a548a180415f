"""Error responses: JSON under /api/, GOV.UK-style pages everywhere else.

The handlers are registered on the app, not on a blueprint, because a
blueprint's handlers never see routing errors (a 404 for an unknown path, a 405
for a wrong method). Whatever goes wrong, nobody is shown a stack trace, and
nothing the person typed is written to the log: an unexpected error is logged
with its type and where it happened, not its message, which could quote an
answer.
"""

from __future__ import annotations

import logging
import traceback
import typing as t

from flask import Response
from flask import jsonify
from flask import render_template
from flask import request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from web.security import CSRFError

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.typing import ResponseReturnValue

logger = logging.getLogger(__name__)

#: Plain-English explanations for the API, one per status it can return.
API_MESSAGES = {
    400: "The request could not be understood. Check that the body is valid JSON.",
    404: "There is nothing at this address. See /api/v1/openapi.json for the addresses this API has.",
    405: "This address does not accept that method. See /api/v1/openapi.json.",
    413: "The request body is too large.",
    415: "Send the request body as JSON, with the header Content-Type: application/json.",
    500: "Something went wrong on our side. Nothing you sent has been kept.",
}

#: The page template for each status; any other status gets errors/error.html.
HTML_TEMPLATES = {
    404: "errors/404.html",
    500: "errors/500.html",
}


def init_app(app: Flask) -> None:
    """Register the handlers on the app itself."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)


def is_api_request() -> bool:
    """Whether this request is for the JSON API, which answers errors in JSON."""
    return request.path == "/api" or request.path.startswith("/api/")


def api_error(status: int, errors: list[dict[str, t.Any]]) -> tuple[Response, int]:
    """The API's one error shape: ``{"errors": [...]}`` with the HTTP status."""
    return jsonify(errors=errors), status


def handle_csrf_error(error: CSRFError) -> tuple[str, int]:
    """Explain an expired form kindly, and offer to start again."""
    return render_template("errors/expired.html"), 400


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    """Answer an HTTP error in the form the client expects.

    Redirects pass through (web/security.py keeps only the path of Werkzeug's
    slash-adding redirect); a 405 keeps its Allow header.
    """
    status = error.code or 500
    if status < 400:
        return error.get_response()
    # Headers the error carries (Allow on a 405) go with our body too.
    headers = _error_headers(error)
    if is_api_request():
        # Werkzeug's descriptions are for HTML; ours say what to do next.
        message = API_MESSAGES.get(status) or error.description or "The request failed."
        response, _ = api_error(status, [{"status": status, "title": error.name, "message": message}])
        response.headers.extend(headers)
        return response, status
    if request_ctx.url_adapter is None:
        # The Host is not one of TRUSTED_HOSTS, so no address can be built for a page;
        # answer in plain words, without repeating the host.
        return Response(f"{status} {error.name}\n", status, headers, mimetype="text/plain")
    template = HTML_TEMPLATES.get(status, "errors/error.html")
    page = render_template(template, status=status, title=error.name)
    return page, status, headers


def _error_headers(error: HTTPException) -> list[tuple[str, str]]:
    """The headers of Werkzeug's own response for this error, less its body's type and length."""
    skip = {"content-type", "content-length"}
    return [(k, v) for k, v in error.get_headers() if k.lower() not in skip]



def handle_unexpected_error(error: Exception) -> ResponseReturnValue:
    """Log where an unexpected error happened, then answer 500."""
    if isinstance(error, HTTPException):  # pragma: no cover - Flask routes these above
        return handle_http_error(error)
    # Where it happened (file, line, function) and nothing else: no message, no
    # values, no source text.
    where = "".join(
        f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
        for frame in traceback.extract_tb(error.__traceback__)
    )
    logger.error(
        "Unexpected %s while handling %s %s\n%s",
        type(error).__name__,
        request.method,
        request.url_rule.rule if request.url_rule else "(no route)",
        where,
    )
    return handle_http_error(InternalServerError())
