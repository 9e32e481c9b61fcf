"""Whatever arrives, by MLLP or by POST, gets a clear answer and never a crash."""

from __future__ import annotations

import json

import hl7
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_portal.core.clock import clinic_today
from interop import clients, services
from interop.models import InboundMessage
from tests.interop.hl7_fixtures import oru

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(junk=st.binary(max_size=300), cut=st.integers(min_value=0, max_value=900))
def test_any_bytes_are_kept_and_answered(junk, cut):
    before = InboundMessage.objects.count()
    for raw in (junk, oru().encode()[:cut] + junk):
        reply = services.receive_hl7(raw, today=clinic_today())
        assert hl7.parse(reply.ack)["MSA.F1"] in {"AA", "AE", "AR"}
    assert InboundMessage.objects.count() >= before + 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@FUZZ
@given(
    field=st.sampled_from(
        ["status", "code", "subject", "effectiveDateTime", "valueQuantity", "identifier", "extra"]
    ),
    value=json_values,
)
def test_any_observation_body_gets_a_fhir_answer(client, clinic_admin, patient, field, value):
    _, token = clients.create_client(name="Fuzz", scopes=["Observation.write"], actor=clinic_admin)
    body = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "751-8"}]},
        "subject": {"reference": f"Patient/{patient.uuid}"},
        "effectiveDateTime": "2026-01-10",
        "valueQuantity": {"value": 2.0, "code": "10*9/L", "system": "http://unitsofmeasure.org"},
        field: value,
    }
    response = client.post(
        "/fhir/R4/Observation",
        json.dumps(body),
        content_type="application/fhir+json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code in {200, 201, 202, 400, 422}
    assert response.json()["resourceType"] in {"Observation", "OperationOutcome"}
