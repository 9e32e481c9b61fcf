"""Which patient reports are urgent: a pure rule, no Django and no clock.

Fever, infection and rash are the "call us today" reports of the clinic's when-to-call list. A
fever is urgent from the clinic's threshold (``CLINIC_FEVER_THRESHOLD_C``, 38.0 °C by default,
the same line as the screening's FEVER rule) or when the patient feels feverish and has not
measured it: without a number nobody can rule a fever out, so it stays urgent.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

URGENT_CATEGORIES = frozenset({"fever", "infection", "rash"})
NOT_MEASURED = "no"


def measured_temperature(details: Mapping[str, object]) -> Decimal | None:
    """The temperature the patient measured, or None when they did not measure one."""
    if details.get("measured") == NOT_MEASURED:
        return None
    try:
        return Decimal(str(details["temperature"]))
    except (KeyError, InvalidOperation):
        return None


def concern_is_urgent(category: str, details: Mapping[str, object], *, fever_c: Decimal) -> bool:
    if category not in URGENT_CATEGORIES:
        return False
    if category != "fever":
        return True
    temperature = measured_temperature(details)
    return temperature is None or temperature >= fever_c
