"""rules.dates: calendar months as the courts count them."""

from __future__ import annotations

import datetime as dt

import pytest

from rules.dates import add_months

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 5, 21), 6, D(2026, 11, 21)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 1, 31), 36, D(2029, 1, 31)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 11, 30), 0, D(2026, 11, 30)),
        (D(2026, 11, 30), 24, D(2028, 11, 30)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_the_old_name_still_works() -> None:
    from rules.loader import add_months as old

    assert old is add_months
