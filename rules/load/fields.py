"""The fields every kind of knowledge file shares: citations, checked dates and conditions.

A citation must have a real date it was checked on (not in the future, not before 1990),
an https address (legislation.gov.uk for a statute) and a known verification level, since
metadata that nothing checks goes wrong without anyone noticing. A condition must name
only questions, options and facts that exist: it is parsed here, once, at load.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from .. import course_of_conduct
from ..conditions import ALWAYS
from ..conditions import Condition
from ..conditions import ConditionError
from ..conditions import NamedSets
from ..conditions import parse_condition
from ..model import VERIFICATION_LEVELS
from ..model import Citation
from ..model import Question
from .read import Files
from .read import KnowledgeProblem
from .read import Node


class Fields:
    """What every stage reads with: the files, today's date and what conditions may name.

    ``questions`` and ``sets`` are filled in once the questionnaire is read; conditions are
    parsed only after that.
    """

    def __init__(self, files: Files, today: dt.date) -> None:
        self.files = files
        self.problems: list[KnowledgeProblem] = files.problems
        self.today = today
        self.questions: dict[str, Question] = {}
        self.sets: NamedSets = {}

    def citation(self, node: Node | None, parent: Citation | None = None, statute: bool = False) -> Citation | None:
        """A citation; with ``parent``, each field left out is the parent's."""
        if node is None:
            return parent
        title = node.text("title", required=parent is None) or (parent.title if parent else "")
        url = node.text("url", required=parent is None) or (parent.url if parent else "")
        verification = node.text("verification", required=parent is None) or (parent.verification if parent else "")
        checked_on = node.get("checked_on", dt.date, required=parent is None) or (parent.checked_on if parent else None)
        section = node.text("section", required=False)
        note = node.text("note", required=False)
        node.done()
        if url and (not url.startswith("https://") or " " in url):
            node.fail("url", f"must be an https:// address without spaces, got {url!r}")
        if statute and url and not url.startswith("https://www.legislation.gov.uk/"):
            node.fail("url", "a statute is cited by its https://www.legislation.gov.uk/ address")
        if verification and verification not in VERIFICATION_LEVELS:
            node.fail("verification", f"must be one of {', '.join(VERIFICATION_LEVELS)}, got {verification!r}")
        self.check_date(node, "checked_on", checked_on)
        if not (title and url and verification and checked_on):
            return None
        return Citation(title, url, verification, checked_on, section, note)

    def check_date(self, node: Node, key: str, value: dt.date | None) -> None:
        """A date something was checked on is neither in the future nor before 1990."""
        if value is not None and (value > self.today or value.year < 1990):
            node.fail(key, f"{value.isoformat()} cannot be a date it was checked on")

    def condition(self, node: Node, key: str, value: t.Any) -> Condition:
        """The condition at ``key``; a problem (and ``always``, to go on checking) if it is malformed."""
        try:
            return parse_condition(value, self.questions, course_of_conduct.FACTS, "", self.sets)
        except ConditionError as exc:
            node.fail(f"{key}{exc.path}", exc.message)
            return ALWAYS
