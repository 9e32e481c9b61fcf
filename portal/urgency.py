"""Which patient reports are urgent, and what a pregnancy report tells the patient to do.

Pure: a category, the report's answers and the clinic's policy in; a decision out.
- Fever, infection and rash are urgent on their own (CLINIC "when to call").
- A pregnancy report ("I am pregnant" or "I might be") is urgent: the leaflet says to call the
  doctor about pregnancy, and under the ``strict`` policy pregnancy is a contraindication
  (CLINIC, EU-SmPC: not recommended in pregnancy).
- A side effect is not urgent by itself, but it is together with a fever (clinic rule: fever on
  Kineret may be an infection).
"""

from __future__ import annotations

URGENT_ALONE = frozenset({"fever", "infection", "rash", "pregnancy"})
SIDE_EFFECTS = "side_effects"
YES = "yes"


def reports_fever(category: str, details: dict) -> bool:
    """A report that is not about a fever but says there is one (a side effect with a fever)."""
    return category == SIDE_EFFECTS and details.get("fever") == YES


def is_urgent(category: str, details: dict) -> bool:
    return category in URGENT_ALONE or reports_fever(category, details)


def pregnancy_holds_treatment(policy: str) -> bool:
    """Under ``strict`` pregnancy is a contraindication, so the patient is told not to take the
    next dose until the rheumatologist has spoken with them (Kineret needs no weaning, CLINIC).
    Under ``us_label`` it is a review item: keep going until the team says otherwise."""
    return policy == "strict"
