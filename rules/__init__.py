"""Stalking and harassment self-assessment: the engine.

One import and one call::

    import rules
    assessment = rules.assess({"lives_in": "england", ...}, as_at="2026-11-21")
    assessment.to_dict()

The law lives in ``knowledge/`` (YAML a lawyer can review); this package loads and checks
it, compiles it into experta rules, runs them against the answers and explains the result.
It imports nothing from the web app and does no I/O beyond reading the knowledge files.
"""

from __future__ import annotations

#: The code's version (this package, its command line and the web app). The law's version is
#: separate: ``KnowledgeBase.version`` (``knowledge_version`` in knowledge/meta.yaml), given
#: with every assessment. CHANGELOG.md says what each means.
__version__ = "0.3.0"

from .answers import AnswersError as AnswersError
from .answers import Problem as Problem
from .answers import answers_schema as answers_schema
from .assessment import Assessment as Assessment
from .interview import Interview as Interview
from .interview import askable as questions_to_ask
from .load import KnowledgeError as KnowledgeError
from .load import load_knowledge as load_knowledge
from .model import KnowledgeBase as KnowledgeBase
from .service import Assessor as Assessor
from .service import assess as assess
from .service import default_assessor as default_assessor
from .service import interview as interview

__all__ = [
    "__version__",
    "Assessment",
    "Assessor",
    "Interview",
    "AnswersError",
    "KnowledgeBase",
    "KnowledgeError",
    "Problem",
    "answers_schema",
    "assess",
    "default_assessor",
    "interview",
    "load_knowledge",
    "questions_to_ask",
]
