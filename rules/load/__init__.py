"""knowledge/ -> KnowledgeBase, in stages, each in its own module.

- ``read``: strict YAML (a repeated key or an impossible date is a problem), the folders,
  ``KnowledgeProblem`` and ``KnowledgeError``, and ``Node``, which records every problem;
- ``fields``: what every kind of file shares (citations, checked dates, conditions);
- ``questions``: the questionnaire, its pages, ``ask_when`` and the named sets;
- ``provisions``: elements, exceptions, shared definitions (``uses:``), offences and orders
  (their generated gates come from ``rules.gates``);
- ``help``: signs, services, safety advice, places with their own law, risk;
- ``resolve``: ``load_knowledge()``, which runs them in order, checks what refers across
  files and freezes the KnowledgeBase.
"""

from __future__ import annotations

from .read import KnowledgeError as KnowledgeError
from .read import KnowledgeProblem as KnowledgeProblem
from .resolve import DEFAULT_PATH as DEFAULT_PATH
from .resolve import load_knowledge as load_knowledge

__all__ = ["DEFAULT_PATH", "KnowledgeError", "KnowledgeProblem", "load_knowledge"]
