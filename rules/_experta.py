"""The only module that imports experta.

experta 1.9.4 pins frozendict 1.2, which subclasses ``collections.Mapping``; Python 3.10
removed that alias, so we restore it (only if missing) before the first import. experta's
own code already uses ``collections.abc``; the pin is the only breakage (upstream issue
nilp0inter/experta#34).

experta's watchers log every declared fact and every fired rule at INFO, and
``experta.watchers`` calls ``logging.basicConfig()`` on import. The facts we declare hold a
person's answers, so experta's loggers are pinned to WARNING here: nothing the person says
may reach a log. The explanation is built from our own trace instead.
"""

from __future__ import annotations

import collections
import collections.abc
import logging

if not hasattr(collections, "Mapping"):
    collections.Mapping = collections.abc.Mapping  # type: ignore[attr-defined]

from experta import MATCH  # noqa: E402
from experta import Fact  # noqa: E402
from experta import KnowledgeEngine  # noqa: E402
from experta import P  # noqa: E402
from experta import Rule  # noqa: E402
from experta.strategies import DepthStrategy  # noqa: E402

for _name in ("experta", "experta.watchers", "experta.engine", "experta.factlist"):
    logging.getLogger(_name).setLevel(logging.WARNING)
for _watcher in ("RULES", "AGENDA", "FACTS", "ACTIVATIONS", "ENGINE"):
    logging.getLogger(f"experta.watchers.{_watcher}").setLevel(logging.WARNING)

__all__ = ["MATCH", "DepthStrategy", "Fact", "KnowledgeEngine", "P", "Rule"]
