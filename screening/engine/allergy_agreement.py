"""Whether a signed screening's allergy answers and the patient record's allergy list say the
same thing. Pure: the caller passes the stored answers and what the record holds."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

# The screening's allergy questions (docs/clinical-rules.md, "Contraindications" and
# "The record against the signed screening").
ALLERGY_ANSWERS = ("anakinra_allergy", "ecoli_protein_allergy", "latex_allergy")


class AllergyDisagreement(StrEnum):
    SCREENING_NONE_RECORD_LISTS = "screening_none_record_lists"
    SCREENING_NONE_RECORD_SILENT = "screening_none_record_silent"
    SCREENING_ALLERGY_RECORD_NONE = "screening_allergy_record_none"
    SCREENING_ALLERGY_RECORD_SILENT = "screening_allergy_record_silent"


def allergy_disagreement(
    answers: Mapping[str, Any], *, record_lists: bool, record_says_none: bool
) -> AllergyDisagreement | None:
    """How the record differs from the screening's allergy answers, or ``None`` when it agrees
    (or when the screening did not settle the question either way)."""
    if answers.get("no_known_allergies") is True:
        if record_lists:
            return AllergyDisagreement.SCREENING_NONE_RECORD_LISTS
        return None if record_says_none else AllergyDisagreement.SCREENING_NONE_RECORD_SILENT
    if any(answers.get(name) is True for name in ALLERGY_ANSWERS) and not record_lists:
        if record_says_none:
            return AllergyDisagreement.SCREENING_ALLERGY_RECORD_NONE
        return AllergyDisagreement.SCREENING_ALLERGY_RECORD_SILENT
    return None
