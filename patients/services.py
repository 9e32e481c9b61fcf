"""Writes to the patient record. Each service owns its transaction, version row and audit event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from clinic_portal.accounts.roles import Role
from clinic_portal.accounts.services import create_user_with_role
from clinic_portal.audit import audit
from patients.events import patient_enrolled
from patients.models import Allergy, Patient, PatientVersion

# The fields a clinician or nurse may set on the record, in display order.
RECORD_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "mrn",
    "phone",
    "preferred_language",
    "responsible_clinician",
    "primary_nurse",
    "diagnosis",
    "diagnosis_onset",
    "current_medications",
    "no_known_allergies",
    "relevant_conditions",
    "notes",
)


class AlreadyEnrolled(Exception):
    """Another enrolment with the same record number or email committed first (two identical
    POSTs at once); the form, validated again, says which."""


class StaleEditError(Exception):
    """Someone else saved the record after this edit began; nothing was written."""

    def __init__(self, current_version: int):
        super().__init__(f"The record is now at version {current_version}.")
        self.current_version = current_version


@dataclass(frozen=True)
class AllergyData:
    substance: str
    reaction: str = ""
    severity: str = "unknown"

    def as_dict(self) -> dict[str, str]:
        return {"substance": self.substance, "reaction": self.reaction, "severity": self.severity}


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return {"id": value.pk, "name": str(value)}
    return value


def snapshot(patient: Patient, allergies: list[AllergyData] | None = None) -> dict[str, Any]:
    """The whole record as JSON-ready data: what a version row keeps."""
    data = {name: _plain(getattr(patient, name)) for name in RECORD_FIELDS}
    data["email"] = patient.user.email or ""
    if allergies is None:
        allergies = [
            AllergyData(a.substance, a.reaction, a.severity) for a in patient.allergies.all()
        ]
    data["allergies"] = [allergy.as_dict() for allergy in allergies]
    return data


def _save_version(patient: Patient, data: dict, actor) -> None:
    PatientVersion.objects.create(
        patient=patient, version=patient.version, data=data, changed_by=actor
    )


@transaction.atomic
def enroll_patient(
    *, actor, email: str | None, allergies: list[AllergyData], invite: bool = True, **fields: Any
) -> Patient:
    """Create the patient, their (inactive) portal account, allergies and first version, and
    invite them when they have an email (``invite=False``: the demo, which activates them)."""
    full_name = f"{fields['given_name']} {fields['family_name']}"
    try:
        with transaction.atomic():
            user = create_user_with_role(
                email=email or None,
                full_name=full_name,
                role=Role.PATIENT,
                is_active=False,
                actor=actor,
            )
            patient = Patient.objects.create(user=user, **fields)
    except IntegrityError as error:
        raise AlreadyEnrolled from error
    Allergy.objects.bulk_create(
        [Allergy(patient=patient, **allergy.as_dict()) for allergy in allergies]
    )
    _save_version(patient, snapshot(patient, allergies), actor)
    audit.record("patient.enroll", actor=actor, obj=patient, patient=patient)
    patient_enrolled.send(sender=Patient, patient=patient, actor=actor, invite=invite)
    return patient


@transaction.atomic
def update_patient(
    *,
    patient: Patient,
    actor,
    expected_version: int,
    email: str | None,
    allergies: list[AllergyData],
    **fields: Any,
) -> Patient:
    """Apply an edit that started from ``expected_version``, or refuse it as stale. An edit
    that asks for exactly what the record already says (a double-clicked Save) is no conflict:
    nothing is written and nothing is refused."""
    current = Patient.objects.select_for_update().select_related("user").get(pk=patient.pk)
    before = snapshot(current)
    for name, value in fields.items():
        if name not in RECORD_FIELDS:
            raise ValueError(f"{name} is not a record field.")
        setattr(current, name, value)
    after = snapshot(current, allergies)
    after["email"] = email or ""
    changes = {
        key: {"before": before[key], "after": after[key]}
        for key in after
        if before[key] != after[key]
    }
    if not changes:
        return current
    if current.version != expected_version:
        raise StaleEditError(current.version)

    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    user = current.user
    user.email = email or None
    user.full_name = current.full_name
    user.save(update_fields=["email", "full_name"])
    if "allergies" in changes:
        current.allergies.all().delete()
        Allergy.objects.bulk_create(
            [Allergy(patient=current, **allergy.as_dict()) for allergy in allergies]
        )
    _save_version(current, after, actor)
    audit.record(
        "patient.update",
        actor=actor,
        obj=current,
        patient=current,
        detail={"version": current.version, "changes": changes},
    )
    return current


class ArchiveRefused(Exception):
    """The patient cannot be archived as things stand; the message says what to do first."""


@transaction.atomic
def archive_patient(*, patient: Patient, actor, reason: str) -> Patient:
    """Hide the patient from lists and switch off their login. Nothing is deleted."""
    current = Patient.objects.select_for_update().select_related("user").get(pk=patient.pk)
    if current.is_archived:
        return current
    if current.therapies.ongoing().exists():
        # Archiving would hide their checks, reminders and alerts while Kineret is planned or
        # being taken.
        raise ArchiveRefused(
            gettext(
                "This patient has a planned or active Kineret course. "
                "Stop or cancel the course before archiving."
            )
        )
    current.archived_at = timezone.now()
    current.save(update_fields=["archived_at"])
    current.user.is_active = False
    current.user.save(update_fields=["is_active"])
    audit.record(
        "patient.archive", actor=actor, obj=current, patient=current, detail={"reason": reason}
    )
    return current


@transaction.atomic
def restore_patient(*, patient: Patient, actor) -> Patient:
    """Bring an archived patient back. Their login returns only if they had set a password."""
    current = Patient.objects.select_for_update().select_related("user").get(pk=patient.pk)
    if not current.is_archived:
        return current
    current.archived_at = None
    current.save(update_fields=["archived_at"])
    current.user.is_active = current.user.has_usable_password()
    current.user.save(update_fields=["is_active"])
    audit.record("patient.restore", actor=actor, obj=current, patient=current)
    return current


@transaction.atomic
def add_current_medicine(*, patient: Patient, actor, line: str, known_as: str) -> bool:
    """Add ``line`` to the record's current medicines unless a line already names
    ``known_as`` (any case). Goes through ``update_patient``, so it is a new version with its
    audit record like any other edit. Returns whether the list changed."""
    current = Patient.objects.select_for_update().select_related("user").get(pk=patient.pk)
    lines = current.medication_lines
    if any(known_as.lower() in existing.lower() for existing in lines):
        return False
    update_patient(
        patient=current,
        actor=actor,
        expected_version=current.version,
        email=current.user.email,
        allergies=[
            AllergyData(a.substance, a.reaction, a.severity) for a in current.allergies.all()
        ],
        current_medications="\n".join([*lines, line]),
    )
    return True


@transaction.atomic
def set_current_medicines(
    *, patient: Patient, actor, lines: list[str], expected_version: int
) -> Patient:
    """Replace the record's current medicines with ``lines``, as an edit that started from
    ``expected_version`` (stale if the record moved on): a new version with its audit record."""
    current = Patient.objects.select_for_update().select_related("user").get(pk=patient.pk)
    return update_patient(
        patient=current,
        actor=actor,
        expected_version=expected_version,
        email=current.user.email,
        allergies=[
            AllergyData(a.substance, a.reaction, a.severity) for a in current.allergies.all()
        ],
        current_medications="\n".join(lines),
    )
