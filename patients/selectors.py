"""Reads that encode clinic policy: finding patients, duplicates and the record's timeline."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext, gettext_lazy

from clinic_portal.audit.models import AuditEvent
from patients.identifiers import mrn_search_key
from patients.models import Patient, PatientQuerySet

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
# Each sort in words, in the order the list offers them.
SORT_LABELS = {
    "name": gettext_lazy("Name A–Z"),
    "-name": gettext_lazy("Name Z–A"),
    "dob": gettext_lazy("Oldest first"),
    "-dob": gettext_lazy("Youngest first"),
    "mrn": gettext_lazy("Record number"),
    "-mrn": gettext_lazy("Record number, descending"),
    "enrolled": gettext_lazy("Enrolled, oldest"),
    "-enrolled": gettext_lazy("Enrolled, newest"),
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")


def _as_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def is_name_search(query: str) -> bool:
    """Whether ``query`` searches names and numbers (not a date of birth)."""
    query = query.strip()
    return bool(query) and _as_date(query) is None


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


def first_matches(patients: PatientQuerySet, query: str) -> tuple[PatientQuerySet, bool]:
    """At most ``CLINIC_SEARCH_MAX_MATCHES`` of a name search's matches: the ones whose family
    name is closest to the longest word searched (trigram distance), every filter applied first;
    and whether there were more (one row past the limit is read to know), so the list can say so.

    A broad search ("Berg") matches a tenth of a national register; finding, counting and sorting
    every match made the search grow with the register. On PostgreSQL a GiST trigram index
    (migration patients/0004) returns patients nearest first, so the scan stops after this many
    matches; the list then shows them in the order asked for. More words narrow a search that
    long. SQLite takes the first matches in name order.
    """
    limit = settings.CLINIC_SEARCH_MAX_MATCHES
    ranked: PatientQuerySet
    if connection.vendor == "postgresql":
        word = max(query.split(), key=len).upper()
        distance = RawSQL('UPPER("patients_patient"."family_name"::text) <-> %s', [word])
        ranked = patients.annotate(distance=distance).order_by("distance", "pk")
    else:
        ranked = patients.order_by(*SORTS["name"])
    first = list(ranked.values_list("pk", flat=True)[: limit + 1])
    return Patient.objects.filter(pk__in=first[:limit]), len(first) > limit


def possible_duplicates(
    *, mrn: str | None, given_name: str, family_name: str, date_of_birth, exclude_pk=None
) -> tuple[Patient | None, list[Patient]]:
    """The patient holding ``mrn`` (if any), and others with the same name and date of birth."""
    others = Patient.objects.exclude(pk=exclude_pk) if exclude_pk else Patient.objects.all()
    same_mrn = others.filter(mrn=mrn).first() if mrn else None
    same_name = others.filter(
        given_name__iexact=given_name.strip(),
        family_name__iexact=family_name.strip(),
        date_of_birth=date_of_birth,
    )
    if same_mrn is not None:
        same_name = same_name.exclude(pk=same_mrn.pk)
    return same_mrn, list(same_name[:5])


TIMELINE_LABELS = {
    "patient.enroll": gettext_lazy("Enrolled"),
    "patient.update": gettext_lazy("Record edited"),
    "patient.archive": gettext_lazy("Archived"),
    "patient.restore": gettext_lazy("Restored"),
    "screening.start": gettext_lazy("Screening started"),
    "screening.save_draft": gettext_lazy("Screening draft saved"),
    "screening.evaluate": gettext_lazy("Screening evaluated"),
    "screening.acknowledge": gettext_lazy("Screening review item acknowledged"),
    "screening.sign": gettext_lazy("Screening signed"),
    "screening.update_record_medicines": gettext_lazy(
        "Current medicines updated from the signed screening"
    ),
    "therapy.start": gettext_lazy("Kineret started"),
    "therapy.stop": gettext_lazy("Kineret stopped"),
    "result.record": gettext_lazy("Neutrophil count recorded"),
    "result.correct": gettext_lazy("Neutrophil count corrected"),
    "vaccination.record": gettext_lazy("Vaccination recorded"),
    "followup.not_done": gettext_lazy("Check marked not done"),
    "followup.reschedule": gettext_lazy("Check moved"),
    "alert.raise": gettext_lazy("Alert raised"),
    "alert.acknowledge": gettext_lazy("Alert acknowledged"),
    "alert.resolve": gettext_lazy("Alert resolved"),
    "portal.invite": gettext_lazy("Invited to the patient portal"),
    "portal.accept": gettext_lazy("Accepted the portal invitation"),
    "concern.report": gettext_lazy("Patient sent a report"),
    "concern.patient_message": gettext_lazy("Patient added a message to a report"),
    "concern.acknowledge": gettext_lazy("Report acknowledged"),
    "concern.reply": gettext_lazy("Report answered"),
    "concern.escalate": gettext_lazy("Report escalated to the rheumatologist"),
    "concern.resolve": gettext_lazy("Report closed"),
    "education.assign": gettext_lazy("Education pages assigned"),
    "education.viewed": gettext_lazy("Patient opened an education page"),
    "education.acknowledged": gettext_lazy("Patient confirmed reading an education page"),
    "profile.update": gettext_lazy("Patient updated their contact details"),
}


def _words(action: str) -> str:
    """A code the table does not know yet, still in words: "portal.email_change" becomes
    "Portal: email change"."""
    area, _, what = action.partition(".")
    return f"{area.capitalize()}: {what.replace('_', ' ').replace('.', ' ')}" if what else action


def _timeline_text(event: AuditEvent) -> str:
    from patients.history import changed_labels

    label = TIMELINE_LABELS.get(event.action)
    text = str(label) if label else _words(event.action)
    detail = event.detail or {}
    if event.action == "patient.update" and isinstance(detail.get("changes"), dict):
        text += " " + gettext("(version %(version)s: %(changes)s)") % {
            "version": detail.get("version"),
            "changes": changed_labels(detail["changes"]),
        }
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
