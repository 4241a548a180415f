"""The order in which an assessment's laws are best read: how well each fits, then how serious.

The statuses come from the engine; this only orders them, for every presenter alike (the
public result, the staff console, the police summary), so that no presenter weighs the law
itself. It works on ``ProvisionResult.to_dict()``.
"""

from __future__ import annotations

import re
import typing as t

#: How well a provision fits, best first.
FIT_ORDER = ("may_apply", "borderline", "out_of_time", "unknown", "not_met")

_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10,
                 "fourteen": 14}
_YEARS = re.compile(r"up to (\d+|[a-z]+) years?", re.I)
_MONTHS = re.compile(r"up to (\d+|[a-z]+) months?", re.I)


def seriousness(provision: t.Mapping[str, t.Any]) -> float:
    """A rough seriousness from the penalty the knowledge states: the longest prison term
    named in the maximum penalty (in years), plus a little for a case that can go to the
    Crown Court. It orders laws of the same fit; it never changes a status."""
    penalty = (provision.get("max_penalty") or {}).get("text") or ""
    years = [_number(m) for m in _YEARS.findall(penalty)]
    months = [n / 12 for m in _MONTHS.findall(penalty) if (n := _number(m)) is not None]
    longest = max([y for y in years + months if y is not None] or [0.0])
    trial = (provision.get("mode_of_trial") or "").lower()
    return longest + (0.5 if "either way" in trial or "crown court" in trial else 0.0)


def _number(text: str) -> float | None:
    if text.isdigit():
        return float(text)
    return float(_WORD_NUMBERS[text.lower()]) if text.lower() in _WORD_NUMBERS else None


def by_fit_then_seriousness(provisions: t.Iterable[t.Mapping[str, t.Any]]) -> list[t.Mapping[str, t.Any]]:
    """Provisions ordered by how well they fit (their status), then by seriousness; of two
    as serious, the one that builds on the other (stalking on harassment) names it better."""
    def key(p: t.Mapping[str, t.Any]) -> tuple[int, float, int]:
        status = p.get("status")
        fit = FIT_ORDER.index(status) if status in FIT_ORDER else len(FIT_ORDER)
        return fit, -seriousness(p), -len(p.get("builds_on") or ())
    return sorted(provisions, key=key)
