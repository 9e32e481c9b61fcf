import uuid

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.engine import FIELD_NAMES
from screening.models import Screening

SCREENING_URLS = ["detail", "edit", "acknowledge", "sign", "amend"]


@pytest.mark.parametrize("name", SCREENING_URLS)
def test_patients_get_404_for_screenings_even_their_own(
    client_for, patient, make_screening, answers, name
):
    screening = make_screening(answers)
    url = reverse(f"screening:{name}", args=[screening.uuid])
    # Hand-built on purpose: patients are shown no screening page, so no form.
    assert client_for(patient.user).post(url).status_code == 404


@pytest.mark.parametrize("name", SCREENING_URLS)
def test_unknown_screening_ids_are_404(client_for, clinician, name):
    # Hand-built on purpose: an id nobody has renders no page and so no form.
    assert (
        client_for(clinician).post(reverse(f"screening:{name}", args=[uuid.uuid4()])).status_code
        == 404
    )


def test_screening_a_patient_of_nobody_is_404(client_for, clinician):
    assert (
        client_for(clinician).get(reverse("screening:new", args=[uuid.uuid4()])).status_code == 404
    )


def test_admins_without_a_care_role_are_refused(client_for, clinic_admin, patient):
    assert (
        client_for(clinic_admin).get(reverse("screening:new", args=[patient.uuid])).status_code
        == 403
    )


values = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "yes",
            "no",
            "",
            "-1",
            "0",
            "1.5",
            "38",
            "60",
            "1e400",
            "nan",
            "2026-13-01",
            "2030-01-01",
            "negative",
            "positive",
            "not_done",
            "MMR, 2026-01-01",
            "on",
        ]
    ),
)


@pytest.mark.django_db
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.dictionaries(st.sampled_from([*FIELD_NAMES, "action", "medications_none"]), values))
def test_no_post_body_crashes_the_screening_form(client_for, clinician, patient, body):
    before = Screening.objects.count()
    # Hand-built on purpose: fuzzing sends what no rendered form would.
    response = client_for(clinician).post(reverse("screening:new", args=[patient.uuid]), body)
    assert response.status_code in {302, 400}
    assert Screening.objects.count() == before + (1 if response.status_code == 302 else 0)
