"""Settings: defaults, then the environment, then a test's own, checked before the app starts.

Every setting can be given in the environment as ``FLASK_<NAME>`` (Flask's
``app.config.from_prefixed_env()``: a value that reads as JSON is taken as JSON, so
``FLASK_TRUSTED_PROXY_HOPS=1`` is the number 1 and ``FLASK_TRUSTED_HOSTS='["example.org"]'``
a list). The names the README gave before (``SECRET_KEY``, ``APP_ENV``,
``SESSION_COOKIE_SECURE``, ``KNOWLEDGE_PATH``, ``SERVICES_PATH``, ``CONTACT_URL``) still
work without the prefix; the prefixed name wins when both are set.

:func:`check` refuses to start a misconfigured app, listing every problem at once. Above
all: any server that is not Flask's development server (``flask run``) must be given a
secret key of at least :data:`MIN_SECRET_KEY_LENGTH` characters, the same for every worker.
Without one each gunicorn worker would make up its own key, and a person's next page,
served by another worker, could not read their answers ("This form has expired").
"""

from __future__ import annotations

import os
import secrets
import typing as t
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from werkzeug.middleware.proxy_fix import ProxyFix

if t.TYPE_CHECKING:
    from flask import Flask

#: Shown in the header, in every page title and in the API's description.
SERVICE_NAME = "Stalking and harassment: check what is happening"

#: Where "Exit this page" goes: a busy, neutral site that looks ordinary in a
#: browser history and loads quickly.
EXIT_URL = "https://www.bbc.co.uk/weather"

#: The shortest secret key accepted outside development: 32 characters, as from
#: ``python -c 'import secrets; print(secrets.token_hex(32))'`` (which gives 64).
MIN_SECRET_KEY_LENGTH = 32

#: Names read from the environment without the FLASK_ prefix, as the README always said.
UNPREFIXED = ("SECRET_KEY", "APP_ENV", "SESSION_COOKIE_SECURE", "KNOWLEDGE_PATH", "SERVICES_PATH", "CONTACT_URL")

APP_ENVS = ("development", "production")
_YES = {"1", "true", "yes", "on"}
_NO = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    """The settings are wrong; ``problems`` lists each, one sentence per setting."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("The app cannot start:\n" + "\n".join(f"- {p}" for p in problems))


def defaults() -> dict[str, t.Any]:
    """Every setting with its default."""
    return {
        "SECRET_KEY": None,  # nosec B105  # no default key: only flask run and tests may make one up
        "APP_ENV": "development",
        "SERVICE_NAME": SERVICE_NAME,
        "EXIT_URL": EXIT_URL,
        # The knowledge folder to load (None: the shipped knowledge).
        "KNOWLEDGE_PATH": None,
        # A deployment's own services: a folder of service YAML files (the shape of
        # knowledge/services/), each added to the shipped services or, with the same
        # file name, replacing one. Checked by the same loader, so a broken file stops
        # the app at start-up.
        "SERVICES_PATH": None,
        # Where people can report a problem with the tool (the accessibility page
        # links to it when set). Never a form that asks what happened.
        "CONTACT_URL": None,
        # How many proxies in front of the app set X-Forwarded-For/-Proto/-Host
        # (werkzeug's ProxyFix); 0 trusts none of those headers.
        "TRUSTED_PROXY_HOPS": 0,
        # The host names this app answers to (Flask's own setting; None: any). A
        # request for any other host gets 400, so no page or redirect carries it.
        "TRUSTED_HOSTS": None,
        # Every request body here is a short form or a small JSON document; a
        # bigger one is a mistake or an attack, refused with 413 before it is read.
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "MAX_FORM_MEMORY_SIZE": 64 * 1024,
        # The session cookie is the only place answers are kept (see web/state.py).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Strict",
        "SESSION_COOKIE_SECURE": False,
        # Thirty minutes after the last page, the cookie expires and the answers
        # are gone; each request starts the thirty minutes again.
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=30),
        "SESSION_REFRESH_EACH_REQUEST": True,
        # The JSON API is stateless and accepts only application/json, so a
        # cross-site form cannot post to it: it needs no CSRF token.
        "CSRF_EXEMPT_BLUEPRINTS": ("api",),
    }


def load(app: Flask, test_config: t.Mapping[str, t.Any] | None = None) -> None:
    """Fill ``app.config``: the defaults, the environment, then ``test_config``; then check it."""
    app.config.from_mapping(defaults())
    for name in UNPREFIXED:
        value = os.environ.get(name)
        if value:
            app.config[name] = value
    app.config.from_prefixed_env()
    if test_config is not None:
        app.config.from_mapping(test_config)
    check(app)
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def is_development_server(app: Flask) -> bool:
    """Whether this app is served by ``flask run`` (or is a test), where a made-up key will do.

    ``flask`` sets FLASK_RUN_FROM_CLI for its own commands; gunicorn and every other
    server do not. ``APP_ENV=production`` makes even ``flask run`` strict.
    """
    if app.testing:
        return True
    if app.config["APP_ENV"] == "production":
        return False
    return os.environ.get("FLASK_RUN_FROM_CLI") == "true" or app.debug


def check(app: Flask) -> None:
    """Normalise and check every setting; raise :class:`ConfigError` listing every problem."""
    c = app.config
    problems: list[str] = []

    if c["APP_ENV"] not in APP_ENVS:
        problems.append(f"APP_ENV must be one of {', '.join(APP_ENVS)}, not {c['APP_ENV']!r}.")
        c["APP_ENV"] = "production"  # judge the rest strictly

    key = c.get("SECRET_KEY")
    if key is not None and not isinstance(key, (str, bytes)):
        key = str(key)
        c["SECRET_KEY"] = key
    if not key:
        if is_development_server(app):
            # Sessions then end when the server restarts; fine for `flask run` and tests.
            c["SECRET_KEY"] = secrets.token_hex(32)
        else:
            problems.append(
                "SECRET_KEY is not set. Any server other than `flask run` needs SECRET_KEY (or FLASK_SECRET_KEY):"
                " a random value of at least 32 characters, the same for every worker, for example the output of"
                " python -c 'import secrets; print(secrets.token_hex(32))'. Without it each worker makes up its"
                " own key and people lose their answers."
            )
    elif len(key) < MIN_SECRET_KEY_LENGTH and not is_development_server(app):
        problems.append(f"SECRET_KEY is too short ({len(key)} characters): use at least {MIN_SECRET_KEY_LENGTH}.")

    for name in ("SESSION_COOKIE_SECURE",):
        flag = _flag(c[name])
        if flag is None:
            problems.append(f"{name} must be yes or no (1/0, true/false), not {c[name]!r}.")
        else:
            c[name] = flag

    hops = c["TRUSTED_PROXY_HOPS"]
    try:
        hops = int(hops)
        if isinstance(c["TRUSTED_PROXY_HOPS"], bool) or not 0 <= hops <= 5:
            raise ValueError
        c["TRUSTED_PROXY_HOPS"] = hops
    except (TypeError, ValueError):
        problems.append(f"TRUSTED_PROXY_HOPS must be a whole number from 0 to 5, not {c['TRUSTED_PROXY_HOPS']!r}.")
        c["TRUSTED_PROXY_HOPS"] = 0

    hosts = c["TRUSTED_HOSTS"]
    if isinstance(hosts, str):
        hosts = [h.strip() for h in hosts.split(",") if h.strip()]
    if hosts is not None and not (isinstance(hosts, (list, tuple)) and hosts and all(isinstance(h, str) and h for h in hosts)):
        problems.append("TRUSTED_HOSTS must be a list of host names (JSON, or separated by commas).")
        hosts = None
    c["TRUSTED_HOSTS"] = list(hosts) if hosts else None

    name = c["SERVICE_NAME"]
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        problems.append("SERVICE_NAME must be a name of 1 to 100 characters.")
    for setting in ("EXIT_URL", "CONTACT_URL"):
        value = c[setting]
        if value is None and setting == "CONTACT_URL":
            continue
        if not _https_url(value):
            problems.append(f"{setting} must be a full https:// address, not {value!r}.")
    for setting in ("KNOWLEDGE_PATH", "SERVICES_PATH"):
        value = c[setting]
        if value is not None and not Path(str(value)).is_dir():
            problems.append(f"{setting} must be a folder that exists, not {value!r}.")
    for setting in ("MAX_CONTENT_LENGTH", "MAX_FORM_MEMORY_SIZE"):
        value = c[setting]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            problems.append(f"{setting} must be a positive number of bytes, not {value!r}.")

    if problems:
        raise ConfigError(problems)


def _flag(value: t.Any) -> bool | None:
    """A yes/no setting: a bool, 0/1, or a word; None if it is neither."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text in _YES else False if text in _NO else None


def _https_url(value: t.Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme == "https" and bool(parts.netloc) and not any(ch.isspace() for ch in value)
