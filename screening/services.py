"""Writes to screenings. Each service owns its transaction and audit event.

A draft's result is recomputed whenever its answers change (and its acknowledgements dropped,
since they were notes on a result that no longer stands). Signing re-evaluates the stored
answers once more and refuses if the result moved, so what is signed is what was reviewed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from clinic_portal.audit import audit
from clinic_portal.core.clinical_dates import ImplausibleDate, check_clinical_date
from patients.models import Patient
from patients.services import StaleEditError, set_current_medicines
from screening.engine import (
    InvalidFacts,
    Outcome,
    Policy,
    ScreeningResult,
    asked_answers,
    evaluate,
    facts_from_dict,
)
from screening.engine.medications import medicines_matching
from screening.events import screening_signed
from screening.models import FrozenScreeningError, ReviewAcknowledgement, Screening
from screening.selectors import latest_current, medicines_note

__all__ = [
    "FrozenScreeningError",
    "ImplausibleDate",
    "MedicinesUpdateRefused",
    "SigningError",
    "StaleEditError",
    "acknowledge_review_item",
    "amend_screening",
    "save_screening_answers",
    "sign_screening",
    "start_screening",
    "update_record_medicines",
]


class ScreeningRefused(Exception):
    pass


def screening_refusal(patient) -> str | None:
    """Why ``patient`` cannot be screened now, or ``None``: the one home of that rule."""
    if patient.is_archived:
        return gettext("An archived patient cannot be screened; restore them first.")
    return None


class SigningError(Exception):
    """The screening cannot be signed as it stands; the message says why, in plain words."""


def _result_for(answers: dict[str, Any], policy: str) -> ScreeningResult:
    return evaluate(facts_from_dict(answers), Policy(policy))


def _lock(screening: Screening) -> Screening:
    current = Screening.objects.select_for_update().get(pk=screening.pk)
    if current.is_signed:
        raise FrozenScreeningError(
            gettext("A signed screening is never changed; amend it instead.")
        )
    return current


PAST_DATE_ANSWERS = ("ltbi_treatment_start", "tnf_blocker_last_dose")


def _check_answer_dates(answers: dict[str, Any], anc_sampled_on, today: dt.date) -> None:
    """The shared clinical-date check on the answers, whoever calls: nothing before 1900 or
    before birth, and no count or vaccine already given dated after ``today``."""
    try:
        facts = facts_from_dict(answers)
    except InvalidFacts:
        return  # a draft with unparseable answers is refused by the engine when evaluated
    born = facts.date_of_birth
    checks: list[tuple[str, dt.date | None, dt.date | None, bool]] = [
        ("date_of_birth", facts.date_of_birth, None, True)
    ]
    checks += [(name, getattr(facts, name), born, False) for name in PAST_DATE_ANSWERS]
    checks += [("recent_vaccines", v.date, born, True) for v in facts.recent_vaccines]
    checks += [("anc_sampled_on", anc_sampled_on, born, True)]
    for field, day, field_born, past_event in checks:
        if day is not None:
            check_clinical_date(
                day,
                field=field,
                label=field.replace("_", " ").capitalize(),
                born=field_born,
                today=today,
                past_event=past_event,
            )


def _apply_answers(
    screening: Screening,
    answers: dict[str, Any],
    evaluate_now: bool,
    anc_sampled_on,
    today: dt.date,
) -> None:
    answers = asked_answers(answers)  # a hidden follow-up's answer is never stored
    _check_answer_dates(answers, anc_sampled_on, today)
    screening.answers = answers
    screening.anc_sampled_on = anc_sampled_on
    screening.updated_at = timezone.now()
    if evaluate_now:
        result = _result_for(answers, screening.policy)
        screening.result = result.as_dict()
        screening.outcome = result.outcome
        screening.rule_set = result.rule_set
        screening.evaluated_at = screening.updated_at
    else:
        screening.result, screening.outcome, screening.rule_set = None, "", ""
        screening.evaluated_at = None


@transaction.atomic
def start_screening(
    *,
    patient,
    actor,
    answers: dict[str, Any],
    evaluate_now: bool,
    today: dt.date,
    anc_sampled_on=None,
    supersedes=None,
) -> Screening:
    """A new screening of ``patient``; its dates are checked against the clinic's ``today``."""
    refusal = screening_refusal(patient)
    if refusal:
        raise ScreeningRefused(refusal)
    screening = Screening(
        patient=patient,
        created_by=actor,
        policy=settings.CLINIC_SCREENING_POLICY,
        supersedes=supersedes,
    )
    _apply_answers(screening, answers, evaluate_now, anc_sampled_on, today)
    screening.save()
    audit.record(
        "screening.start",
        actor=actor,
        obj=screening,
        patient=patient,
        detail={"outcome": screening.outcome, "policy": screening.policy},
    )
    return screening


@transaction.atomic
def save_screening_answers(
    *,
    screening: Screening,
    actor,
    answers: dict[str, Any],
    evaluate_now: bool,
    today: dt.date,
    anc_sampled_on=None,
) -> Screening:
    """A draft's answers saved (and evaluated when asked); dates are checked against ``today``."""
    current = _lock(screening)
    changed = current.answers != asked_answers(answers)
    _apply_answers(current, answers, evaluate_now, anc_sampled_on, today)
    current.save()
    if changed:
        current.acknowledgements.all().delete()
    audit.record(
        "screening.evaluate" if evaluate_now else "screening.save_draft",
        actor=actor,
        obj=current,
        patient=current.patient,
        detail={"outcome": current.outcome, "rule_set": current.rule_set},
    )
    return current


@transaction.atomic
def acknowledge_review_item(
    *, screening: Screening, clinician, code: str, note: str
) -> ReviewAcknowledgement:
    current = _lock(screening)
    evaluation = current.evaluation
    if evaluation is None or code not in evaluation.review_items:
        raise SigningError(
            gettext("%(code)s is not a review item of this screening.") % {"code": code}
        )
    if not note.strip():
        raise SigningError(gettext("Write a short note on how you weighed this item."))
    acknowledgement, created = ReviewAcknowledgement.objects.get_or_create(
        screening=current,
        code=code,
        defaults={"note": note.strip(), "acknowledged_by": clinician},
    )
    if created:
        audit.record(
            "screening.acknowledge",
            actor=clinician,
            obj=current,
            patient=current.patient,
            detail={"code": code, "note": note.strip()},
        )
    return acknowledgement


@transaction.atomic
def sign_screening(
    *, screening: Screening, clinician, not_started_reason: str = "", today: dt.date
) -> Screening:
    current = _lock(screening)
    evaluation = current.evaluation
    if evaluation is None:
        raise SigningError(gettext("Evaluate the screening before signing it."))
    fresh = _result_for(current.answers, current.policy)
    if fresh != evaluation:
        raise SigningError(
            gettext(
                "The rules have changed since this screening was evaluated. "
                "Evaluate it again and review the new result."
            )
        )
    outcome = Outcome(current.outcome)
    if outcome == Outcome.INCOMPLETE:
        raise SigningError(
            gettext("An incomplete screening cannot be signed. Answer the missing items.")
        )
    if outcome == Outcome.CONTRAINDICATED:
        if not not_started_reason.strip():
            raise SigningError(
                gettext("A contraindicated screening is signed as 'not started', with a reason.")
            )
        current.decision = Screening.Decision.NOT_STARTED
        current.not_started_reason = not_started_reason.strip()
    else:
        acknowledged = set(current.acknowledgements.values_list("code", flat=True))
        waiting = [code for code in evaluation.review_items if code not in acknowledged]
        if waiting:
            raise SigningError(
                gettext("Acknowledge every review item before signing: %(items)s.")
                % {"items": ", ".join(waiting)}
            )
        current.decision = Screening.Decision.ELIGIBLE
    current.signed_by = clinician
    current.signed_at = timezone.now()
    # Written by an UPDATE of the still-unsigned row; afterwards nothing may change it.
    Screening.objects.filter(pk=current.pk, signed_at__isnull=True).update(
        signed_by=clinician,
        signed_at=current.signed_at,
        decision=current.decision,
        not_started_reason=current.not_started_reason,
    )
    audit.record(
        "screening.sign",
        actor=clinician,
        obj=current,
        patient=current.patient,
        detail={
            "outcome": current.outcome,
            "decision": current.decision,
            "rule_set": current.rule_set,
            "supersedes": str(current.supersedes.uuid) if current.supersedes else None,
        },
    )
    screening_signed.send(sender=Screening, screening=current, today=today)
    return current


@transaction.atomic
def amend_screening(*, screening: Screening, actor, today: dt.date) -> Screening:
    """Start a new draft from a signed screening's answers; signing it supersedes the old one."""
    if not screening.is_signed:
        raise SigningError(gettext("Only a signed screening is amended; edit the draft instead."))
    existing = Screening.objects.filter(supersedes=screening).first()
    if existing is not None:
        return existing
    return start_screening(
        patient=screening.patient,
        actor=actor,
        answers=dict(screening.answers),
        evaluate_now=False,
        anc_sampled_on=screening.anc_sampled_on,
        supersedes=screening,
        today=today,
    )


class MedicinesUpdateRefused(Exception):
    """The record's medicines cannot be updated from this screening; the message says why."""


@transaction.atomic
def update_record_medicines(*, screening: Screening, actor, expected_version: int) -> bool:
    """Make the record's current medicines what the patient's latest signed screening lists
    (its Kineret line kept: the course owns it). The record version shown with the offer must
    still be current (``StaleEditError`` otherwise), so nobody overwrites an edit unseen.
    Returns whether the record changed; both the record's version and this are audited."""
    latest = latest_current(screening.patient)
    if latest is None or latest.pk != screening.pk:
        raise MedicinesUpdateRefused(
            _("Only the patient's latest signed screening can update the record's medicines.")
        )
    patient = Patient.objects.select_for_update().get(pk=screening.patient_id)
    if patient.version != expected_version:
        raise StaleEditError(patient.version)
    note = medicines_note(patient, latest=latest)
    if note is None:
        return False
    set_current_medicines(
        patient=patient,
        actor=actor,
        lines=medicines_matching(latest.answers["medications"], patient.medication_lines),
        expected_version=expected_version,
    )
    audit.record(
        "screening.update_record_medicines",
        actor=actor,
        obj=latest,
        patient=patient,
        detail={"stopped": list(note.difference.stopped), "added": list(note.difference.added)},
    )
    return True
