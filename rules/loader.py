"""The names this module used to define, kept for code that imports them from here.

The loader now works in stages (``rules.load``); the gates it adds to every provision are
in ``rules.gates`` and the date arithmetic in ``rules.dates``. New code imports from those.
"""

from __future__ import annotations

from .dates import add_months as add_months
from .load import DEFAULT_PATH as DEFAULT_PATH
from .load import KnowledgeError as KnowledgeError
from .load import KnowledgeProblem as KnowledgeProblem
from .load import load_knowledge as load_knowledge

__all__ = ["DEFAULT_PATH", "KnowledgeError", "KnowledgeProblem", "add_months", "load_knowledge"]
