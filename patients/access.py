"""Who may see and change which patient. Views get patients only through these functions.

- Rheumatologists and nurses of the clinic see every patient, archived ones included.
- A patient sees only their own record.
- Anyone else, and any patient asking for someone else's record, gets 404: "not yours" and
  "does not exist" are indistinguishable, so identifiers cannot be probed.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from patients.models import Patient, PatientQuerySet


def visible_patients(user) -> PatientQuerySet:
    return Patient.objects.visible_to(user)


def _uuid_or_404(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404("Not found.") from None


CARE_TEAM = ("user", "responsible_clinician", "primary_nurse")


def get_patient_for(
    user, patient_uuid: uuid.UUID | str, *, related: tuple[str, ...] = CARE_TEAM
) -> Patient:
    """``related``: the accounts read with the patient (their own, their rheumatologist's and
    nurse's); a page that shows none of them (the record's summary) asks for none."""
    # get() on the unique uuid: no ORDER BY for PostgreSQL to plan (first() would add the
    # model's three-column ordering).
    try:
        patients = visible_patients(user)
        return (patients.select_related(*related) if related else patients).get(
            uuid=_uuid_or_404(patient_uuid)
        )
    except Patient.DoesNotExist:
        raise Http404("No such patient.") from None


def get_patient_object_for(user, queryset: QuerySet, object_uuid):
    """A row that belongs to a patient (screening, follow-up, alert, report...), if ``user`` may
    see that patient; 404 otherwise. Every such lookup in the portal goes through here."""
    obj = (
        queryset.filter(patient__in=visible_patients(user), uuid=_uuid_or_404(object_uuid))
        .select_related("patient")
        .first()
    )
    if obj is None:
        raise Http404("Not found.")
    return obj


def get_own_patient(user) -> Patient:
    """The patient record of a logged-in patient, for the portal's own pages; 404 if none."""
    patient = (
        Patient.objects.select_related("user").filter(user=user, archived_at__isnull=True).first()
    )
    if patient is None:
        raise Http404("No patient record.")
    return patient
