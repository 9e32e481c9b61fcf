"""Reads that encode clinic policy: finding patients, duplicates and the record's timeline."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import Q, TextField
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext, gettext_lazy

from clinic_portal.audit.models import AuditEvent
from clinic_portal.audit.selectors import newest_first
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


# The family name as the prefix index (migration patients/0007) holds it: upper case, compared
# byte by byte, so that a prefix is a range of the index and the index gives it in order.
FAMILY_NAME_KEY = 'UPPER("patients_patient"."family_name"::text) COLLATE "C"'


def first_matches(patients: PatientQuerySet, query: str) -> tuple[list[int], bool]:
    """The ids of at most ``CLINIC_SEARCH_MAX_MATCHES`` of the ``patients`` that match the name
    search ``query`` (``search``; every other filter already applied to ``patients``), and whether there were more (one row past the limit is read to know), so the
    list can say so. The closest come first: patients whose family name starts with the longest
    word searched, in the order of that name; then, if there is room, the other matches (a word
    inside a name, a given name, a record number).

    A broad search ("Berg") matches a tenth of a national register; finding, counting and sorting
    every match made the search grow with the register. On PostgreSQL the family names that
    start with the word are a range of a B-tree index (migration patients/0007) read in order,
    so the scan stops after this many matches, and the other matches are read only when those
    are fewer, with no order, so that scan also stops there. The list then shows them in the
    order asked for. More words narrow a search that long. SQLite takes the first matches in
    name order.
    """
    limit = settings.CLINIC_SEARCH_MAX_MATCHES
    matches = search(patients, query)
    if connection.vendor != "postgresql":
        first = list(matches.order_by(*SORTS["name"]).values_list("pk", flat=True)[: limit + 1])
        return first[:limit], len(first) > limit
    words = query.split()
    word = max(words, key=len)
    # Starting with the longest word answers for that word; each other word must still be in
    # a name. (Said this way, not as the whole search again, PostgreSQL estimates the range
    # well and reads it in the index's order.)
    starting = patients.annotate(
        family_name_key=RawSQL(FAMILY_NAME_KEY, [], output_field=TextField())
    ).filter(family_name_key__startswith=word.upper())
    others = list(words)
    others.remove(word)
    for other in others:
        starting = starting.filter(Q(given_name__icontains=other) | Q(family_name__icontains=other))
    first = list(
        starting.order_by("family_name_key", "pk").values_list("pk", flat=True)[: limit + 1]
    )
    if len(first) <= limit:
        rest = matches.annotate(
            family_name_key=RawSQL(FAMILY_NAME_KEY, [], output_field=TextField())
        ).exclude(family_name_key__startswith=word.upper())
        first += rest.order_by().values_list("pk", flat=True)[: limit + 1 - len(first)]
    return first[:limit], len(first) > limit


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
    events = newest_first(
        AuditEvent.objects.for_patient(patient.uuid).writes().order_by("-occurred_at", "-id"),
        limit,
    )
    return [(event, _timeline_text(event)) for event in events]
