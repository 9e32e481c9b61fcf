"""Storing HL7 messages and filing their counts: resends, corrections, the unmatched list."""

from __future__ import annotations

from decimal import Decimal

import hl7
import pytest

from clinic_portal.audit.models import AuditEvent
from clinic_portal.core.clock import clinic_today
from followups.models import Alert, NeutrophilResult
from interop import services
from interop.models import InboundMessage, LabResult

pytestmark = pytest.mark.django_db


def ack_of(reply) -> hl7.Message:
    return hl7.parse(reply.ack)


def test_a_low_count_completes_the_check_raises_an_urgent_alert_and_names_the_lab(
    lab_message, patient, check_due_today
):
    reply = services.receive_hl7(lab_message(value="0.8").encode(), today=clinic_today())
    assert ack_of(reply)["MSA.F1"] == "AA"
    assert ack_of(reply)["MSA.F2"] == "LAB-0001"
    result = NeutrophilResult.objects.get(patient=patient)
    assert result.value == Decimal("0.80")
    assert result.followup == check_due_today
    check_due_today.refresh_from_db()
    assert check_due_today.status == "completed"
    assert Alert.objects.get(patient=patient).severity == "urgent"
    recorded = AuditEvent.objects.get(action="result.record", patient_uuid=patient.uuid)
    assert recorded.actor_label.startswith("lab.riverside-lab.")
    assert recorded.actor.full_name == "Lab: RIVERSIDE LAB"
    assert not recorded.actor.is_active and not recorded.actor.has_usable_password()
    assert LabResult.objects.get().state == "filed"


def test_a_resent_message_is_accepted_again_and_files_nothing_twice(lab_message, patient):
    first = services.receive_hl7(lab_message().encode(), today=clinic_today())
    second = services.receive_hl7(lab_message().encode(), today=clinic_today())
    assert ack_of(second)["MSA.F1"] == "AA"
    assert second.ack == first.ack
    assert NeutrophilResult.objects.filter(patient=patient).count() == 1
    assert InboundMessage.objects.count() == 1


def test_a_correction_supersedes_the_result_of_the_same_filler_order(lab_message, patient):
    services.receive_hl7(lab_message(value="0.8").encode(), today=clinic_today())
    services.receive_hl7(
        lab_message(value="1.8", status="C", control_id="LAB-0002").encode(), today=clinic_today()
    )
    original, correction = NeutrophilResult.objects.filter(patient=patient).order_by("pk")
    assert correction.supersedes == original
    assert correction.value == Decimal("1.80")


def test_a_correction_of_another_order_does_not_supersede(lab_message, patient):
    services.receive_hl7(lab_message(value="0.8").encode(), today=clinic_today())
    services.receive_hl7(
        lab_message(value="1.8", status="C", control_id="LAB-0002", filler="OTHER-1").encode(),
        today=clinic_today(),
    )
    assert not NeutrophilResult.objects.filter(supersedes__isnull=False).exists()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"mrn": "NOSUCH01"}, "No patient has the record number NOSUCH01"),
        ({"dob": "19000101"}, "does not match"),
        ({"units": "mmol/L"}, "unit"),
        ({"value": "pending"}, "not a number"),
        ({"sampled": "20990101"}, "future"),
    ],
)
def test_a_count_that_cannot_be_filed_waits_for_a_nurse(lab_message, patient, changes, reason):
    reply = services.receive_hl7(lab_message(**changes).encode(), today=clinic_today())
    assert ack_of(reply)["MSA.F1"] == "AA"  # stored: the lab need not send it again
    waiting = LabResult.objects.unmatched().get()
    assert any(reason in problem for problem in waiting.problems), waiting.problems
    assert waiting.patient is None
    assert not NeutrophilResult.objects.exists()
    assert AuditEvent.objects.filter(action="lab_result.unmatched").exists()


def test_a_preliminary_count_is_kept_but_not_filed(lab_message):
    services.receive_hl7(lab_message(status="P").encode(), today=clinic_today())
    assert LabResult.objects.get().state == "not_final"
    assert not NeutrophilResult.objects.exists()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"\x0b\x1c", "AE"),
        (b"MSH|^~\\&|LAB|X|||2026||ADT^A01|C1|P|2.5.1\rPID|1", "AR"),
        ("MSH|^~\\&|LAB|Caf\u00e9|||||ORU^R01|C1|P|2.5.1".encode("latin-1"), "AE"),
    ],
)
def test_a_message_that_cannot_be_taken_is_kept_and_answered_with_the_reason(raw, code):
    reply = services.receive_hl7(raw, today=clinic_today())
    assert ack_of(reply)["MSA.F1"] == code
    kept = InboundMessage.objects.get()
    assert bytes(kept.raw) == raw
    assert kept.outcome == code
    assert kept.error
    assert kept.control_id is None  # a corrected resend under the same id is taken


def test_iso_8859_1_declared_in_msh_18_is_read(lab_message, patient):
    text = lab_message(family="Caf\u00e9").replace("|AL|NE", "|AL|NE||8859/1")
    reply = services.receive_hl7(text.encode("latin-1"), today=clinic_today())
    assert ack_of(reply)["MSA.F1"] == "AA"
    assert LabResult.objects.get().reported_family_name == "Caf\u00e9"


def test_a_resend_with_a_new_timestamp_is_still_the_same_message(lab_message, patient):
    services.receive_hl7(lab_message().encode(), today=clinic_today())
    restamped = lab_message().replace("20260110093000+0000", "20260110101500+0000")
    assert ack_of(services.receive_hl7(restamped.encode(), today=clinic_today()))["MSA.F1"] == "AA"
    assert NeutrophilResult.objects.count() == 1


def test_a_control_id_reused_for_other_contents_is_refused_and_kept(lab_message, patient):
    services.receive_hl7(lab_message(value="0.8").encode(), today=clinic_today())
    reply = services.receive_hl7(lab_message(value="3.2").encode(), today=clinic_today())
    assert ack_of(reply)["MSA.F1"] == "AE"
    assert ack_of(reply)["ERR.F3.R1.C1"] == "205"
    assert NeutrophilResult.objects.get().value == Decimal("0.80")
    kept = InboundMessage.objects.get(outcome="AE")
    assert b"|3.2|" in bytes(kept.raw)


@pytest.mark.django_db(transaction=True)
def test_the_same_message_arriving_twice_at_once_is_filed_once(lab_message, patient):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite locks the table)")
    raw = lab_message().encode()

    def receive(_):
        try:
            return ack_of(services.receive_hl7(raw, today=clinic_today()))["MSA.F1"]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        codes = list(pool.map(receive, range(2)))
    assert codes == ["AA", "AA"]
    assert NeutrophilResult.objects.filter(patient=patient).count() == 1
    assert InboundMessage.objects.count() == 1
