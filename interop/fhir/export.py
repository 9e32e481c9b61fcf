"""NDJSON export, one file per resource type, in the style of FHIR Bulk Data (``$export``).

Everything written or changed since a day, with every patient those resources refer to, so a
file set stands on its own. With ``pseudonymise`` the ids (and so every reference) are replaced
by a keyed hash (HMAC-SHA-256 with ``FHIR_PSEUDONYM_KEY``), names, contact details, record
numbers and free text are left out, and the date of birth is cut to the year.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from functools import partial
from pathlib import Path

from django.db.models import Q

from clinic_portal.audit import audit
from clinic_portal.core.clock import start_of_day
from followups.models import Alert, NeutrophilResult, TherapyCourse, Vaccination
from interop.fhir import resources
from interop.fhir.resources import IDENTITY, Pseudonyms
from patients.models import Patient
from screening.models import Screening


def _sets(since: dt.datetime, today: dt.date) -> dict:
    return {
        "Observation": (
            NeutrophilResult.objects.filter(recorded_at__gte=since, superseded_by__isnull=True)
            .select_related("patient")
            .order_by("id"),
            resources.observation_resource,
        ),
        "Immunization": (
            Vaccination.objects.filter(recorded_at__gte=since)
            .select_related("patient")
            .order_by("id"),
            resources.immunization_resource,
        ),
        "MedicationStatement": (
            TherapyCourse.objects.filter(Q(started_at__gte=since) | Q(stopped_on__gte=since.date()))
            .select_related("patient", "screening")
            .order_by("id"),
            partial(resources.medication_statement_resource, today=today),
        ),
        "QuestionnaireResponse": (
            Screening.objects.signed()
            .filter(signed_at__gte=since)
            .select_related("patient", "signed_by")
            .order_by("id"),
            resources.questionnaire_response_resource,
        ),
        "Flag": (
            Alert.objects.filter(Q(created_at__gte=since) | Q(resolved_at__gte=since))
            .select_related("patient")
            .order_by("id"),
            resources.flag_resource,
        ),
    }


def _write(path: Path, lines) -> int:
    """Write atomically: a reader never sees half a file."""
    count = 0
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for line in lines:
                out.write(line + "\n")
                count += 1
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def export(
    since: dt.date, outdir: Path, *, pseudonym_key: str | None = None, today: dt.date
) -> dict[str, int]:
    """Write ``<Type>.ndjson`` files into ``outdir``; the number of resources of each type.
    A course's status is its state on the clinic's ``today``."""
    ids = Pseudonyms(pseudonym_key) if pseudonym_key else IDENTITY
    outdir.mkdir(parents=True, exist_ok=True)
    moment = start_of_day(since)
    patient_ids: set[int] = set(
        Patient.objects.filter(updated_at__gte=moment).values_list("id", flat=True)
    )
    counts: dict[str, int] = {}
    for name, (queryset, build) in _sets(moment, today).items():

        def lines(queryset=queryset, build=build):
            for row in queryset.iterator(chunk_size=500):
                patient_ids.add(row.patient_id)
                yield build(row, ids).model_dump_json(exclude_none=True)

        counts[name] = _write(outdir / f"{name}.ndjson", lines())
    patients = Patient.objects.filter(id__in=patient_ids).select_related("user").order_by("id")
    counts["Patient"] = _write(
        outdir / "Patient.ndjson",
        (
            resources.patient_resource(p, ids).model_dump_json(exclude_none=True)
            for p in patients.iterator(chunk_size=500)
        ),
    )
    audit.record_read(
        "fhir.export",
        patients=list(patients.values_list("uuid", flat=True)),
        detail={"since": since, "pseudonymised": ids.active, "counts": counts},
    )
    return counts
