"""Which patient reports are urgent, and what a pregnancy report tells the patient to do.

Pure: a category, the report's answers and the clinic's policy in; a decision out. No Django and
no clock.
- Fever, infection, rash and pregnancy are the "call us today" categories (CLINIC "when to
  call"; the leaflet says to call the doctor about pregnancy, and under the ``strict`` policy
  pregnancy is a contraindication: EU-SmPC, not recommended in pregnancy).
- A fever is urgent from the clinic's threshold (``CLINIC_FEVER_THRESHOLD_C``, 38.0 °C by
  default, the same line as the screening's FEVER rule) or when the patient feels feverish and
  has not measured it: without a number nobody can rule a fever out, so it stays urgent.
- A side effect is not urgent by itself, but it is together with a fever (clinic rule: fever on
  Kineret may be an infection). The side-effect form asks yes or no, with no number, so a "yes"
  is urgent like an unmeasured fever.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

# Categories that are urgent on their own; a fever only from the threshold (see above).
URGENT_ALONE = frozenset({"fever", "infection", "rash", "pregnancy"})
FEVER = "fever"
SIDE_EFFECTS = "side_effects"
YES = "yes"
NOT_MEASURED = "no"
DEFAULT_FEVER_C = Decimal("38.0")


def measured_temperature(details: Mapping[str, object]) -> Decimal | None:
    """The temperature the patient measured, or None when they did not measure one."""
    if details.get("measured") == NOT_MEASURED:
        return None
    try:
        return Decimal(str(details["temperature"]))
    except (KeyError, InvalidOperation):
        return None


def reports_fever(category: str, details: Mapping[str, object]) -> bool:
    """A report that is not about a fever but says there is one (a side effect with a fever)."""
    return category == SIDE_EFFECTS and details.get("fever") == YES


def is_urgent(
    category: str, details: Mapping[str, object], *, fever_c: Decimal = DEFAULT_FEVER_C
) -> bool:
    if category == FEVER:
        temperature = measured_temperature(details)
        return temperature is None or temperature >= fever_c
    return category in URGENT_ALONE or reports_fever(category, details)


# The name the staff side's tests and callers know it by.
concern_is_urgent = is_urgent


def pregnancy_holds_treatment(policy: str) -> bool:
    """Under ``strict`` pregnancy is a contraindication, so the patient is told not to take the
    next dose until the rheumatologist has spoken with them (Kineret needs no weaning, CLINIC).
    Under ``us_label`` it is a review item: keep going until the team says otherwise."""
    return policy == "strict"
