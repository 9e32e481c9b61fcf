"""The FHIR R4 API: bearer tokens and scopes, valid resources, audited reads, POST Observation."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from clinic_portal.audit.models import AuditEvent
from followups import services as followup_services
from followups.models import Alert, NeutrophilResult
from interop import clients

pytestmark = pytest.mark.django_db

BASE = "/fhir/R4"


@pytest.fixture
def reader(clinic_admin):
    client, token = clients.create_client(
        name="County Hospital", scopes=["patient/*.read"], actor=clinic_admin
    )
    return client, token


@pytest.fixture
def writer(clinic_admin):
    return clients.create_client(
        name="Lab gateway", scopes=["Observation.write"], actor=clinic_admin
    )


def api(token: str | None = None) -> Client:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(**headers)


def valid(payload: dict):
    """Every resource the API returns must validate with fhir.resources."""
    model = get_fhir_model_class(payload["resourceType"])
    resource = model.model_validate(payload)
    if payload["resourceType"] == "Bundle":
        for entry in payload.get("entry", []):
            valid(entry["resource"])
    return resource


@pytest.fixture
def record(patient, therapy, nurse, today):
    """A patient with a course, a signed screening, a low count, a vaccination and an alert."""
    followup_services.record_result(
        patient=patient,
        actor=nurse,
        value=Decimal("0.8"),
        sample_date=today,
        lab="City Lab",
        today=today,
    )
    followup_services.record_vaccination(
        patient=patient, actor=nurse, name="Shingrix", given_on=today, dose_number=1, today=today
    )
    return patient


def test_without_a_token_the_answer_is_401_with_an_operation_outcome(record):
    for url in (f"{BASE}/Patient/{record.uuid}", f"{BASE}/Observation?patient={record.uuid}"):
        response = api().get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        body = response.json()
        assert body["resourceType"] == "OperationOutcome"
        valid(body)
    assert api("cpf_not-a-token").get(f"{BASE}/Patient/{record.uuid}").status_code == 401


def test_a_logged_in_staff_session_is_not_enough(client_for, clinician, record):
    assert client_for(clinician).get(f"{BASE}/Patient/{record.uuid}").status_code == 401


def test_metadata_lists_what_is_supported(reader):
    response = api().get(f"{BASE}/metadata")
    assert response.status_code == 200
    statement = valid(response.json())
    served = {r.type: {i.code for i in r.interaction} for r in statement.rest[0].resource}
    assert served["Observation"] == {"read", "search-type", "create"}
    assert set(served) == {
        "Patient",
        "Observation",
        "Immunization",
        "MedicationStatement",
        "QuestionnaireResponse",
        "Flag",
    }


def test_a_patient_is_read_by_id_and_by_identifier_and_the_read_is_audited(reader, record):
    client, token = reader
    response = api(token).get(f"{BASE}/Patient/{record.uuid}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    patient = valid(response.json())
    assert patient.identifier[0].value == record.mrn
    assert str(patient.birthDate) == record.date_of_birth.isoformat()
    event = AuditEvent.objects.reads().get(action="fhir.patient.read")
    assert event.actor == client.account
    assert event.patient_uuid == record.uuid

    bundle = api(token).get(f"{BASE}/Patient", {"identifier": record.mrn.lower()}).json()
    valid(bundle)
    assert bundle["total"] == 1
    assert bundle["entry"][0]["resource"]["id"] == str(record.uuid)
    assert api(token).get(f"{BASE}/Patient", {"identifier": "urn:other|X"}).json()["total"] == 0


def test_the_record_reads_as_valid_r4_resources(reader, record):
    _, token = reader
    got = {}
    for kind in (
        "Observation",
        "Immunization",
        "MedicationStatement",
        "QuestionnaireResponse",
        "Flag",
    ):
        response = api(token).get(f"{BASE}/{kind}", {"patient": str(record.uuid)})
        assert response.status_code == 200, response.content
        bundle = response.json()
        valid(bundle)
        assert bundle["type"] == "searchset"
        got[kind] = [entry["resource"] for entry in bundle["entry"]]
    [count] = got["Observation"]
    assert count["code"]["coding"][0]["code"] == "751-8"
    assert count["valueQuantity"] == {
        "value": 0.8,
        "unit": "10^9/L",
        "system": "http://unitsofmeasure.org",
        "code": "10*9/L",
    }
    assert count["interpretation"][0]["coding"][0]["code"] == "LL"
    [course] = got["MedicationStatement"]
    codings = {c["system"]: c["code"] for c in course["medicationCodeableConcept"]["coding"]}
    assert codings["http://www.nlm.nih.gov/research/umls/rxnorm"] == "72435"
    assert course["dosage"][0]["timing"]["repeat"] == {
        "frequency": 1,
        "period": 1,
        "periodUnit": "d",
    }
    [screening] = got["QuestionnaireResponse"]
    outcome = next(e for e in screening["extension"] if e["url"].endswith("screening-outcome"))
    assert outcome["valueCoding"]["code"] == "clear"
    assert got["Immunization"][0]["vaccineCode"]["text"]
    assert got["Flag"][0]["status"] == "active"
    assert (
        got["Observation"]
        and api(token)
        .get(
            f"{BASE}/Observation", {"patient": str(record.uuid), "code": "http://loinc.org|9999-9"}
        )
        .json()["total"]
        == 0
    )


def test_search_results_are_paged(reader, patient, nurse, today):
    _, token = reader
    for day in range(5):
        followup_services.record_result(
            patient=patient,
            actor=nurse,
            value=Decimal("2.0"),
            sample_date=today - dt.timedelta(days=day),
            lab="Lab",
            today=today,
        )
    first = api(token).get(f"{BASE}/Observation", {"patient": patient.uuid, "_count": 2}).json()
    assert first["total"] == 5
    assert len(first["entry"]) == 2
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert "previous" not in links
    second = api(token).get(links["next"]).json()
    assert len(second["entry"]) == 2
    assert {e["resource"]["id"] for e in first["entry"]}.isdisjoint(
        e["resource"]["id"] for e in second["entry"]
    )


@pytest.mark.parametrize(
    "query",
    [
        {},  # no patient
        {"patient": "not-a-uuid"},
        {"patient": "00000000-0000-0000-0000-000000000000", "subject:missing": "x"},
        {"patient": "00000000-0000-0000-0000-000000000000", "_count": "zero"},
    ],
)
def test_a_bad_search_is_400_with_the_reason(reader, query):
    response = api(reader[1]).get(f"{BASE}/Observation", query)
    assert response.status_code == 400
    assert valid(response.json()).issue[0].diagnostics


def test_without_the_read_scope_no_patient_data_is_returned(writer, record):
    _, token = writer
    for url in (f"{BASE}/Patient/{record.uuid}", f"{BASE}/Observation?patient={record.uuid}"):
        response = api(token).get(url)
        assert response.status_code == 403
        assert record.family_name not in response.content.decode()
    assert not AuditEvent.objects.reads().filter(patient_uuid=record.uuid).exists()


def test_a_revoked_client_is_refused(reader, record, clinic_admin):
    client, token = reader
    clients.revoke_client(client=client, actor=clinic_admin)
    assert api(token).get(f"{BASE}/Patient/{record.uuid}").status_code == 401


def test_the_token_is_stored_only_as_a_hash(reader):
    client, token = reader
    client.refresh_from_db()
    assert token not in str(client.__dict__.values())
    assert client.token_hash == clients.hash_token(token)


def observation(patient, **changes) -> dict:
    body = {
        "resourceType": "Observation",
        "status": "final",
        "identifier": [{"system": "urn:lab:order", "value": "ORD-1"}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "751-8"}]},
        "subject": {"reference": f"Patient/{patient.uuid}"},
        "effectiveDateTime": dt.date.today().isoformat(),
        "valueQuantity": {
            "value": 0.8,
            "unit": "10*9/L",
            "system": "http://unitsofmeasure.org",
            "code": "10*9/L",
        },
    }
    body.update(changes)
    return body


def post(token, body) -> tuple[int, dict]:
    response = api(token).post(
        f"{BASE}/Observation", json.dumps(body), content_type="application/fhir+json"
    )
    return response.status_code, response.json()


def test_post_observation_files_the_count_like_a_lab_message(writer, patient):
    client, token = writer
    status, body = post(token, observation(patient))
    assert status == 201, body
    valid(body)
    result = NeutrophilResult.objects.get(patient=patient)
    assert result.value == Decimal("0.80")
    assert result.recorded_by == client.account
    assert Alert.objects.get(patient=patient).severity == "urgent"
    # The same POST again files nothing twice.
    assert post(token, observation(patient))[0] == 200
    assert NeutrophilResult.objects.filter(patient=patient).count() == 1
    # A correction of the same order supersedes it.
    status, body = post(
        token,
        observation(
            patient,
            status="corrected",
            valueQuantity={"value": 1800, "code": "/uL", "system": "http://unitsofmeasure.org"},
        ),
    )
    assert status == 201
    assert body["status"] == "corrected"
    assert NeutrophilResult.objects.get(supersedes=result).value == Decimal("1.80")


@pytest.mark.parametrize(
    ("changes", "status", "where"),
    [
        ({"valueQuantity": {"value": "abc"}}, 400, "Observation.valueQuantity.value"),
        ({"colour": "blue"}, 400, "Observation.colour"),
        ({"status": "preliminary"}, 422, "Observation.status"),
        (
            {"code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]}},
            422,
            "Observation.code",
        ),
        (
            {"subject": {"reference": "Patient/00000000-0000-0000-0000-000000000000"}},
            422,
            "Observation.subject",
        ),
        (
            {"valueQuantity": {"value": 2, "code": "g/L", "system": "http://unitsofmeasure.org"}},
            422,
            "Observation.valueQuantity.code",
        ),
        ({"effectiveDateTime": "2099-01-01"}, 422, "Observation.effectiveDateTime"),
    ],
)
def test_a_bad_observation_gets_an_outcome_naming_the_element(
    writer, patient, changes, status, where
):
    got, body = post(writer[1], observation(patient, **changes))
    assert got == status, body
    outcome = valid(body)
    assert where in [e for issue in outcome.issue for e in (issue.expression or [])]
    assert not NeutrophilResult.objects.exists()


def test_a_read_only_client_cannot_write(reader, patient):
    status, body = post(reader[1], observation(patient))
    assert status == 403
    assert body["resourceType"] == "OperationOutcome"


def test_not_json_is_400(writer):
    response = api(writer[1]).post(
        f"{BASE}/Observation", b"\x00{", content_type="application/fhir+json"
    )
    assert response.status_code == 400
    valid(response.json())


def test_patient_identifier_search_ignores_separators_and_case(reader, patient):
    mrn = patient.mrn
    spaced = f"{mrn[:3].lower()} {mrn[3:]}"
    assert api(reader[1]).get(f"{BASE}/Patient", {"identifier": spaced}).json()["total"] == 1


def test_an_unknown_resource_type_is_404_with_an_outcome(reader):
    response = api(reader[1]).get(f"{BASE}/Encounter")
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize("extra", [2, 12])
def test_a_search_costs_the_same_queries_at_any_size(
    reader, patient, nurse, today, django_assert_max_num_queries, extra
):
    for day in range(extra):
        followup_services.record_result(
            patient=patient,
            actor=nurse,
            value=Decimal("2.0"),
            sample_date=today - dt.timedelta(days=day),
            lab="Lab",
            today=today,
        )
    with django_assert_max_num_queries(8):
        response = api(reader[1]).get(f"{BASE}/Observation", {"patient": str(patient.uuid)})
    assert len(response.json()["entry"]) == extra


def test_the_patient_sees_a_connected_system_read_their_record(reader, record, client_for):
    api(reader[1]).get(f"{BASE}/Patient/{record.uuid}")
    page = client_for(record.user).get("/my/access-log/").content.decode()
    assert "to share it with a connected health system" in page


def test_an_unsupported_method_is_405_with_an_outcome(reader, patient):
    response = api(reader[1]).delete(f"{BASE}/Patient/{patient.uuid}")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    valid(response.json())
