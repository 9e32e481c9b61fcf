"""Hypothesis throws arbitrary POST bodies at the enrollment form: never a 500, never half a save."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_portal.accounts.models import User
from patients.models import Allergy, Patient

FIELDS = [
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "mrn",
    "email",
    "phone",
    "preferred_language",
    "responsible_clinician",
    "primary_nurse",
    "diagnosis",
    "diagnosis_onset",
    "current_medications",
    "relevant_conditions",
    "notes",
    "confirm_different_person",
    "allergies-TOTAL_FORMS",
    "allergies-INITIAL_FORMS",
    "allergies-0-substance",
    "allergies-0-severity",
    "allergies-0-id",
]
text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=40
)
values = st.one_of(
    text,
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1969-05-17",
            "2999-01-01",
            "31/02/2000",
            "female",
            "AB1234",
            "x@y.invalid",
            "rheumatoid_arthritis",
            "9" * 30,
            "1e9",
            "on",
        ]
    ),
)


@pytest.mark.django_db
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.dictionaries(st.sampled_from(FIELDS), values), base=st.booleans())
def test_no_post_body_crashes_or_half_saves_an_enrollment(
    client_for, clinician, enrollment_data, body, base
):
    client = client_for(clinician)
    data = (
        {**enrollment_data, "mrn": "FZ" + str(Patient.objects.count() + 1000)} if base else {}
    ) | body
    patients_before, users_before = Patient.objects.count(), User.objects.count()
    allergies_before = Allergy.objects.count()
    # Hand-built on purpose: fuzzing sends what no rendered form would.
    response = client.post("/patients/new/", data)
    assert response.status_code in {302, 400}
    created = Patient.objects.count() - patients_before
    assert created == (1 if response.status_code == 302 else 0)
    assert User.objects.count() - users_before == created
    if not created:
        assert Allergy.objects.count() == allergies_before
