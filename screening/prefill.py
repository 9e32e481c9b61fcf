"""What the patient record already tells a new screening. Only positive findings are carried
over: a record that does not mention asthma is not an answer "no asthma"."""

from __future__ import annotations

from typing import Any

from screening.engine.text_match import contains_phrase, words

ALLERGY_HINTS = {
    "anakinra_allergy": (("anakinra",), ("kineret",)),
    "ecoli_protein_allergy": (("e", "coli"), ("ecoli",)),
    "latex_allergy": (("latex",), ("rubber",)),
}
CONDITION_HINTS = {
    "asthma": (("asthma",),),
    "kidney_disease": (("kidney",), ("renal",), ("ckd",)),
}


def _mentions(texts: list[str], phrases) -> bool:
    return any(contains_phrase(words(text), phrase) for text in texts for phrase in phrases)


def prefill_answers(patient) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex,
    }
    if patient.medication_lines:
        answers["medications"] = patient.medication_lines
    substances = [allergy.substance for allergy in patient.allergies.all()]
    for field, phrases in ALLERGY_HINTS.items():
        if _mentions(substances, phrases):
            answers[field] = True
    for field, phrases in CONDITION_HINTS.items():
        if _mentions(patient.condition_lines, phrases):
            answers[field] = True
    return answers
