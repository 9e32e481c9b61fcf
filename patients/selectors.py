"""Reads that encode clinic policy: finding patients, duplicates and the record's timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from clinic_portal.audit.models import AuditEvent
from followups.models import FollowUp, TherapyCourse
from patients.identifiers import mrn_search_key
from patients.models import Patient, PatientQuerySet
from screening.models import Screening

SORTS = {
    "name": ("family_name", "given_name", "id"),
    "-name": ("-family_name", "-given_name", "-id"),
    "dob": ("date_of_birth", "id"),
    "-dob": ("-date_of_birth", "-id"),
    "mrn": ("mrn",),
    "-mrn": ("-mrn",),
    "enrolled": ("created_at", "id"),
    "-enrolled": ("-created_at", "-id"),
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")


CARE_STATUS_FIELDS = ("on_therapy", "kineret_planned_on", "latest_outcome", "has_overdue")
THERAPY_FILTERS = {"active": _("On Kineret"), "none": _("Not on Kineret")}
OUTCOME_FILTERS = {
    "none": _("Not screened"),
    "clear": _("Clear"),
    "needs_review": _("Needs review"),
    "contraindicated": _("Contraindicated"),
}


@dataclass(frozen=True)
class PatientFilters:
    query: str = ""
    clinician_id: int | None = None
    archived: bool = False
    sort: str = "name"
    therapy: str = ""
    outcome: str = ""
    overdue: bool = False


def _care_status_expressions(today: dt.date) -> dict:
    latest_signed = Screening.objects.filter(
        patient=OuterRef("pk"), signed_at__isnull=False
    ).order_by("-signed_at")
    ongoing = TherapyCourse.objects.ongoing().filter(patient=OuterRef("pk"))
    not_started = ongoing.filter(Q(start_date__gt=today) | Q(held_at__isnull=False))
    return {
        "on_therapy": Exists(ongoing),
        "kineret_planned_on": Subquery(not_started.values("start_date")[:1]),
        "latest_outcome": Subquery(latest_signed.values("outcome")[:1]),
        "has_overdue": Exists(FollowUp.objects.overdue(today).filter(patient=OuterRef("pk"))),
    }


def with_care_status(patients: PatientQuerySet, today: dt.date, *names: str) -> PatientQuerySet:
    """Therapy, latest signed screening outcome and overdue checks (or only ``names`` of
    them), as subqueries."""
    expressions = _care_status_expressions(today)
    return patients.annotate(**{name: expressions[name] for name in names or expressions})


def add_care_status(patients: list[Patient], today: dt.date) -> list[Patient]:
    """Set the care status on one page of patients with one query.

    The list query does not compute it for every candidate row: PostgreSQL would hash the
    subqueries over the whole table (all therapies, all overdue checks) before the LIMIT.
    """
    by_pk = {patient.pk: patient for patient in patients}
    status = with_care_status(Patient.objects.filter(pk__in=by_pk), today).values(
        "pk", *CARE_STATUS_FIELDS
    )
    for row in status:
        for name in CARE_STATUS_FIELDS:
            setattr(by_pk[row["pk"]], name, row[name])
    return patients


def _as_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def search(patients: PatientQuerySet, query: str) -> PatientQuerySet:
    """Match a date of birth, a medical record number, or every word of a name."""
    query = query.strip()
    if not query:
        return patients
    day = _as_date(query)
    if day is not None:
        return patients.filter(date_of_birth=day)
    condition = Q()
    for word in query.split():
        condition &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    mrn_key = mrn_search_key(query)
    if mrn_key:
        condition |= Q(mrn__startswith=mrn_key)
    return patients.filter(condition)


def patient_list(
    patients: PatientQuerySet, filters: PatientFilters, *, today: dt.date
) -> PatientQuerySet:
    """The matching patients in order; care status is computed only where a filter needs it
    (``add_care_status`` fills it in for the page shown)."""
    patients = patients.archived() if filters.archived else patients.active()
    if filters.clinician_id:
        patients = patients.filter(responsible_clinician_id=filters.clinician_id)
    patients = search(patients, filters.query)
    needed = [
        name
        for name, wanted in (
            ("on_therapy", filters.therapy in THERAPY_FILTERS),
            ("latest_outcome", filters.outcome in OUTCOME_FILTERS),
            ("has_overdue", filters.overdue),
        )
        if wanted
    ]
    if needed:
        patients = with_care_status(patients, today, *needed)
    if filters.therapy == "active":
        patients = patients.filter(on_therapy=True)
    elif filters.therapy == "none":
        patients = patients.filter(on_therapy=False)
    if filters.outcome == "none":
        patients = patients.filter(latest_outcome__isnull=True)
    elif filters.outcome in OUTCOME_FILTERS:
        patients = patients.filter(latest_outcome=filters.outcome)
    if filters.overdue:
        patients = patients.filter(has_overdue=True)
    if filters.query.strip() and _as_date(filters.query.strip()) is None:
        patients = first_matches(patients, filters.query)
    order = SORTS.get(filters.sort, SORTS["name"])
    return patients.order_by(*order)


def first_matches(patients: PatientQuerySet, query: str) -> PatientQuerySet:
    """At most ``CLINIC_SEARCH_MAX_MATCHES`` of a name search's matches: the ones whose family
    name is closest to the longest word searched (trigram distance), every filter applied first.

    A broad search ("Berg") matches a tenth of a national register; finding, counting and sorting
    every match made the search grow with the register. On PostgreSQL a GiST trigram index
    (migration patients/0004) returns patients nearest first, so the scan stops after this many
    matches; the list then shows them in the order asked for. More words narrow a search that
    long. SQLite takes the first matches in name order.
    """
    limit = settings.CLINIC_SEARCH_MAX_MATCHES
    if connection.vendor == "postgresql":
        word = max(query.split(), key=len).upper()
        distance = RawSQL('UPPER("patients_patient"."family_name"::text) <-> %s', [word])
        ranked = patients.annotate(distance=distance).order_by("distance", "pk")
    else:
        ranked = patients.order_by(*SORTS["name"])
    first = list(ranked.values_list("pk", flat=True)[:limit])
    return Patient.objects.filter(pk__in=first)


def prepare_page(patients: list[Patient], today: dt.date) -> list[Patient]:
    """What the list shows beside each patient of the page: rheumatologist and care status.

    Fetched for the page's rows (two small queries) rather than joined into the list query,
    which would otherwise join and sort every match of a broad search before the LIMIT.
    """
    prefetch_related_objects(patients, "responsible_clinician")
    return add_care_status(patients, today)


def possible_duplicates(
    *, mrn: str | None, given_name: str, family_name: str, date_of_birth, exclude_pk=None
) -> tuple[Patient | None, list[Patient]]:
    """The patient holding ``mrn`` (if any), and others with the same name and date of birth."""
    others = Patient.objects.exclude(pk=exclude_pk) if exclude_pk else Patient.objects.all()
    same_mrn = others.filter(mrn=mrn).first() if mrn else None
    same_person = list(
        others.filter(
            given_name__iexact=given_name.strip(),
            family_name__iexact=family_name.strip(),
            date_of_birth=date_of_birth,
        ).exclude(pk=getattr(same_mrn, "pk", None))[:5]
    )
    return same_mrn, same_person


TIMELINE_LABELS = {
    "patient.enroll": "Enrolled",
    "patient.update": "Record edited",
    "patient.archive": "Archived",
    "patient.restore": "Restored",
    "screening.start": "Screening started",
    "screening.save_draft": "Screening draft saved",
    "screening.evaluate": "Screening evaluated",
    "screening.acknowledge": "Screening review item acknowledged",
    "screening.sign": "Screening signed",
    "therapy.start": "Kineret started",
    "therapy.stop": "Kineret stopped",
    "result.record": "Neutrophil count recorded",
    "result.correct": "Neutrophil count corrected",
    "vaccination.record": "Vaccination recorded",
    "followup.not_done": "Check marked not done",
    "followup.reschedule": "Check moved",
    "alert.raise": "Alert raised",
    "alert.acknowledge": "Alert acknowledged",
    "alert.resolve": "Alert resolved",
    "portal.invite": "Invited to the patient portal",
    "portal.accept": "Accepted the portal invitation",
    "concern.report": "Patient sent a report",
    "concern.patient_message": "Patient added a message to a report",
    "concern.acknowledge": "Report acknowledged",
    "concern.reply": "Report answered",
    "concern.escalate": "Report escalated to the rheumatologist",
    "concern.resolve": "Report closed",
    "education.assign": "Education pages assigned",
    "education.viewed": "Patient opened an education page",
    "education.acknowledged": "Patient confirmed reading an education page",
    "profile.update": "Patient updated their contact details",
}


def _words(action: str) -> str:
    """A code the table does not know yet, still in words: "portal.email_change" becomes
    "Portal: email change"."""
    area, _, what = action.partition(".")
    return f"{area.capitalize()}: {what.replace('_', ' ').replace('.', ' ')}" if what else action


def _timeline_text(event: AuditEvent) -> str:
    from patients.history import changed_labels

    text = TIMELINE_LABELS.get(event.action) or _words(event.action)
    detail = event.detail or {}
    if event.action == "patient.update" and isinstance(detail.get("changes"), dict):
        text += f" (version {detail.get('version')}: {changed_labels(detail['changes'])})"
    elif event.action == "patient.archive" and detail.get("reason"):
        text += f": {detail['reason']}"
    return text


def timeline(patient: Patient, limit: int = 50) -> list[tuple[AuditEvent, str]]:
    """What happened to this patient, newest first, in words. Reads are left out; they have
    their own log."""
    events = (
        AuditEvent.objects.for_patient(patient.uuid)
        .writes()
        .order_by("-occurred_at", "-id")[:limit]
    )
    return [(event, _timeline_text(event)) for event in events]
