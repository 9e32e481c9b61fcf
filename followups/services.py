"""Writes for therapy and follow-ups. Each service owns its transaction and audit record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic_portal.audit import audit
from clinic_portal.core.clock import clinic_today
from education.services import assign_starter_pack
from followups.alerts import raise_alert
from followups.models import (
    Alert,
    FollowUp,
    NeutrophilResult,
    TherapyCourse,
    Vaccination,
    interpret_anc,
)
from followups.planner import Kind, plan_monitoring
from followups.status import OPEN, Status, open_status
from followups.summary import dose_words
from patients.services import add_current_medicine
from screening.engine import vaccines
from screening.selectors import eligibility_of


class TherapyError(Exception):
    """The request cannot be carried out; the message says why in plain words."""


def _initial_status(due: dt.date, today: dt.date) -> Status:
    return open_status(
        due,
        today,
        due_window_days=settings.CLINIC_FOLLOWUP_DUE_WINDOW_DAYS,
        grace_days=settings.CLINIC_FOLLOWUP_GRACE_DAYS,
    )


def add_planned_checks(therapy: TherapyCourse, *, until: dt.date | None, today: dt.date) -> int:
    """Write the plan's checks; ones already there are left alone (unique constraint)."""
    checks = plan_monitoring(
        start=therapy.start_date,
        anc_sampled_on=therapy.screening.anc_sampled_on,
        flu_season=settings.CLINIC_FLU_SEASON_START,
        until=until,
    )
    rows = [
        FollowUp(
            therapy=therapy,
            patient_id=therapy.patient_id,
            kind=check.kind,
            label=check.label,
            due_date=check.due,
            status=_initial_status(check.due, today),
        )
        for check in checks
    ]
    before = FollowUp.objects.filter(therapy=therapy).count()
    FollowUp.objects.bulk_create(rows, ignore_conflicts=True)
    return FollowUp.objects.filter(therapy=therapy).count() - before


@transaction.atomic
def start_therapy(
    *,
    screening,
    actor,
    start_date: dt.date,
    interval: str,
    override_reason: str = "",
    dose_mg: int = 100,
) -> TherapyCourse:
    today = clinic_today()
    eligibility = eligibility_of(screening, today)
    if not eligibility.allowed:
        raise TherapyError(eligibility.reason)
    patient = screening.patient
    if patient.is_archived:
        raise TherapyError("An archived patient cannot start therapy.")
    earliest = screening.result.get("earliest_start")
    if earliest and start_date < dt.date.fromisoformat(earliest):
        raise TherapyError(f"The screening allows a start on {earliest} at the earliest.")
    recommended = screening.result["dosing"]
    if interval != recommended and not override_reason.strip():
        raise TherapyError(
            "Give a reason for changing the dosing interval the screening recommended."
        )
    try:
        with transaction.atomic():
            therapy = TherapyCourse.objects.create(
                patient=patient,
                screening=screening,
                start_date=start_date,
                dose_mg=dose_mg,
                interval=interval,
                interval_override_reason=override_reason.strip() if interval != recommended else "",
                started_by=actor,
            )
    except IntegrityError:
        raise TherapyError(
            "This patient already has an active Kineret course, or this screening was used."
        ) from None
    planned = add_planned_checks(therapy, until=None, today=today)
    assign_starter_pack(patient=patient, actor=actor)
    # The record's medicine list says so too, in the same transaction (a new record version).
    add_current_medicine(
        patient=patient,
        actor=actor,
        line=f"Kineret (anakinra) {dose_words(therapy)}",
        known_as="anakinra",
    )
    audit.record(
        "therapy.start",
        actor=actor,
        obj=therapy,
        patient=patient,
        detail={"start": start_date, "interval": interval, "checks_planned": planned},
    )
    return therapy


@transaction.atomic
def stop_therapy(
    *, therapy: TherapyCourse, actor, stopped_on: dt.date, reason: str
) -> TherapyCourse:
    current = TherapyCourse.objects.select_for_update().get(pk=therapy.pk)
    if not current.is_active:
        raise TherapyError("This course has already stopped.")
    if stopped_on < current.start_date:
        raise TherapyError("Therapy cannot stop before it started.")
    current.stopped_on, current.stop_reason, current.stopped_by = stopped_on, reason, actor
    current.save(update_fields=["stopped_on", "stop_reason", "stopped_by"])
    cancelled = FollowUp.objects.filter(
        therapy=current, status__in=OPEN, due_date__gte=stopped_on
    ).update(
        status=Status.CANCELLED,
        reason="Therapy stopped",
        closed_by=actor,
        closed_at=timezone.now(),
    )
    audit.record(
        "therapy.stop",
        actor=actor,
        obj=current,
        patient=current.patient,
        detail={"stopped_on": stopped_on, "reason": reason, "checks_cancelled": cancelled},
    )
    return current


def _close(followup: FollowUp, actor, status: Status, reason: str = "") -> None:
    FollowUp.objects.filter(pk=followup.pk, status__in=OPEN).update(
        status=status, reason=reason, closed_by=actor, closed_at=timezone.now()
    )


@transaction.atomic
def record_neutrophil_result(
    *,
    patient,
    actor,
    value: Decimal,
    sample_date: dt.date,
    lab: str,
    notes: str = "",
    followup: FollowUp | None = None,
    supersedes: NeutrophilResult | None = None,
) -> NeutrophilResult:
    therapy = (
        followup.therapy if followup else patient.therapies.filter(stopped_on__isnull=True).first()
    )
    if supersedes is not None and hasattr(supersedes, "superseded_by"):
        raise TherapyError("That result has already been corrected; correct the newest entry.")
    result = NeutrophilResult.objects.create(
        patient=patient,
        therapy=therapy,
        followup=followup or (supersedes.followup if supersedes else None),
        value=value,
        sample_date=sample_date,
        lab=lab,
        notes=notes,
        recorded_by=actor,
        supersedes=supersedes,
    )
    if followup is not None:
        _close(followup, actor, Status.COMPLETED)
    interpretation = interpret_anc(value)
    audit.record(
        "result.correct" if supersedes else "result.record",
        actor=actor,
        obj=result,
        patient=patient,
        detail={"value": str(value), "sample_date": sample_date, "interpretation": interpretation},
    )
    if interpretation != "normal":
        urgent = interpretation == "urgent"
        raise_alert(
            patient=patient,
            severity=Alert.Severity.URGENT if urgent else Alert.Severity.ATTENTION,
            cause="ANC_BELOW_1_0" if urgent else "ANC_BELOW_1_5",
            message=(
                f"Neutrophil count {value} × 10⁹/L on {sample_date:%d %b %Y}: "
                + ("below 1.0, consider holding Kineret." if urgent else "between 1.0 and 1.5.")
            ),
            source=result,
        )
    return result


def _matching_vaccination_check(patient, vaccine, given_on: dt.date) -> FollowUp | None:
    if vaccine is None or vaccine.live:
        return None
    window = dt.timedelta(days=60)
    checks = FollowUp.objects.open().filter(
        patient=patient, due_date__gte=given_on - window, due_date__lte=given_on + window
    )
    if "influenza" in vaccine.name.lower():
        match = checks.filter(kind=Kind.INFLUENZA_VACCINATION).first()
        if match:
            return match
    return checks.filter(kind=Kind.VACCINATION_REVIEW).first()


@transaction.atomic
def record_vaccination(
    *,
    patient,
    actor,
    name: str,
    given_on: dt.date,
    dose_number: int | None = None,
    where_given: str = "",
    followup: FollowUp | None = None,
) -> Vaccination:
    vaccine = vaccines.recognise(name)
    therapy = patient.therapies.filter(stopped_on__isnull=True).first()
    on_therapy = therapy is not None and given_on >= therapy.start_date
    check = followup or _matching_vaccination_check(patient, vaccine, given_on)
    vaccination = Vaccination.objects.create(
        patient=patient,
        therapy=therapy if on_therapy else None,
        followup=check,
        name=name,
        catalogue_name=vaccine.name if vaccine else "",
        live=vaccine.live if vaccine else None,
        given_on=given_on,
        dose_number=dose_number,
        where_given=where_given,
        recorded_by=actor,
    )
    if check is not None:
        _close(check, actor, Status.COMPLETED)
    audit.record(
        "vaccination.record",
        actor=actor,
        obj=vaccination,
        patient=patient,
        detail={"name": name, "live": vaccination.live, "given_on": given_on},
    )
    if vaccine is not None and vaccine.live and on_therapy:
        raise_alert(
            patient=patient,
            severity=Alert.Severity.URGENT,
            cause="LIVE_VACCINE_ON_THERAPY",
            message=f"A live vaccine ({vaccine.name}) was recorded on {given_on:%d %b %Y} during Kineret therapy.",
            source=vaccination,
        )
    elif vaccine is None:
        raise_alert(
            patient=patient,
            severity=Alert.Severity.ATTENTION,
            cause="UNRECOGNISED_VACCINE",
            message=f"Vaccine '{name}' is not in the catalogue; check whether it is live.",
            source=vaccination,
        )
    return vaccination


@transaction.atomic
def mark_not_done(*, followup: FollowUp, actor, reason: str) -> FollowUp:
    if not followup.is_open:
        raise TherapyError("This check is already closed.")
    _close(followup, actor, Status.NOT_DONE, reason)
    audit.record(
        "followup.not_done",
        actor=actor,
        obj=followup,
        patient=followup.patient,
        detail={"reason": reason},
    )
    followup.refresh_from_db()
    return followup


@transaction.atomic
def reschedule_followup(*, followup: FollowUp, actor, new_date: dt.date, reason: str) -> FollowUp:
    if not followup.is_open:
        raise TherapyError("Only an open check can be moved.")
    if (
        FollowUp.objects.filter(therapy=followup.therapy, kind=followup.kind, due_date=new_date)
        .exclude(pk=followup.pk)
        .exists()
    ):
        raise TherapyError("A check of the same kind is already due that day.")
    old = followup.due_date
    FollowUp.objects.filter(pk=followup.pk).update(
        due_date=new_date,
        rescheduled_from=old,
        reason=reason,
        status=_initial_status(new_date, clinic_today()),
    )
    audit.record(
        "followup.reschedule",
        actor=actor,
        obj=followup,
        patient=followup.patient,
        detail={"from": old, "to": new_date, "reason": reason},
    )
    followup.refresh_from_db()
    return followup
