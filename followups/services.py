"""Writes for results, vaccinations and checks; the course's own life is in followups.courses
(re-exported here, so callers have one place to import from). Each service owns its
transaction and audit record; the rules they apply are in the pure followups.rules.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from clinic_portal.audit import audit
from clinic_portal.core.clinical_dates import ImplausibleDate
from followups.checks import close_check, require_open
from followups.courses import (
    DateRefused,
    TherapyError,
    add_planned_checks,
    cancel_course,
    check_date,
    confirm_start,
    hold_course,
    postpone_course,
    raise_spec,
    start_therapy,
    stop_therapy,
)
from followups.models import FollowUp, NeutrophilResult, TherapyCourse, status_for
from followups.planner import Kind
from followups.rules import (
    AlertSpec,
    Severity,
    anc_alert,
    fever_with_low_neutrophils,
    moved_beyond_window,
    unsafe_before_start_result,
)
from followups.status import Status
from followups.vaccinations import record_vaccination

__all__ = [
    "DateRefused",
    "TherapyError",
    "add_extra_check",
    "add_planned_checks",
    "cancel_course",
    "confirm_start",
    "mark_not_done",
    "postpone_course",
    "record_result",
    "record_vaccination",
    "reschedule_followup",
    "review_patient_report",
    "start_therapy",
    "stop_therapy",
]


@transaction.atomic
def record_result(
    *,
    patient,
    actor,
    value: Decimal,
    sample_date: dt.date,
    lab: str,
    notes: str = "",
    followup: FollowUp | None = None,
    supersedes: NeutrophilResult | None = None,
    today: dt.date,
) -> NeutrophilResult:
    """Record a neutrophil count (or correct one): the one way a result enters the portal.

    Closes ``followup`` (which must be an open neutrophil check of this patient), raises the
    monitoring alert, and puts a planned course on hold when the count is below 1.5.
    """
    check_date(
        sample_date, field="sample_date", label=_("Sample date"), patient=patient, today=today
    )
    if followup is not None:
        if followup.patient_id != patient.pk or followup.kind != Kind.NEUTROPHIL_COUNT:
            raise TherapyError(
                _("A result is recorded only against a neutrophil check; nothing was saved.")
            )
        require_open(followup)
    if supersedes is not None and hasattr(supersedes, "superseded_by"):
        raise TherapyError(_("That result has already been corrected; correct the newest entry."))
    therapy = (
        followup.therapy
        if followup
        else TherapyCourse.objects.ongoing().filter(patient=patient).first()
    )
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
        close_check(followup, actor, Status.COMPLETED)
    audit.record(
        "result.correct" if supersedes else "result.record",
        actor=actor,
        obj=result,
        patient=patient,
        detail={
            "value": str(value),
            "sample_date": sample_date,
            "interpretation": result.interpretation.value,
        },
    )
    spec = anc_alert(value, sample_date)
    if spec is not None:
        raise_spec(patient=patient, spec=spec, source=result)
    if (
        therapy is not None
        and therapy.is_ongoing
        and therapy.not_started_on(today)
        and unsafe_before_start_result(value)
    ):
        hold_course(
            course=therapy,
            why=f"a neutrophil count of {value} × 10⁹/L on {sample_date:%d %b %Y}.",
            source=result,
        )
    return result


def _alert_check_change(followup: FollowUp, actor, what: str, occurrence: str) -> None:
    raise_spec(
        patient=followup.patient,
        spec=AlertSpec(
            Severity.ATTENTION,
            "NEUTROPHIL_CHECK_CHANGED",
            f"{followup.label} (due {followup.due_date:%d %b %Y}) {what} by "
            f"{actor.full_name}: {followup.reason}"[:300],
        ),
        source=followup,
        occurrence=occurrence,
    )


@transaction.atomic
def mark_not_done(*, followup: FollowUp, actor, reason: str) -> FollowUp:
    """A blood test marked not done needs a reason and tells the rheumatologist."""
    if not followup.is_open:
        raise TherapyError(_("This check is already closed."))
    if not reason.strip():
        raise TherapyError(_("Say why the check was not done."))
    close_check(followup, actor, Status.NOT_DONE, reason.strip())
    audit.record(
        "followup.not_done",
        actor=actor,
        obj=followup,
        patient=followup.patient,
        detail={"reason": reason},
    )
    followup.refresh_from_db()
    if followup.is_blood_test:
        _alert_check_change(followup, actor, "was marked not done", "not_done")
    return followup


@transaction.atomic
def reschedule_followup(
    *, followup: FollowUp, actor, new_date: dt.date, reason: str, today: dt.date
) -> FollowUp:
    """Move an open check. A neutrophil check moved further than its due window tells the
    rheumatologist."""
    if not followup.is_open:
        raise TherapyError(_("Only an open check can be moved."))
    if not reason.strip():
        raise TherapyError(_("Say why the check is moved."))
    check_date(
        new_date,
        field="new_date",
        label=_("New due date"),
        patient=followup.patient,
        past_event=False,
        today=today,
    )
    if (
        FollowUp.objects.filter(therapy=followup.therapy, kind=followup.kind, due_date=new_date)
        .exclude(pk=followup.pk)
        .exists()
    ):
        raise TherapyError(_("A check of the same kind is already due that day."))
    old = followup.due_date
    FollowUp.objects.filter(pk=followup.pk).update(
        due_date=new_date,
        # The day it was first planned for, however often it moves: the daily job plans from
        # that day and must not put the check back there.
        rescheduled_from=followup.rescheduled_from or old,
        reason=reason.strip(),
        status=status_for(new_date, today),
    )
    audit.record(
        "followup.reschedule",
        actor=actor,
        obj=followup,
        patient=followup.patient,
        detail={"from": old, "to": new_date, "reason": reason},
    )
    followup.refresh_from_db()
    if followup.is_blood_test and moved_beyond_window(
        old, new_date, settings.CLINIC_FOLLOWUP_DUE_WINDOW_DAYS
    ):
        _alert_check_change(
            followup, actor, f"was moved from {old:%d %b %Y}", f"moved:{new_date.isoformat()}"
        )
    return followup


@transaction.atomic
def add_extra_check(
    *, therapy: TherapyCourse, actor, due_date: dt.date, reason: str, today: dt.date
) -> FollowUp:
    """An unscheduled neutrophil check, e.g. a repeat after a low count."""
    if not therapy.is_ongoing:
        raise TherapyError(_("Extra checks are added to a planned or active course only."))
    if not reason.strip():
        raise TherapyError(_("Say why the extra check is needed."))
    check_date(
        due_date,
        field="due_date",
        label=_("Due date"),
        patient=therapy.patient,
        past_event=False,
        today=today,
    )
    if due_date < today:
        raise DateRefused(ImplausibleDate("due_date", _("Due date: choose today or a later day.")))
    if FollowUp.objects.filter(
        therapy=therapy, kind=Kind.NEUTROPHIL_COUNT, due_date=due_date
    ).exists():
        raise TherapyError(_("A neutrophil check is already due that day."))
    followup = FollowUp.objects.create(
        therapy=therapy,
        patient_id=therapy.patient_id,
        kind=Kind.NEUTROPHIL_COUNT,
        label=_("Extra neutrophil count"),
        due_date=due_date,
        reason=reason.strip(),
        status=status_for(due_date, today),
    )
    audit.record(
        "followup.add_extra",
        actor=actor,
        obj=followup,
        patient=therapy.patient,
        detail={"due_date": due_date, "reason": reason.strip()},
    )
    return followup


def latest_count(patient) -> tuple[Decimal, dt.date] | None:
    result = (
        NeutrophilResult.objects.filter(patient=patient, superseded_by__isnull=True)
        .order_by("-sample_date", "-recorded_at")
        .first()
    )
    return (result.value, result.sample_date) if result else None


def review_patient_report(*, concern, with_fever: bool = False, today: dt.date) -> None:
    """Called by the concern-reporting service inside its transaction. An urgent report, or a
    planned live vaccine, puts a planned course on hold; a fever or infection (or a report
    ``with_fever``) with a recent low count is urgent (CLINIC)."""
    patient = concern.patient
    course = TherapyCourse.objects.ongoing().filter(patient=patient).first()
    if course is not None and course.not_started_on(today):
        if concern.urgent:
            hold_course(
                course=course,
                why=f"the patient reported {concern.get_category_display().lower()}.",
                source=concern,
            )
        elif concern.vaccine_live:
            hold_course(course=course, why="the patient plans a live vaccine.", source=concern)
    spec = fever_with_low_neutrophils(
        category=concern.category,
        latest_count=latest_count(patient),
        today=today,
        with_fever=with_fever,
    )
    if spec is not None:
        raise_spec(patient=patient, spec=spec, source=concern)
