"""What each FHIR search reads: one queryset per resource type, filtered by the search's patient."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from followups.models import Alert, NeutrophilResult, TherapyCourse, Vaccination
from interop.fhir import resources
from patients.models import Patient
from screening.models import Screening


@dataclass(frozen=True)
class ResourceType:
    name: str
    build: Any
    patient_path: str  # the lookup from the row to its Patient
    dated: bool = False  # its builder needs the clinic's day (a course's state)

    def resource(self, row, *, today: dt.date):
        return self.build(row, today=today) if self.dated else self.build(row)

    def queryset(self):
        return QUERYSETS[self.name]()

    def by_id(self):
        """For reads by id: superseded counts too (their status says what they are)."""
        if self.name == "Observation":
            return NeutrophilResult.objects.select_related("patient")
        return self.queryset()


def _observations():
    # Only the newest of each correction chain: a superseded count is not a current result.
    return (
        NeutrophilResult.objects.filter(superseded_by__isnull=True)
        .select_related("patient")
        .order_by("-sample_date", "-recorded_at", "-id")
    )


QUERYSETS = {
    "Patient": lambda: Patient.objects.select_related("user").order_by("id"),
    "Observation": _observations,
    "Immunization": lambda: Vaccination.objects.select_related("patient").order_by(
        "-given_on", "-id"
    ),
    "MedicationStatement": lambda: TherapyCourse.objects.select_related(
        "patient", "screening"
    ).order_by("-start_date", "-id"),
    "QuestionnaireResponse": lambda: (
        Screening.objects.signed()
        .select_related("patient", "signed_by")
        .order_by("-signed_at", "-id")
    ),
    "Flag": lambda: Alert.objects.select_related("patient").order_by("-created_at", "-id"),
}

TYPES = {
    "Patient": ResourceType("Patient", resources.patient_resource, ""),
    "Observation": ResourceType("Observation", resources.observation_resource, "patient"),
    "Immunization": ResourceType("Immunization", resources.immunization_resource, "patient"),
    "MedicationStatement": ResourceType(
        "MedicationStatement", resources.medication_statement_resource, "patient", dated=True
    ),
    "QuestionnaireResponse": ResourceType(
        "QuestionnaireResponse", resources.questionnaire_response_resource, "patient"
    ),
    "Flag": ResourceType("Flag", resources.flag_resource, "patient"),
}


def patient_of(row):
    return row if isinstance(row, Patient) else row.patient
