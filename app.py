"""The web app: a factory that builds it, as in Flask's tutorial.

Each call to :func:`create_app` gives a new, independent app, so the tests can
build as many as they need, each with its own configuration. Everything that
needs the app (security headers, the session, the error pages, the knowledge
and engine, the blueprints) is attached here through its module's ``init_app``
and never kept in a module global.

Run it with ``flask --app app run`` (``scripts/run``) or ``gunicorn 'app:create_app()'``.
"""

from __future__ import annotations

import os
import typing as t
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask import jsonify
from jinja2 import ChoiceLoader
from jinja2 import FileSystemLoader
from jinja2 import PackageLoader
from jinja2 import PrefixLoader

from web import api
from web import errors
from web import knowledge
from web import presenters
from web import public
from web import security
from web import staff
from web import state

if t.TYPE_CHECKING:
    from flask import Response

ROOT = Path(__file__).resolve().parent
#: templates/ and static/ sit beside app.py in a checkout; an installed copy
#: (pip install '.[web]') carries them inside the web package.
ASSETS = ROOT if (ROOT / "templates" / "layout.html").is_file() else ROOT / "web"

#: Shown in the header, in every page title and in the API's description.
SERVICE_NAME = "Stalking and harassment: check what is happening"

#: Where "Exit this page" goes: a busy, neutral site that looks ordinary in a
#: browser history and loads quickly.
EXIT_URL = "https://www.bbc.co.uk/weather"


def create_app(test_config: t.Mapping[str, t.Any] | None = None) -> Flask:
    """Build the app.

    :param test_config: settings that replace the defaults, for tests. Without
        it the defaults stand, with a few read from the environment:
        ``SECRET_KEY``, ``APP_ENV`` and ``SESSION_COOKIE_SECURE``.
    """
    # Only the built assets are public: static/src (our sources) is not served.
    app = Flask(
        __name__,
        static_folder=str(ASSETS / "static" / "build"),
        static_url_path="/assets",
        template_folder=str(ASSETS / "templates"),
    )
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY") or None,
        APP_ENV=os.environ.get("APP_ENV", "development"),
        SERVICE_NAME=SERVICE_NAME,
        EXIT_URL=EXIT_URL,
        # The knowledge folder to load (None: the shipped knowledge/).
        KNOWLEDGE_PATH=os.environ.get("KNOWLEDGE_PATH") or None,
        # Where people can report a problem with the tool (the accessibility
        # page links to it when set). Never a form that asks what happened.
        CONTACT_URL=os.environ.get("CONTACT_URL") or None,
        # Every request body here is a short form or a small JSON document; a
        # bigger one is a mistake or an attack, refused with 413 before it is read.
        MAX_CONTENT_LENGTH=64 * 1024,
        MAX_FORM_MEMORY_SIZE=64 * 1024,
        # The session cookie is the only place answers are kept (see web/state.py).
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=_env_flag("SESSION_COOKIE_SECURE"),
        # Thirty minutes after the last page, the cookie expires and the
        # answers are gone; each request starts the thirty minutes again.
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=30),
        SESSION_REFRESH_EACH_REQUEST=True,
        # The JSON API is stateless and accepts only application/json, so a
        # cross-site form cannot post to it: it needs no CSRF token.
        CSRF_EXEMPT_BLUEPRINTS=("api",),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    # Keep the API's JSON in the order we build it, for people reading it.
    app.json.sort_keys = False  # type: ignore[attr-defined]

    _use_govuk_templates(app)
    app.jinja_env.globals.update(
        service_name=app.config["SERVICE_NAME"],
        exit_url=app.config["EXIT_URL"],
    )

    security.init_app(app)
    state.init_app(app)
    errors.init_app(app)
    presenters.init_app(app)
    # Last before the routes: a broken knowledge file stops the app here, at
    # start-up, with every problem listed (rules.KnowledgeError).
    knowledge.init_app(app)

    app.register_blueprint(public.bp)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    app.register_blueprint(staff.bp)
    app.add_url_rule("/api/v1/ping", "ping", ping, methods=["GET"])
    return app


def ping() -> Response:
    """Answer with a constant, doing no work.

    Load tests use it as the ceiling: the fastest any route of this app can be.
    """
    return jsonify(status="ok")


def _use_govuk_templates(app: Flask) -> None:
    """Let templates extend and import govuk-frontend-jinja's templates.

    Our own templates come first; GOV.UK's are reached by the prefix
    ``govuk_frontend_jinja/``, the path their own imports use.
    """
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(app.template_folder or "templates"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )


def _env_flag(name: str) -> bool:
    """Read a yes/no setting from the environment (1, true, yes or on mean yes)."""
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
