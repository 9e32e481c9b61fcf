"""Hypothesis posts arbitrary bodies to every form view as a user of the right role: the answer is
always 200, 302, 400, 403, 404 or 405, never 500, and a refused form saves nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followups.models import FollowUp

ALLOWED = {200, 302, 400, 403, 404, 405, 429}
VALUES = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
        max_size=30,
    ),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1.4",
            "0.9",
            "60",
            "1e9",
            "nan",
            "2026-11-22",
            "2999-01-01",
            "2026-02-30",
            "yes",
            "on",
            "MMR",
            "Shingrix",
            "daily",
            "every_other_day",
            "reply",
            "resolve",
            "escalate",
            "acknowledge",
            "patients",
            "staff",
            "active_kineret",
            "fever",
            "x" * 3000,
        ]
    ),
)
FIELDS = [
    "value",
    "sample_date",
    "lab",
    "notes",
    "name",
    "given_on",
    "dose_number",
    "where_given",
    "reason",
    "new_date",
    "start_date",
    "dose_mg",
    "interval",
    "override_reason",
    "stopped_on",
    "title",
    "slug",
    "summary",
    "body",
    "tags",
    "audience",
    "essential",
    "temperature",
    "since",
    "message",
    "vaccine",
    "date",
    "phone",
    "preferred_language",
    "email",
    "action",
    "note",
    "group",
    "pages",
    "code",
    "not_started_reason",
    "new_password1",
    "new_password2",
    "old_password",
    "start",
    "end",
    "patient",
]
# Rows that a half-saved form would leave behind.
WATCHED = [
    "followups.NeutrophilResult",
    "followups.Vaccination",
    "followups.TherapyCourse",
    "education.Page",
    "portal.Concern",
    "portal.ConcernMessage",
    "patients.PatientVersion",
]


def _counts():
    return {label: apps.get_model(label).objects.count() for label in WATCHED}


@pytest.fixture
def form_urls(therapy, patient):
    followup = FollowUp.objects.filter(therapy=therapy).first()
    return {
        "nurse": [
            reverse("followups:followup_result", args=[followup.uuid]),
            reverse("followups:followup_vaccination", args=[followup.uuid]),
            reverse("followups:followup_not_done", args=[followup.uuid]),
            reverse("followups:followup_reschedule", args=[followup.uuid]),
            reverse("followups:patient_result", args=[patient.uuid]),
            reverse("followups:patient_vaccination", args=[patient.uuid]),
            reverse("education:create"),
            reverse("accounts:password_change"),
        ],
        "clinician": [
            reverse("followups:therapy_stop", args=[therapy.uuid]),
            reverse("followups:therapy_start", args=[therapy.screening.uuid]),
            reverse("patients:archive", args=[patient.uuid]),
        ],
        "patient": [
            reverse("portal:concern_new", args=["fever"]),
            reverse("portal:concern_new", args=["vaccination"]),
            reverse("portal:concern_new", args=["other"]),
            reverse("portal:profile"),
        ],
    }


@pytest.mark.django_db
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8), which=st.integers(0, 50))
def test_no_form_answers_500_or_half_saves(
    client_for, nurse, clinician, patient, form_urls, body, which
):
    users = {"nurse": nurse, "clinician": clinician, "patient": patient.user}
    role = list(form_urls)[which % len(form_urls)]
    url = form_urls[role][which % len(form_urls[role])]
    client = client_for(users[role])
    before = _counts()
    # Hand-built on purpose: fuzzing sends what no rendered form would.
    response = client.post(url, body)
    assert response.status_code in ALLOWED, (url, body, response.status_code)
    if response.status_code != 302:
        assert _counts() == before, (url, body)
