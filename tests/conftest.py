"""Shared fixtures: the knowledge is loaded and compiled once per test run."""

from __future__ import annotations

import pytest

import rules


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright")
    config.addinivalue_line("markers", "served: starts gunicorn on a loopback port")


@pytest.fixture(scope="session")
def knowledge() -> rules.KnowledgeBase:
    return rules.default_assessor().knowledge


@pytest.fixture(scope="session")
def assessor() -> rules.Assessor:
    return rules.default_assessor()
