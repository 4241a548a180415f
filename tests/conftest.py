"""Shared fixtures: the knowledge is loaded and compiled once per test run."""

from __future__ import annotations

import typing as t

import pytest

import rules

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright")
    config.addinivalue_line("markers", "served: starts gunicorn on a loopback port")


@pytest.fixture(scope="session")
def knowledge() -> rules.KnowledgeBase:
    return rules.default_assessor().knowledge


@pytest.fixture(scope="session")
def assessor() -> rules.Assessor:
    return rules.default_assessor()


@pytest.fixture(scope="module")
def app() -> Flask:
    """One app per test module: loading the knowledge is the slow part, and no test
    changes the app (each gets its own client, so its own cookies)."""
    from app import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "test-secret"})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def kb(app: Flask) -> t.Any:
    return app.extensions["knowledge"]
