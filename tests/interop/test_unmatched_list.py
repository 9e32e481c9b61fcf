"""The nurse's unmatched-results list: attach with both identities shown, or reject with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from clinic_portal.core.clock import clinic_today
from followups.models import Alert, NeutrophilResult
from interop import services
from interop.models import LabResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(lab_message):
    services.receive_hl7(
        lab_message(mrn="NOSUCH01", value="800", units="/uL").encode(), today=clinic_today()
    )
    return LabResult.objects.unmatched().get()


def test_the_nurse_finds_the_patient_compares_identities_and_attaches(
    web_as, nurse, waiting, patient
):
    app = web_as(nurse)
    listing = app.get(reverse("interop:unmatched"))
    assert "No patient has the record number NOSUCH01" in listing.text
    assert "below 1.0" in listing.text  # 800 /uL is 0.8 x 10^9/L: the nurse sees it is urgent
    detail = listing.click(href=reverse("interop:unmatched_detail", args=[waiting.uuid]))
    find = next(f for f in detail.forms.values() if "mrn" in f.fields)
    find["mrn"] = patient.mrn.lower()
    confirm = find.submit().follow()
    # Both identities side by side.
    assert "NOSUCH01" in confirm.text
    assert patient.mrn in confirm.text
    assert patient.date_of_birth.strftime("%-d %b %Y") in confirm.text
    form = next(f for f in confirm.forms.values() if "confirm" in f.fields)
    assert form["value"].value == "0.80"
    unconfirmed = form.submit(status=400)
    assert "This field is required" in unconfirmed.text
    form = next(f for f in unconfirmed.forms.values() if "confirm" in f.fields)
    form["confirm"] = True
    form.submit().follow()
    waiting.refresh_from_db()
    assert waiting.state == "attached"
    assert waiting.resolved_by == nurse
    result = NeutrophilResult.objects.get(patient=patient)
    assert result.value == Decimal("0.80")
    assert Alert.objects.get(patient=patient).severity == "urgent"
    assert AuditEvent.objects.filter(
        action="lab_result.attach", actor=nurse, patient_uuid=patient.uuid
    ).exists()
    assert AuditEvent.objects.reads().filter(patient_uuid=patient.uuid).exists()


def test_an_unknown_record_number_is_said_plainly(web_as, nurse, waiting):
    detail = web_as(nurse).get(reverse("interop:unmatched_detail", args=[waiting.uuid]))
    find = next(f for f in detail.forms.values() if "mrn" in f.fields)
    find["mrn"] = "ZZZZ9999"
    answer = find.submit(status=400)
    assert "No active patient has that record number" in answer.text
    assert LabResult.objects.get().state == "unmatched"


def test_the_nurse_rejects_with_a_reason(web_as, nurse, waiting):
    page = web_as(nurse).get(reverse("interop:reject", args=[waiting.uuid]))
    form = next(f for f in page.forms.values() if "reason" in f.fields)
    form["reason"] = "Not our patient; the lab will resend to the right clinic."
    form.submit().follow()
    waiting.refresh_from_db()
    assert waiting.state == "rejected"
    assert "Not our patient" in waiting.resolution_note
    assert AuditEvent.objects.filter(action="lab_result.reject", actor=nurse).exists()


def test_a_result_dealt_with_cannot_be_attached_again(nurse, waiting, patient):
    services.reject_result(result=waiting, actor=nurse, reason="Duplicate")
    with pytest.raises(services.ResultError):
        services.attach_result(
            result=waiting, patient=patient, actor=nurse, value=Decimal(1), today=clinic_today()
        )
    assert not NeutrophilResult.objects.exists()


def test_patients_and_the_clinic_admin_cannot_see_the_list(client_for, patient_user, clinic_admin):
    assert client_for(patient_user).get(reverse("interop:unmatched")).status_code == 404
    assert client_for(clinic_admin).get(reverse("interop:unmatched")).status_code == 403
