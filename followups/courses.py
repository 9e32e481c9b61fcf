"""A Kineret course's life: start (through the gate), postpone, cancel, hold, confirm, stop.

Every start date passes the one start gate (screening.engine.gate). A course whose start is in
the future is *planned*; something unsafe arriving before the start puts it *on hold* with an
urgent alert, and the rheumatologist confirms or postpones it. Checks follow the course: they
move with a postponement and are cancelled with a cancellation or after the last day of
treatment (docs/clinical-rules.md, "The course").
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clinic_portal.audit import audit
from clinic_portal.core.clinical_dates import ImplausibleDate, check_clinical_date
from followups.alerts import raise_alert
from followups.events import course_started
from followups.models import Alert, FollowUp, TherapyCourse, status_for
from followups.planner import plan_monitoring
from followups.rules import AlertSpec, CourseState, Severity
from followups.status import OPEN, Status
from followups.summary import dose_words
from patients.services import add_current_medicine
from screening.selectors import start_gate


class TherapyError(Exception):
    """The request cannot be carried out; the message says why in plain words."""


class DateRefused(TherapyError):
    """A clinical date that cannot be right; ``field`` names the form field."""

    def __init__(self, error: ImplausibleDate):
        super().__init__(error.message)
        self.field = error.field


def check_date(
    day: dt.date,
    *,
    field: str,
    label: str | Promise,
    patient,
    past_event: bool = True,
    today: dt.date,
) -> None:
    """The shared clinical-date check (clinic_portal.core.clinical_dates) for this patient."""
    try:
        check_clinical_date(
            day,
            field=field,
            label=label,
            born=patient.date_of_birth,
            today=today,
            past_event=past_event,
        )
    except ImplausibleDate as error:
        raise DateRefused(error) from None


def add_planned_checks(therapy: TherapyCourse, *, until: dt.date | None, today: dt.date) -> int:
    """Write the plan's checks; ones already there are left alone (unique constraint)."""
    checks = plan_monitoring(
        start=therapy.start_date,
        anc_sampled_on=therapy.screening.anc_sampled_on,
        flu_season=settings.CLINIC_FLU_SEASON_START,
        until=until,
        review_weeks=settings.CLINIC_RESPONSE_REVIEW_WEEKS,
        review_every_months=settings.CLINIC_RESPONSE_REVIEW_EVERY_MONTHS,
    )
    rows = [
        FollowUp(
            therapy=therapy,
            patient_id=therapy.patient_id,
            kind=check.kind,
            label=check.label,
            due_date=check.due,
            status=status_for(check.due, today),
        )
        for check in checks
    ]
    before = FollowUp.objects.filter(therapy=therapy).count()
    FollowUp.objects.bulk_create(rows, ignore_conflicts=True)
    return FollowUp.objects.filter(therapy=therapy).count() - before


def _require_gate(screening, start: dt.date, today: dt.date) -> None:
    decision = start_gate(screening, start=start, today=today)
    if not decision.allowed:
        raise TherapyError(decision.message)


def _lock(course: TherapyCourse) -> TherapyCourse:
    return TherapyCourse.objects.select_for_update().select_related("patient").get(pk=course.pk)


@transaction.atomic
def start_therapy(
    *,
    screening,
    actor,
    start_date: dt.date,
    interval: str,
    override_reason: str = "",
    dose_mg: int = 100,
    today: dt.date,
) -> TherapyCourse:
    """Plan (or, for today, begin) a course from a signed screening, through the start gate."""
    patient = screening.patient
    if patient.is_archived:
        raise TherapyError(_("An archived patient cannot start therapy."))
    _require_gate(screening, start_date, today)
    evaluation = screening.evaluation
    if evaluation is None:
        raise TherapyError(_("Only an evaluated, signed screening can start a course."))
    recommended = evaluation.dosing
    if interval != recommended and not override_reason.strip():
        raise TherapyError(
            _("Give a reason for changing the dosing interval the screening recommended.")
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
            _(
                "This patient already has a planned or active Kineret course, "
                "or this screening was used."
            )
        ) from None
    planned = add_planned_checks(therapy, until=None, today=today)
    course_started.send(sender=TherapyCourse, therapy=therapy, actor=actor)
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


def _require_not_started(course: TherapyCourse, today: dt.date, refusal: str | Promise) -> None:
    if not course.not_started_on(today):
        raise TherapyError(refusal)


@transaction.atomic
def postpone_course(
    *, course: TherapyCourse, actor, new_start: dt.date, reason: str, today: dt.date
) -> TherapyCourse:
    """Move a planned (or held) course to a new start, through the gate for the new day. The
    plan's open checks are re-drawn from the new start; a hold is lifted."""
    current = _lock(course)
    _require_not_started(
        current, today, _("Only a course that has not started yet can be postponed.")
    )
    if not reason.strip():
        raise TherapyError(_("Say why the start is postponed."))
    _require_gate(current.screening, new_start, today)
    old = current.start_date
    # Nothing has happened to a not-started course's open checks: they are re-drawn.
    FollowUp.objects.filter(therapy=current, status__in=OPEN).delete()
    current.start_date, current.held_at, current.hold_reason = new_start, None, ""
    current.save(update_fields=["start_date", "held_at", "hold_reason"])
    planned = add_planned_checks(current, until=None, today=today)
    audit.record(
        "therapy.postpone",
        actor=actor,
        obj=current,
        patient=current.patient,
        detail={"from": old, "to": new_start, "reason": reason.strip(), "checks": planned},
    )
    return current


@transaction.atomic
def cancel_course(*, course: TherapyCourse, actor, reason: str, today: dt.date) -> TherapyCourse:
    """A planned course that will not begin: cancelled with its checks, never deleted."""
    current = _lock(course)
    _require_not_started(
        current, today, _("Only a course that has not started yet can be cancelled.")
    )
    if not reason.strip():
        raise TherapyError(_("Say why the course is cancelled."))
    now = timezone.now()
    current.cancelled_at, current.cancelled_by = now, actor
    current.cancel_reason = reason.strip()
    current.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    cancelled = FollowUp.objects.filter(therapy=current, status__in=OPEN).update(
        status=Status.CANCELLED, reason="Course cancelled", closed_by=actor, closed_at=now
    )
    audit.record(
        "therapy.cancel",
        actor=actor,
        obj=current,
        patient=current.patient,
        detail={"reason": reason.strip(), "checks_cancelled": cancelled},
    )
    return current


def hold_course(*, course: TherapyCourse, why: str, source) -> Alert:
    """Put a planned course on hold and alert its rheumatologist. Call inside a transaction."""
    updated = TherapyCourse.objects.filter(pk=course.pk, held_at__isnull=True).update(
        held_at=timezone.now(), hold_reason=why[:300]
    )
    if updated:
        audit.record(
            "therapy.hold", actor=None, obj=course, patient=course.patient, detail={"why": why}
        )
    return raise_alert(
        patient=course.patient,
        severity=Alert.Severity.URGENT,
        cause="START_ON_HOLD",
        message=(
            f"Kineret planned to start on {course.start_date:%d %b %Y} is on hold: {why} "
            "Confirm the start or postpone it."
        )[:300],
        source=source,
    )


@transaction.atomic
def confirm_start(*, course: TherapyCourse, actor, note: str, today: dt.date) -> TherapyCourse:
    """The rheumatologist has weighed what put the course on hold and keeps the start date,
    which must still pass the gate."""
    current = _lock(course)
    if current.state_on(today) != CourseState.ON_HOLD:
        raise TherapyError(_("This course is not on hold."))
    if not note.strip():
        raise TherapyError(_("Write a short note on why the start can go ahead."))
    _require_gate(current.screening, current.start_date, today)
    held_for = current.hold_reason
    current.held_at, current.hold_reason = None, ""
    current.save(update_fields=["held_at", "hold_reason"])
    audit.record(
        "therapy.confirm",
        actor=actor,
        obj=current,
        patient=current.patient,
        detail={"note": note.strip(), "was_held_for": held_for},
    )
    return current


@transaction.atomic
def stop_therapy(
    *, therapy: TherapyCourse, actor, stopped_on: dt.date, reason: str, today: dt.date
) -> TherapyCourse:
    """``stopped_on`` is the last day of treatment: a check due that day stays open, checks
    after it are cancelled, completed ones stay in the record."""
    current = _lock(therapy)
    if not current.is_ongoing:
        raise TherapyError(_("This course has already stopped."))
    if current.not_started_on(today):
        raise TherapyError(_("This course has not started yet: postpone or cancel it instead."))
    if stopped_on < current.start_date:
        raise TherapyError(_("Therapy cannot stop before it started."))
    check_date(
        stopped_on,
        field="stopped_on",
        label=_("Last day of treatment"),
        patient=current.patient,
        today=today,
    )
    current.stopped_on, current.stop_reason, current.stopped_by = stopped_on, reason, actor
    current.save(update_fields=["stopped_on", "stop_reason", "stopped_by"])
    cancelled = FollowUp.objects.filter(
        therapy=current, status__in=OPEN, due_date__gt=stopped_on
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


def raise_spec(*, patient, spec: AlertSpec, source, occurrence: str = "") -> Alert:
    """Raise the alert a pure rule classified (followups.rules)."""
    return raise_alert(
        patient=patient,
        severity=Alert.Severity(spec.severity.value),
        cause=spec.cause,
        message=spec.message[:300],
        source=source,
        occurrence=occurrence,
    )


def review_course_after_screening(*, screening, today: dt.date) -> None:
    """A signed contraindicated screening (new or an amendment) for a patient with a course:
    a planned course goes on hold; an active one raises an urgent alert to review stopping."""
    if screening.outcome != "contraindicated":
        return
    course = TherapyCourse.objects.ongoing().filter(patient_id=screening.patient_id).first()
    if course is None:
        return
    codes = ", ".join(screening.evaluation.contraindications if screening.evaluation else ())
    if course.not_started_on(today):
        hold_course(
            course=course,
            why=f"the latest screening is contraindicated ({codes}).",
            source=screening,
        )
        return
    raise_spec(
        patient=course.patient,
        spec=AlertSpec(
            Severity.URGENT,
            "CONTRAINDICATED_ON_THERAPY",
            f"The latest screening says contraindicated ({codes}); review whether to stop Kineret.",
        ),
        source=screening,
    )
