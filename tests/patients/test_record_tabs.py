"""The record opens on its summary; the rest is a tab each, with its own address, working with
and without htmx, each read in the access log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from care.record import TABS
from clinic_portal.audit.models import AuditEvent
from followups import services as followup_services
from followups.models import FollowUp
from portal import concerns
from portal.models import Concern

TAB_KEYS = [tab.key for tab in TABS if tab.key != "overview"]


def tab_url(patient, key: str) -> str:
    return reverse("patients:record_tab", args=[patient.uuid, key])


@pytest.fixture
def busy_record(therapy, nurse, today):
    """A patient on Kineret with an overdue check, two counts and an open report."""
    patient = therapy.patient
    FollowUp.objects.filter(pk=FollowUp.objects.filter(therapy=therapy).first().pk).update(
        due_date=today - dt.timedelta(days=20)
    )
    for days, value in ((30, "2.4"), (10, "1.9")):
        followup_services.record_result(
            patient=patient,
            actor=nurse,
            value=Decimal(value),
            sample_date=today - dt.timedelta(days=days),
            lab="Riverside lab",
            today=today,
        )
    concerns.report_concern(
        patient=patient,
        author=patient.user,
        category=Concern.Category.RASH,
        details={},
        message="A red patch",
        today=today,
    )
    return patient


def test_the_summary_shows_what_a_clinician_needs_on_opening(client_for, clinician, busy_record):
    html = client_for(clinician).get(busy_record.get_absolute_url()).content.decode()
    assert "On Kineret" in html  # the therapy's state, with its actions
    assert "Stop therapy" in html
    assert "Overdue" in html  # the overdue check, and those next
    assert "1.9" in html and "2.4" in html  # the latest counts
    report = Concern.objects.get(patient=busy_record)
    assert reverse("portal:triage_detail", args=[report.uuid]) in html  # the open report
    assert 'aria-current="page">Summary<' in html
    # What is rarely needed waits behind its tab.
    assert "Nothing has happened yet" not in html and "Assign pages" not in html
    for key in TAB_KEYS:
        assert f'href="{tab_url(busy_record, key)}"' in html


def test_a_resolved_report_leaves_the_summary(client_for, clinician, busy_record):
    Concern.objects.filter(patient=busy_record).update(status=Concern.Status.RESOLVED)
    html = client_for(clinician).get(busy_record.get_absolute_url()).content.decode()
    assert "No open reports." in html


@pytest.mark.parametrize("key", TAB_KEYS)
def test_each_tab_is_a_page_of_its_own_and_its_read_is_audited(client_for, nurse, busy_record, key):
    response = client_for(nurse).get(tab_url(busy_record, key))
    assert response.status_code == 200
    html = response.content.decode()
    assert "patient-banner" in html  # opened by its address: the whole page, banner first
    url = tab_url(busy_record, key)
    assert f'id="record-tab-{key}" href="{url}" hx-get="{url}" aria-current="page">' in html
    assert 'aria-current="page">Summary<' not in html
    assert AuditEvent.objects.filter(
        action="patient.view", actor=nurse, patient_uuid=busy_record.uuid, detail={"tab": key}
    ).exists()


def test_a_tab_loaded_by_htmx_comes_alone_and_a_history_restore_gets_the_page(
    client_for, clinician, busy_record
):
    client = client_for(clinician)
    alone = client.get(tab_url(busy_record, "checks"), HTTP_HX_REQUEST="true")
    html = alone.content.decode()
    assert html.startswith('<div id="record-tab">')
    assert "patient-banner" not in html and "<html" not in html
    assert "Riverside lab" in html  # the counts table
    assert "HX-Request" in alone["Vary"]
    restored = client.get(
        tab_url(busy_record, "checks"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "patient-banner" in restored.content.decode()
    assert (
        AuditEvent.objects.filter(
            action="patient.view", patient_uuid=busy_record.uuid, detail={"tab": "checks"}
        ).count()
        == 2
    )


def test_an_unknown_tab_is_a_404(client_for, clinician, patient):
    assert client_for(clinician).get(tab_url(patient, "nothing")).status_code == 404


def test_the_diary_tab_names_the_diary_read(client_for, clinician, busy_record):
    client_for(clinician).get(tab_url(busy_record, "diary"))
    assert AuditEvent.objects.filter(
        action="treatment.diary", patient_uuid=busy_record.uuid
    ).exists()


def test_the_summary_warns_when_the_record_and_the_signed_screening_disagree(
    client_for, nurse, signed_screening, patient
):
    signed_screening(medications=["Methotrexate 15 mg weekly", "Folic acid 5 mg weekly"])
    html = client_for(nurse).get(patient.get_absolute_url()).content.decode()
    assert "data-medicines-note" in html
    assert "Folic acid 5 mg weekly" in html


def test_a_patient_with_no_screening_is_offered_one_on_the_summary(client_for, nurse, patient):
    html = client_for(nurse).get(patient.get_absolute_url()).content.decode()
    assert "Not on Kineret." in html
    assert reverse("screening:new", args=[patient.uuid]) in html


def test_the_nurse_sees_the_therapy_without_the_rheumatologists_actions(
    client_for, nurse, clinician, signed_screening, patient
):
    signed_screening()
    start = "Start therapy"
    assert start in client_for(clinician).get(patient.get_absolute_url()).content.decode()
    nurse_html = client_for(nurse).get(patient.get_absolute_url()).content.decode()
    assert "allows starting Kineret" in nurse_html and start not in nurse_html
