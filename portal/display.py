"""A report's answers as people read them: labels, units and dates, not stored keys."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.dateformat import format as format_date

from portal.urgency import NOT_MEASURED

LABELS = {
    "measured": "Measured",
    "temperature": "Temperature",
    "since": "Since",
    "where": "What and where",
    "antibiotic": "Antibiotic",
    "prescriber": "Prescribed by",
    "started": "Started",
    "procedure": "Procedure",
    "date": "Date",
    "vaccine": "Vaccine",
}
DATES = {"since", "started", "date"}


def _value(key: str, value) -> str:
    if key == "measured":
        return "No, feels feverish (not measured)" if value == NOT_MEASURED else "Yes"
    if key == "temperature":
        try:
            return f"{Decimal(str(value)):.1f} °C"
        except InvalidOperation:
            return str(value)
    if key in DATES:
        try:
            return format_date(dt.date.fromisoformat(str(value)), "j M Y")
        except ValueError:
            return str(value)
    return str(value)


def detail_rows(details: dict) -> list[tuple[str, str]]:
    """``[(label, value), …]`` in a stable order: known questions first, then anything else."""
    known = [key for key in LABELS if key in details]
    rest = sorted(key for key in details if key not in LABELS)
    return [
        (LABELS.get(key, key.replace("_", " ").capitalize()), _value(key, details[key]))
        for key in known + rest
    ]
