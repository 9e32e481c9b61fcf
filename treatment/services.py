"""Writes for the patient's own treatment. Each service owns its transaction and audit record;
the rules themselves live in ``treatment.core``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clinic_portal.accounts.language import language_of
from clinic_portal.audit import audit
from clinic_portal.core.clinical_dates import ImplausibleDate, check_clinical_date
from clinic_portal.notifications.services import EmailSpec, queue_emails
from followups.checks import close_check
from followups.models import FollowUp, TherapyCourse
from followups.planner import Kind
from followups.rules import CourseState
from followups.status import Status
from treatment import core
from treatment.models import (
    AttentionItem,
    CalendarToken,
    CdaiAssessment,
    InjectionEntry,
    InjectionTeaching,
    PatientGlobal,
)


class TreatmentError(Exception):
    """The request cannot be carried out; the message says why in plain words."""


def _plausible(day: dt.date, *, label: str, patient, today: dt.date) -> None:
    """The shared clinical-date check (clinic_portal.core.clinical_dates): not in the future,
    not before 1900 or the patient's birth."""
    try:
        check_clinical_date(day, field="day", label=label, born=patient.date_of_birth, today=today)
    except ImplausibleDate as error:
        raise TreatmentError(error.message) from None


# --- The diary ----------------------------------------------------------------------------------


def _check_day(therapy: TherapyCourse, day: dt.date, today: dt.date) -> None:
    """The diary is written only while the course is active (followups.rules: not planned, on
    hold, stopped or cancelled), for a plausible day from the start on."""
    if therapy.state_on(today) != CourseState.ACTIVE:
        raise TreatmentError(_("Your diary is open only while your Kineret course is running."))
    _plausible(day, label=_("Day"), patient=therapy.patient, today=today)
    if day < therapy.start_date:
        raise TreatmentError(
            _("Your Kineret started on %(day)s; pick that day or later.")
            % {"day": date_format(therapy.start_date, "SHORT_DATE_FORMAT")}
        )


def _create_entry(**fields) -> InjectionEntry:
    try:
        with transaction.atomic():
            return InjectionEntry.objects.create(**fields)
    except IntegrityError:
        raise TreatmentError(
            _("This day is already in your diary. Each day has one entry.")
        ) from None


@transaction.atomic
def log_injection(
    *,
    patient,
    therapy: TherapyCourse,
    day: dt.date,
    time: dt.time | None,
    site: str,
    reaction: str = "",
    note: str = "",
    now: dt.datetime,
    today: dt.date,
) -> InjectionEntry:
    """Log an injection the patient gave. ``now`` is the current local time (a time later today
    is refused as well as a future day)."""
    _check_day(therapy, day, today)
    if day == today and time is not None and time > now.time():
        raise TreatmentError(_("This time has not come yet today."))
    entry = _create_entry(
        patient=patient,
        therapy=therapy,
        kind=InjectionEntry.Kind.TAKEN,
        day=day,
        time=time,
        site=core.Site(site).value,
        reaction=core.Reaction(reaction).value if reaction else "",
        reaction_noted_at=timezone.now() if reaction else None,
        note=note.strip(),
    )
    audit.record(
        "diary.log_injection",
        actor=patient.user,
        obj=entry,
        patient=patient,
        detail={"day": day, "site": entry.site, "reaction": entry.reaction},
    )
    if core.reaction_needs_attention(entry.reaction):
        _raise_reaction_item(entry)
    return entry


@transaction.atomic
def log_missed_dose(
    *, patient, therapy: TherapyCourse, day: dt.date, reason: str, note: str = "", today: dt.date
) -> InjectionEntry:
    _check_day(therapy, day, today)
    entry = _create_entry(
        patient=patient,
        therapy=therapy,
        kind=InjectionEntry.Kind.MISSED,
        day=day,
        missed_reason=core.MissedReason(reason).value,
        note=note.strip(),
    )
    audit.record(
        "diary.log_missed_dose",
        actor=patient.user,
        obj=entry,
        patient=patient,
        detail={"day": day, "reason": entry.missed_reason},
    )
    missed = InjectionEntry.objects.filter(
        therapy=therapy,
        kind=InjectionEntry.Kind.MISSED,
        day__gte=day - dt.timedelta(days=core.MISSED_DOSES_WINDOW_DAYS - 1),
        day__lte=day + dt.timedelta(days=core.MISSED_DOSES_WINDOW_DAYS - 1),
    ).values_list("day", flat=True)
    if core.missed_doses_need_attention(missed, day):
        _raise_missed_item(entry)
    return entry


@transaction.atomic
def record_site_reaction(*, entry: InjectionEntry, reaction: str) -> InjectionEntry:
    """How the site looked the next day (or later). A reaction can be updated as it changes:
    "mild" the next day may become "lasting" a week later."""
    if entry.kind != InjectionEntry.Kind.TAKEN:
        raise TreatmentError(_("Only an injection has a site to describe."))
    current = InjectionEntry.objects.select_for_update().get(pk=entry.pk)
    current.reaction = core.Reaction(reaction).value
    current.reaction_noted_at = timezone.now()
    current.save(update_fields=["reaction", "reaction_noted_at"])
    audit.record(
        "diary.site_reaction",
        actor=current.patient.user,
        obj=current,
        patient=current.patient,
        detail={"reaction": current.reaction},
    )
    if core.reaction_needs_attention(current.reaction):
        _raise_reaction_item(current)
    return current


# --- Attention items for the primary nurse -------------------------------------------------------


def _raise_item(
    entry: InjectionEntry, cause: core.AttentionCause, message: str
) -> AttentionItem | None:
    patient = entry.patient
    try:
        with transaction.atomic():
            item, created = AttentionItem.objects.get_or_create(
                cause=cause,
                entry=entry,
                defaults={"patient": patient, "nurse": patient.primary_nurse, "message": message},
            )
    except IntegrityError:
        # A simultaneous request raised the same item (or the patient's open missed-doses item).
        return AttentionItem.objects.open().filter(patient=patient, cause=cause).first()
    if not created:
        return item
    audit.record(
        "attention.raise",
        actor=None,
        obj=item,
        patient=patient,
        detail={"cause": cause.value},
    )
    nurse = patient.primary_nurse
    if nurse is not None and nurse.email:
        link = f"{settings.SITE_URL}{reverse('treatment:attention')}"
        # Written in the nurse's language, whoever's request raised the item.
        with translation.override(language_of(nurse)):
            subject = _("A patient's injection diary needs a look")
            body = _(
                "Something in one of your patients' injection diaries needs a look.\n\n"
                "Open it here (you will be asked to log in):\n%(link)s\n"
            ) % {"link": link}
        queue_emails(
            [
                EmailSpec(
                    dedupe_key=f"attention:{item.uuid}",
                    purpose="attention",
                    to_email=nurse.email,
                    subject=subject,
                    body=body,
                    patient_uuid=patient.uuid,
                )
            ]
        )
    return item


# Attention items are stored clinical text for staff, in English (as alert messages are).
def _raise_reaction_item(entry: InjectionEntry) -> AttentionItem | None:
    label = core.REACTION_LABELS[core.Reaction(entry.reaction)].lower()
    return _raise_item(
        entry,
        core.AttentionCause.SITE_REACTION,
        f"Injection-site reaction on {entry.day:%-d %b}: {label}.",
    )


def _raise_missed_item(entry: InjectionEntry) -> AttentionItem | None:
    if (
        AttentionItem.objects.open()
        .filter(patient=entry.patient, cause=core.AttentionCause.MISSED_DOSES)
        .exists()
    ):
        return None  # the open item already covers this run of missed doses
    return _raise_item(
        entry,
        core.AttentionCause.MISSED_DOSES,
        f"{core.MISSED_DOSES_LIMIT} or more doses missed within a week (latest {entry.day:%-d %b}).",
    )


@transaction.atomic
def resolve_attention_item(*, item: AttentionItem, actor, note: str) -> AttentionItem:
    updated = AttentionItem.objects.filter(pk=item.pk, resolved_at__isnull=True).update(
        resolved_by=actor, resolved_at=timezone.now(), resolution_note=note.strip()
    )
    if updated:
        audit.record(
            "attention.resolve", actor=actor, obj=item, patient=item.patient, detail={"note": note}
        )
    item.refresh_from_db()
    return item


# --- Teaching -----------------------------------------------------------------------------------


@transaction.atomic
def record_injection_teaching(
    *, therapy: TherapyCourse, nurse, taught_on: dt.date, today: dt.date
) -> InjectionTeaching:
    """The nurse showed the patient how to inject. Closes the open teaching check, if any."""
    therapy = TherapyCourse.objects.select_for_update().select_related("patient").get(pk=therapy.pk)
    if not therapy.is_ongoing:
        raise TreatmentError(_("This course has stopped or was cancelled; nothing was saved."))
    _plausible(taught_on, label=_("Teaching date"), patient=therapy.patient, today=today)
    if taught_on < therapy.start_date - dt.timedelta(days=90):
        raise TreatmentError(_("That is long before the course; check the date."))
    try:
        with transaction.atomic():
            teaching = InjectionTeaching.objects.create(
                patient=therapy.patient, therapy=therapy, taught_on=taught_on, recorded_by=nurse
            )
    except IntegrityError:
        raise TreatmentError(_("Teaching is already recorded for this course.")) from None
    # Teaching is completed by its own form only, never by a result or a vaccination.
    for check in FollowUp.objects.open().filter(therapy=therapy, kind=Kind.INJECTION_TEACHING):
        close_check(check, nurse, Status.COMPLETED)
    audit.record(
        "treatment.teaching",
        actor=nurse,
        obj=teaching,
        patient=therapy.patient,
        detail={"taught_on": taught_on},
    )
    return teaching


# --- Response review and CDAI -------------------------------------------------------------------


@transaction.atomic
def record_cdai(
    *,
    patient,
    therapy: TherapyCourse | None,
    clinician,
    assessed_on: dt.date,
    tender: int,
    swollen: int,
    patient_global: Decimal,
    evaluator_global: Decimal,
    today: dt.date,
) -> CdaiAssessment:
    """Record a CDAI; it completes the response review it belongs to (the open one due nearest
    the assessment day, within the review's window)."""
    _plausible(assessed_on, label=_("Assessment date"), patient=patient, today=today)
    if therapy is not None and therapy.cancelled_at is not None:
        therapy = None  # a course that never began has no response to review
    try:
        score = core.cdai_score(
            tender=tender,
            swollen=swollen,
            patient_global=patient_global,
            evaluator_global=evaluator_global,
        )
    except core.CdaiInputError:
        raise TreatmentError(
            _("Joint counts go from 0 to 28, and global scores from 0 to 10.")
        ) from None
    # The same answers twice (a double click) record one assessment.
    type(patient).objects.select_for_update().filter(pk=patient.pk).first()
    duplicate = CdaiAssessment.objects.filter(
        patient=patient,
        assessed_on=assessed_on,
        tender_joints=tender,
        swollen_joints=swollen,
        patient_global=patient_global,
        evaluator_global=evaluator_global,
        recorded_at__gte=timezone.now() - dt.timedelta(minutes=10),
    ).first()
    if duplicate is not None:
        return duplicate
    review = None
    if therapy is not None:
        window = dt.timedelta(days=60)
        review = (
            FollowUp.objects.open()
            .filter(
                therapy=therapy,
                kind=Kind.RESPONSE_REVIEW,
                due_date__gte=assessed_on - window,
                due_date__lte=assessed_on + window,
            )
            .order_by("due_date")
            .first()
        )
    assessment = CdaiAssessment.objects.create(
        patient=patient,
        therapy=therapy,
        followup=review,
        assessed_on=assessed_on,
        tender_joints=tender,
        swollen_joints=swollen,
        patient_global=patient_global,
        evaluator_global=evaluator_global,
        score=score,
        band=core.cdai_band(score).value,
        recorded_by=clinician,
    )
    if review is not None:
        # The review is completed by the CDAI form only.
        close_check(review, clinician, Status.COMPLETED)
    audit.record(
        "treatment.cdai",
        actor=clinician,
        obj=assessment,
        patient=patient,
        detail={"score": score, "band": assessment.band, "review": bool(review)},
    )
    return assessment


@transaction.atomic
def enter_patient_global(*, patient, review: FollowUp, score: Decimal) -> PatientGlobal:
    if not Decimal(0) <= score <= core.GLOBAL_MAX:
        raise TreatmentError(_("Pick a number from 0 to 10."))
    if review.kind != Kind.RESPONSE_REVIEW or review.patient_id != patient.pk or not review.is_open:
        raise TreatmentError(_("There is no visit waiting for this score."))
    entry = PatientGlobal.objects.create(patient=patient, followup=review, score=score)
    audit.record(
        "treatment.patient_global",
        actor=patient.user,
        obj=entry,
        patient=patient,
        detail={"score": score},
    )
    return entry


# --- Calendar links -----------------------------------------------------------------------------


def _lock(user) -> None:
    """Serialise token changes per user, so two tabs cannot leave two current tokens."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


@transaction.atomic
def calendar_token_for(*, user) -> CalendarToken:
    """The user's current calendar token, made on first use."""
    _lock(user)
    token = CalendarToken.objects.current().filter(user=user).first()
    if token is not None:
        return token
    token = CalendarToken.objects.create(user=user)
    audit.record("calendar.token_create", actor=user, obj=token)
    return token


@transaction.atomic
def reset_calendar_token(*, user) -> CalendarToken:
    """A new secret link; the old one stops working at once."""
    _lock(user)
    CalendarToken.objects.current().filter(user=user).update(revoked_at=timezone.now())
    token = CalendarToken.objects.create(user=user)
    audit.record("calendar.token_reset", actor=user, obj=token)
    return token
