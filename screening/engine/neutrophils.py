"""Neutrophil count thresholds: the one home for 1.0 and 1.5 x 10^9/L (docs/clinical-rules.md,
"Neutrophil counts").

Below 1.5 Kineret is not started (EU-SmPC, the ``NEUTROPENIA`` rule). During therapy a count
below 1.0 is urgent and one from 1.0 up to 1.5 needs attention (US-PI monitoring). The limits
are Decimals so that a stored laboratory value (a Decimal) and a screening answer (a float)
compare exactly against the same numbers.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

ANC_URGENT_BELOW = Decimal("1.0")
ANC_LOW_BELOW = Decimal("1.5")


class Reading(StrEnum):
    URGENT = "urgent"
    ATTENTION = "attention"
    NORMAL = "normal"


def interpret_anc(value: Decimal | float) -> Reading:
    """Below 1.0 urgent, 1.0 up to (not including) 1.5 attention, 1.5 or more normal."""
    if value < ANC_URGENT_BELOW:
        return Reading.URGENT
    if value < ANC_LOW_BELOW:
        return Reading.ATTENTION
    return Reading.NORMAL


def is_low(value: Decimal | float) -> bool:
    """Too low to start Kineret (and low enough to matter with a fever)."""
    return value < ANC_LOW_BELOW
