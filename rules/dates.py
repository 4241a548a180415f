"""Date arithmetic the law needs: calendar months, as the courts count them.

Kept apart so every stage that counts time (the generated time-limit gates, the derived
facts, the explanation of when a limit ends) counts it the same way.
"""

from __future__ import annotations

import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later, or the month's last day if shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError(day)
