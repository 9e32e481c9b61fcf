"""Hypothesis posts arbitrary bodies to every treatment form: never a 500, and a refused form
saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treatment import services

ALLOWED = {200, 302, 400, 403, 404, 405}
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
            "2.8",
            "10.05",
            "28",
            "29",
            "1e9",
            "nan",
            "2026-02-30",
            "2999-01-01",
            "1899-12-31",
            "25:61",
            "08:30",
            "abdomen_left",
            "arm_right",
            "large",
            "lasting",
            "forgot",
            "no_supply",
            "pregnant",
            "maybe",
            "yes",
            "headache",
            "x" * 3000,
            "a\x00b",
        ]
    ),
)
FIELDS = [
    "day",
    "time",
    "site",
    "reaction",
    "note",
    "reason",
    "score",
    "taught_on",
    "assessed_on",
    "tender_joints",
    "swollen_joints",
    "patient_global",
    "evaluator_global",
    "which",
    "symptom",
    "severity",
    "since",
    "getting_worse",
    "fever",
    "message",
]
WATCHED = [
    "treatment.InjectionEntry",
    "treatment.AttentionItem",
    "treatment.CdaiAssessment",
    "treatment.PatientGlobal",
    "treatment.InjectionTeaching",
    "portal.Concern",
]


def _counts():
    return {label: apps.get_model(label).objects.count() for label in WATCHED}


@pytest.fixture
def form_urls(started_days_ago, today):
    therapy = started_days_ago(days=90)
    patient = therapy.patient
    entry = services.log_injection(
        patient=patient,
        therapy=therapy,
        day=today - dt.timedelta(days=1),
        time=None,
        site="arm_left",
        now=dt.datetime.now(),
        today=today,
    )
    item = services.log_injection(
        patient=patient,
        therapy=therapy,
        day=today - dt.timedelta(days=2),
        time=None,
        site="arm_right",
        reaction="large",
        now=dt.datetime.now(),
        today=today,
    ).attention_items.get()
    return {
        "patient": [
            "/my/treatment/diary/",
            "/my/treatment/diary/missed/",
            f"/my/treatment/diary/{entry.uuid}/reaction/",
            "/my/treatment/review-score/",
            "/my/concerns/new/side_effects/",
            "/my/concerns/new/pregnancy/",
        ],
        "nurse": [
            f"/patients/{patient.uuid}/teaching/",
            f"/treatment/attention/{item.uuid}/resolve/",
        ],
        "clinician": [f"/patients/{patient.uuid}/cdai/"],
    }


@pytest.mark.django_db
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8), which=st.integers(0, 60))
def test_no_treatment_form_answers_500_or_half_saves(
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
