"""The pure ORU^R01 reader and the ACK builder: text in, values out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import hl7
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interop.hl7 import ack, oru
from tests.interop.hl7_fixtures import oru as oru_text

NOW = dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC)


def read(text: str, authority: str = "RIVERSIDE"):
    return oru.read_oru(text, assigning_authority=authority, tz="Europe/London", now=NOW)


def test_a_neutrophil_count_is_read_with_its_patient_order_and_time():
    message = read(oru_text())
    assert message.control_id == "LAB-0001"
    assert message.sending_facility == "RIVERSIDE LAB"
    [count] = message.observations  # the leukocyte and lymphocyte rows are ignored
    assert count.code == "751-8"
    assert count.value == Decimal("0.80")
    assert count.patient.mrn == "MRN-1"
    assert count.patient.date_of_birth == dt.date(1970, 1, 1)
    assert count.filler_order == "FILL-778"
    assert count.sampled_at == dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.UTC)  # London in winter
    assert count.problems == ()


@pytest.mark.parametrize(
    ("value", "units", "expected"),
    [
        ("0.8", "10*9/L", "0.80"),
        ("2.345", "10*3/uL", "2.35"),
        ("1800", "/uL", "1.80"),
        ("950", "cells/uL", "0.95"),
        ("4200", "/mm3", "4.20"),
    ],
)
def test_every_accepted_unit_is_converted_to_10_9_per_litre(value, units, expected):
    [count] = read(oru_text(value=value, units=units)).observations
    assert count.value == Decimal(expected)
    assert count.problems == ()


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"units": "g/L"}, "unit"),
        ({"value": "<0.1"}, "not a number"),
        ({"value": "NaN"}, "not a number"),
        ({"value": "-1"}, "negative"),
        ({"value": "1e9"}, "plausible"),
        ({"sampled": "20270101"}, "future"),
        ({"sampled": "2026011"}, "not an HL7 date"),
        ({"sampled": "18990101", "dob": "18000101"}, "before 1900"),
        ({"sampled": "19690101"}, "before the date of birth"),
        ({"dob": "1970-01-01"}, "PID-7"),
        ({"status": "X"}, "OBX-11"),
    ],
)
def test_a_count_that_cannot_be_filed_carries_the_reason(changes, problem):
    [count] = read(oru_text(**changes)).observations
    assert any(problem in text for text in count.problems), count.problems


def test_the_record_number_must_come_from_the_clinics_assigning_authority():
    [count] = read(oru_text(), authority="ELSEWHERE").observations
    assert count.patient.mrn == ""
    assert "ELSEWHERE" in count.problems[0]


def test_obr_7_gives_the_time_when_obx_14_is_empty():
    text = oru_text().replace("|||20260110080000\r", "|||\r")
    [count] = read(text).observations
    assert count.sampled_at.date() == dt.date(2026, 1, 10)


def test_a_correction_is_marked():
    [count] = read(oru_text(status="C")).observations
    assert count.is_correction


def test_line_feeds_between_segments_are_taken():
    assert read(oru_text().replace("\r", "\n")).observations


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("", "AE", ""),
        ("PID|1||x", "AE", ""),
        (oru_text().replace("MSH|^~\\&|", "MSH|^^^^|"), "AE", "MSH-2"),
        (oru_text().replace("|LAB-0001|", "||"), "AE", "MSH-10"),
        (oru_text().replace("ORU^R01^ORU_R01", "ADT^A01^ADT_A01"), "AR", "MSH-9"),
        (oru_text().replace("|2.5.1|", "|2.7|"), "AR", "MSH-12"),
    ],
)
def test_a_message_that_cannot_be_taken_says_why(text, code, where):
    with pytest.raises(oru.MessageError) as caught:
        read(text)
    assert caught.value.code == code
    assert caught.value.location == where


@pytest.mark.parametrize("version", oru.SUPPORTED_VERSIONS)
def test_versions_2_3_to_2_5_1_are_taken(version):
    assert read(oru_text().replace("|2.5.1|", f"|{version}|")).version == version


def test_the_ack_answers_the_control_id_and_the_error():
    error = oru.MessageError("PID-7 is odd | really", location="PID-7", hl7_code="102")
    text = ack.build_ack(oru_text(), code="AE", control_id="ACK-1", error=error, now=NOW)
    message = hl7.parse(text)
    assert message["MSH.F9.R1.C1"] == "ACK"
    assert message["MSA.F1"] == "AE"
    assert message["MSA.F2"] == "LAB-0001"
    assert message.segment("MSA").extract_field(None, 3) == "PID-7 is odd | really"
    assert message["ERR.F2.R1.C1"] == "PID"
    assert message["ERR.F3.R1.C1"] == "102"
    # Addressed back to the sender.
    assert message["MSH.F5"] == "LABSYS"


def test_a_message_too_broken_to_read_still_gets_an_ack():
    error = oru.MessageError("nonsense")
    message = hl7.parse(ack.build_ack("\x00\xff", code="AE", control_id="A", error=error, now=NOW))
    assert message["MSA.F1"] == "AE"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_is_either_read_or_refused_with_a_reason(text):
    for candidate in (text, "MSH|^~\\&|" + text, oru_text()[:200] + text):
        try:
            read(candidate)
        except oru.MessageError as error:
            assert error.code in {"AE", "AR"}
            assert error.text
            reply = ack.build_ack(candidate, code=error.code, control_id="F", error=error, now=NOW)
            assert hl7.parse(reply)["MSA.F1"] == error.code


fields = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n"), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(value=fields, units=fields, sampled=fields, dob=fields, status=fields, mrn=fields)
def test_arbitrary_field_values_never_crash_and_never_lose_the_count(
    value, units, sampled, dob, status, mrn
):
    try:
        message = read(
            oru_text(value=value, units=units, sampled=sampled, dob=dob, status=status, mrn=mrn)
        )
    except oru.MessageError:
        return
    for count in message.observations:
        # Either a clean, plausible number or a reason for a nurse to look.
        if count.value is None:
            assert count.problems
        else:
            assert Decimal(0) <= count.value <= oru.MAX_VALUE
