"""The web app: a factory that builds it, as in Flask's tutorial.

Each call to :func:`create_app` gives a new, independent app, so the tests can
build as many as they need, each with its own configuration. Everything that
needs the app (security headers, the session, the error pages, the knowledge
and engine, the blueprints) is attached here through its module's ``init_app``
and never kept in a module global.

Run it with ``flask --app app run`` (``scripts/run``) or ``gunicorn 'app:create_app()'``.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

from flask import Flask
from flask import current_app
from flask import jsonify
from jinja2 import ChoiceLoader
from jinja2 import FileSystemLoader
from jinja2 import PackageLoader
from jinja2 import PrefixLoader

import rules
from web import api
from web import config
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

#: Kept here for code that imports them from app; the settings live in web/config.py.
SERVICE_NAME = config.SERVICE_NAME
EXIT_URL = config.EXIT_URL


def create_app(test_config: t.Mapping[str, t.Any] | None = None) -> Flask:
    """Build the app.

    :param test_config: settings that replace the defaults and the environment,
        for tests. Every setting, its default and its check are in web/config.py;
        a wrong one raises ``web.config.ConfigError`` listing every problem.
    """
    # Only the built assets are public: static/src (our sources) is not served.
    app = Flask(
        __name__,
        static_folder=str(ASSETS / "static" / "build"),
        static_url_path="/assets",
        template_folder=str(ASSETS / "templates"),
    )
    # Defaults, then the environment (FLASK_<NAME>, and the README's older
    # unprefixed names), then test_config; checked before anything else runs.
    config.load(app, test_config)
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
    app.add_url_rule("/ready", "ready", ready, methods=["GET"])
    return app


def ready() -> Response:
    """Readiness: the knowledge is loaded and compiled, so this worker can assess.

    The container's HEALTHCHECK and any orchestrator probe ask it. It reports which
    law (``knowledge_version``) and which code (``version``) answer, and sets no cookie.
    """
    kb = current_app.extensions.get("knowledge")
    if kb is None or current_app.extensions.get("assessor") is None:  # pragma: no cover - init_app raises first
        return jsonify(status="starting"), 503  # type: ignore[return-value]
    return jsonify(status="ready", knowledge_version=kb.version, law_as_at=kb.meta.law_as_at.isoformat(),
                   version=rules.__version__)


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

