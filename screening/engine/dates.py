"""Calendar arithmetic the clinical rules rely on."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, clamped to the end of a shorter month.

    31 January + 1 month is 28 February (29 in a leap year), never 3 March.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last_day))


def age_on(born: dt.date, day: dt.date) -> int:
    """Completed years on ``day``. Someone born on 29 February turns a year older on 1 March
    in years without one."""
    years = day.year - born.year
    if (day.month, day.day) < (born.month, born.day):
        years -= 1
    return years
