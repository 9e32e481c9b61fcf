"""Patient concerns and their triage. Urgent categories (fever, infection, rash) notify the care
team at once; nothing a patient sends is ever changed or lost."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clinic_portal.accounts.language import language_for
from clinic_portal.audit import audit
from clinic_portal.core.clinical_dates import ImplausibleDate, date_problem
from clinic_portal.notifications.services import EmailSpec, queue_emails
from followups.alerts import raise_alert
from followups.models import Alert
from followups.services import review_patient_report
from portal.models import Concern, ConcernMessage
from portal.urgency import is_urgent, pregnancy_holds_treatment, reports_fever
from screening.engine import vaccines

# The details that are dates: of something that has happened (a symptom since, a medicine
# started) or of something still to come (a planned vaccination). The form asks for them and
# report_concern checks them again, so no doorway stores an implausible date.
PAST_DATE_DETAILS = frozenset({"since", "started"})
FUTURE_DATE_DETAILS = frozenset({"date"})


class RateLimited(Exception):
    pass


class TriageError(Exception):
    pass


def _notify_team(concern: Concern) -> None:
    patient = concern.patient
    recipients = [
        u for u in (patient.responsible_clinician, patient.primary_nurse) if u and u.email
    ]
    link = f"{settings.SITE_URL}{reverse('portal:triage_detail', args=[concern.uuid])}"
    queue_emails([_urgent_report_email(concern, user, link) for user in recipients])


def _urgent_report_email(concern: Concern, user, link: str) -> EmailSpec:
    # Each member of the team reads it in their own language.
    with translation.override(language_for(user.language)):
        subject = _("An urgent patient report is waiting in the clinic portal")
        body = _(
            "A patient has reported something that needs a look today.\n\nOpen it here:\n%(link)s\n"
        ) % {"link": link}
    return EmailSpec(
        dedupe_key=f"concern:{concern.uuid}:{user.pk}",
        purpose="concern",
        to_email=user.email,
        subject=subject,
        body=body,
        patient_uuid=concern.patient.uuid,
    )


def _check_dates(details: dict, *, born: dt.date | None, today: dt.date) -> None:
    """Raise ``ImplausibleDate`` naming the detail when one of its dates cannot be right
    (clinic_portal.core.clinical_dates), as the form says it."""
    for name in (PAST_DATE_DETAILS | FUTURE_DATE_DETAILS) & details.keys():
        value = details[name]
        try:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except ValueError:
            raise ImplausibleDate(name, _("Enter a valid date.")) from None
        past_event = name in PAST_DATE_DETAILS
        problem = date_problem(day, born=born, today=today, past_event=past_event)
        if problem is None and not past_event and day < today:
            problem = _("This date is in the past; tell us about things still to come.")
        if problem:
            raise ImplausibleDate(name, problem)


@transaction.atomic
def report_concern(
    *, patient, author, category: str, details: dict, message: str, today: dt.date
) -> Concern:
    _check_dates(details, born=patient.date_of_birth, today=today)
    # One report at a time per patient: the count and the insert happen under the patient row's
    # lock, so reports sent at once cannot all pass the limit.
    type(patient).objects.select_for_update().get(pk=patient.pk)
    since = timezone.now() - dt.timedelta(hours=1)
    if (
        Concern.objects.filter(patient=patient, created_at__gte=since).count()
        >= settings.CLINIC_CONCERNS_PER_HOUR
    ):
        raise RateLimited
    vaccine_live = None
    if category == Concern.Category.VACCINATION:
        vaccine = vaccines.recognise(details.get("vaccine", ""))
        vaccine_live = vaccine.live if vaccine else None
    concern = Concern.objects.create(
        patient=patient,
        category=category,
        details=details,
        urgent=is_urgent(category, details, fever_c=settings.CLINIC_FEVER_THRESHOLD_C),
        vaccine_live=vaccine_live,
    )
    if message.strip():
        ConcernMessage.objects.create(
            concern=concern, author=author, from_patient=True, body=message.strip()
        )
    audit.record(
        "concern.report", actor=author, obj=concern, patient=patient, detail={"category": category}
    )
    review_patient_report(concern=concern, with_fever=reports_fever(category, details), today=today)
    if concern.urgent:
        _notify_team(concern)
    if category == Concern.Category.PREGNANCY:
        _raise_pregnancy_alert(concern)
    return concern


def _raise_pregnancy_alert(concern: Concern) -> None:
    """The rheumatologist decides about treatment in pregnancy; under ``strict`` it is a
    contraindication, so the alert is urgent."""
    strict = pregnancy_holds_treatment(settings.CLINIC_SCREENING_POLICY)
    # Alert messages are clinical text for the rheumatologist, stored once: English for now.
    raise_alert(
        patient=concern.patient,
        severity=Alert.Severity.URGENT if strict else Alert.Severity.ATTENTION,
        cause="PREGNANCY_REPORTED",
        message=(
            "The patient reports a pregnancy or possible pregnancy"
            + (" (a contraindication under the clinic's strict policy)." if strict else ".")
        ),
        source=concern,
    )


@transaction.atomic
def add_patient_message(*, concern: Concern, author, body: str) -> ConcernMessage:
    note = ConcernMessage.objects.create(
        concern=concern, author=author, from_patient=True, body=body.strip()
    )
    Concern.objects.filter(pk=concern.pk).update(updated_at=timezone.now())
    audit.record("concern.patient_message", actor=author, obj=concern, patient=concern.patient)
    return note


def _set_status(concern: Concern, status: str) -> None:
    Concern.objects.filter(pk=concern.pk).update(status=status, updated_at=timezone.now())
    concern.status = status


def _open(concern: Concern) -> None:
    if concern.status == Concern.Status.RESOLVED:
        raise TriageError(_("This report is already closed."))


def _triaged(concern: Concern, actor, action: str) -> Concern:
    audit.record(f"concern.{action}", actor=actor, obj=concern, patient=concern.patient)
    return concern


@transaction.atomic
def acknowledge(*, concern: Concern, actor) -> Concern:
    """The team has seen the report."""
    _open(concern)
    _set_status(concern, Concern.Status.ACKNOWLEDGED)
    return _triaged(concern, actor, "acknowledge")


@transaction.atomic
def reply(*, concern: Concern, actor, body: str) -> Concern:
    """A note the patient reads; allowed on a closed report too (it stays closed)."""
    if not body.strip():
        raise TriageError(_("Write the reply first."))
    ConcernMessage.objects.create(
        concern=concern, author=actor, from_patient=False, body=body.strip()
    )
    if concern.status != Concern.Status.RESOLVED:
        _set_status(concern, Concern.Status.REPLIED)
    return _triaged(concern, actor, "reply")


@transaction.atomic
def escalate(*, concern: Concern, actor) -> Concern:
    """An alert for the rheumatologist: urgent for an urgent report, otherwise attention."""
    _open(concern)
    # Stored clinical text for the rheumatologist: English, whatever the nurse's language.
    with translation.override(settings.LANGUAGE_CODE):
        category = str(concern.get_category_display())
    raise_alert(
        patient=concern.patient,
        severity=Alert.Severity.URGENT if concern.urgent else Alert.Severity.ATTENTION,
        cause="PATIENT_CONCERN",
        message=f"Patient report escalated by {actor.full_name}: {category}.",
        source=concern,
    )
    _set_status(concern, Concern.Status.ESCALATED)
    return _triaged(concern, actor, "escalate")


@transaction.atomic
def resolve(*, concern: Concern, actor) -> Concern:
    _open(concern)
    _set_status(concern, Concern.Status.RESOLVED)
    return _triaged(concern, actor, "resolve")
