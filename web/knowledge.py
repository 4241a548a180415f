"""The knowledge base and the engine, loaded once per app.

Loading and compiling the knowledge is the slow part, and a broken knowledge
file must stop the app at start-up rather than on some later request, so both
happen in :func:`init_app`. The results live in ``app.extensions`` (never in a
module global), so two apps in one process, as in the tests, stay apart.
"""

from __future__ import annotations

import typing as t

from flask import current_app

import rules

if t.TYPE_CHECKING:
    from flask import Flask

#: ``app.extensions`` keys.
KNOWLEDGE = "knowledge"
ASSESSOR = "assessor"


def init_app(app: Flask) -> None:
    """Load and compile the knowledge; raise ``rules.KnowledgeError`` if it is broken.

    ``KNOWLEDGE_PATH`` names another knowledge folder (default: the one shipped
    in knowledge/), for reviewing a draft of the law before it is merged;
    ``SERVICES_PATH`` a deployment's own services, added over the shipped ones.
    """
    knowledge = rules.load_knowledge(app.config.get("KNOWLEDGE_PATH"), services=app.config.get("SERVICES_PATH"))
    app.extensions[KNOWLEDGE] = knowledge
    # One Assessor per app: it compiles the rules once and is safe to share
    # between threads (each call takes an experta engine of its own from a pool).
    assessor = app.extensions[ASSESSOR] = rules.Assessor(knowledge)
    # Build the engines now, one per thread that may assess at once (gunicorn --threads;
    # ENGINES overrides), so that no request pays for building one.
    assessor.runner.warm(int(app.config.get("ENGINES", 4)))


def get_knowledge() -> rules.KnowledgeBase:
    """The current app's knowledge base."""
    return t.cast("rules.KnowledgeBase", current_app.extensions[KNOWLEDGE])


def get_assessor() -> rules.Assessor:
    """The current app's compiled engine."""
    return t.cast("rules.Assessor", current_app.extensions[ASSESSOR])
