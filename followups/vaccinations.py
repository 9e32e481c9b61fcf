"""Recording vaccinations: which check a vaccine completes (only one in its scope) and the alert
for a live vaccine near or during a course (docs/clinical-rules.md, "Vaccinations"). The rules
themselves are pure, in followups.rules."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clinic_portal.audit import audit
from followups.checks import close_check, require_open
from followups.courses import TherapyError, check_date, hold_course, raise_spec
from followups.models import FollowUp, TherapyCourse, Vaccination
from followups.planner import Kind
from followups.rules import (
    VACCINATION_KINDS,
    AlertSpec,
    Severity,
    completes_check,
    live_vaccine_in_course_window,
)
from followups.status import Status
from screening.engine import vaccines

# A vaccination review is matched to a vaccine given this close to its date.
REVIEW_MATCH_WINDOW = dt.timedelta(days=60)


def _course_containing(patient, day: dt.date) -> TherapyCourse | None:
    for course in patient.therapies.filter(cancelled_at__isnull=True):
        if course.start_date <= day and (course.stopped_on is None or day <= course.stopped_on):
            return course
    return None


def _matching_check(patient, vaccine, given_on: dt.date) -> FollowUp | None:
    flu_from = settings.CLINIC_FLU_VACCINE_FROM
    candidates = FollowUp.objects.open().filter(patient=patient, kind__in=VACCINATION_KINDS)
    for check in candidates.order_by("-kind", "due_date"):  # flu checks before the review
        if check.kind == Kind.VACCINATION_REVIEW and abs(check.due_date - given_on) > (
            REVIEW_MATCH_WINDOW
        ):
            continue
        if completes_check(
            kind=check.kind,
            check_due=check.due_date,
            vaccine=vaccine,
            given_on=given_on,
            flu_from=flu_from,
        ):
            return check
    return None


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
    today: dt.date,
) -> Vaccination:
    """Record a vaccination. It completes a vaccination check only when in that check's scope
    (followups.rules.completes_check); a live vaccine near or during a course raises an urgent
    alert whenever it is recorded, and puts a planned course on hold."""
    check_date(given_on, field="given_on", label=_("Date given"), patient=patient, today=today)
    vaccine = vaccines.recognise(name)
    if followup is not None:
        if followup.patient_id != patient.pk or followup.kind not in VACCINATION_KINDS:
            raise TherapyError(
                _(
                    "A vaccination is recorded only against a vaccination or flu check; "
                    "nothing was saved."
                )
            )
        require_open(followup)
        completes = completes_check(
            kind=followup.kind,
            check_due=followup.due_date,
            vaccine=vaccine,
            given_on=given_on,
            flu_from=settings.CLINIC_FLU_VACCINE_FROM,
        )
        check = followup if completes else None
    else:
        check = _matching_check(patient, vaccine, given_on)
    vaccination = Vaccination.objects.create(
        patient=patient,
        therapy=_course_containing(patient, given_on),
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
        close_check(check, actor, Status.COMPLETED)
    audit.record(
        "vaccination.record",
        actor=actor,
        obj=vaccination,
        patient=patient,
        detail={"name": name, "live": vaccination.live, "given_on": given_on},
    )
    if vaccine is None:
        raise_spec(
            patient=patient,
            spec=AlertSpec(
                Severity.ATTENTION,
                "UNRECOGNISED_VACCINE",
                f"Vaccine '{name}' is not in the catalogue; check whether it is live.",
            ),
            source=vaccination,
        )
    elif vaccine.live:
        _alert_live_vaccine(patient, vaccine, vaccination, today=today)
    return vaccination


def _alert_live_vaccine(patient, vaccine, vaccination: Vaccination, *, today: dt.date) -> None:
    for course in patient.therapies.filter(cancelled_at__isnull=True):
        if not live_vaccine_in_course_window(
            given_on=vaccination.given_on, start=course.start_date, stopped_on=course.stopped_on
        ):
            continue
        when = "before the start" if vaccination.given_on < course.start_date else "during"
        raise_spec(
            patient=patient,
            spec=AlertSpec(
                Severity.URGENT,
                "LIVE_VACCINE_ON_THERAPY",
                f"A live vaccine ({vaccine.name}) given on {vaccination.given_on:%d %b %Y}, "
                f"{when} the Kineret course from {course.start_date:%d %b %Y}.",
            ),
            source=vaccination,
        )
        if course.is_ongoing and course.not_started_on(today):
            hold_course(
                course=course,
                why=f"a live vaccine ({vaccine.name}) on {vaccination.given_on:%d %b %Y}.",
                source=vaccination,
            )
        return
