"""export_fhir: NDJSON per resource type, valid R4, optionally pseudonymised."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from fhir.resources.R4B import get_fhir_model_class

from clinic_portal.audit.models import AuditEvent
from followups import services as followup_services

pytestmark = pytest.mark.django_db

KEY = "k" * 40


@pytest.fixture
def record(patient, therapy, nurse, today):
    followup_services.record_result(
        patient=patient,
        actor=nurse,
        value=Decimal("1.2"),
        sample_date=today,
        lab="City Lab",
        today=today,
    )
    followup_services.record_vaccination(
        patient=patient, actor=nurse, name="Shingrix", given_on=today, today=today
    )
    return patient


def read_dir(path) -> dict[str, list[dict]]:
    out = {}
    for file in sorted(path.glob("*.ndjson")):
        rows = [json.loads(line) for line in file.read_text().splitlines()]
        for row in rows:
            get_fhir_model_class(row["resourceType"]).model_validate(row)
        out[file.stem] = rows
    return out


def test_everything_since_a_day_is_written_per_type_and_audited(record, tmp_path, today):
    call_command("export_fhir", tmp_path, since=(today - dt.timedelta(days=1)).isoformat())
    files = read_dir(tmp_path)
    assert set(files) == {
        "Patient",
        "Observation",
        "Immunization",
        "MedicationStatement",
        "QuestionnaireResponse",
        "Flag",
    }
    assert files["Patient"][0]["id"] == str(record.uuid)
    assert files["Patient"][0]["name"][0]["family"] == record.family_name
    assert files["Observation"][0]["subject"]["reference"] == f"Patient/{record.uuid}"
    assert (
        AuditEvent.objects.reads().filter(action="fhir.export", patient_uuid=record.uuid).exists()
    )


def test_pseudonymised_files_hold_no_names_contacts_or_real_ids(record, tmp_path, today, settings):
    settings.FHIR_PSEUDONYM_KEY = KEY
    call_command("export_fhir", tmp_path, since=today.isoformat(), pseudonymise=True)
    text = "".join(f.read_text() for f in tmp_path.glob("*.ndjson"))
    for secret in (str(record.uuid), record.family_name, record.mrn, record.user.email, "City Lab"):
        assert secret not in text
    files = read_dir(tmp_path)
    [patient] = files["Patient"]
    assert "name" not in patient and "telecom" not in patient and "identifier" not in patient
    assert patient["birthDate"] == str(record.date_of_birth.year)
    # References still join up, and the same key gives the same pseudonym next time.
    assert files["Observation"][0]["subject"]["reference"] == f"Patient/{patient['id']}"
    again = tmp_path / "again"
    call_command("export_fhir", again, since=today.isoformat(), pseudonymise=True)
    assert read_dir(again)["Patient"][0]["id"] == patient["id"]


def test_pseudonymising_needs_a_key(tmp_path, today, settings):
    settings.FHIR_PSEUDONYM_KEY = ""
    with pytest.raises(CommandError, match="FHIR_PSEUDONYM_KEY"):
        call_command("export_fhir", tmp_path, since=today.isoformat(), pseudonymise=True)


@pytest.mark.parametrize("since", ["yesterday", "1899-12-31", "2999-01-01"])
def test_an_implausible_since_is_refused(tmp_path, since):
    with pytest.raises(CommandError, match="--since"):
        call_command("export_fhir", tmp_path, since=since)
