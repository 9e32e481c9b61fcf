"""Fixture ORU^R01 messages, filled in per test."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent / "messages"


def oru(
    *,
    mrn: str = "MRN-1",
    family: str = "Example",
    given: str = "Pat",
    dob: str = "19700101",
    sampled: str = "20260110080000",
    value: str = "0.8",
    units: str = "10*9/L",
    status: str = "F",
    control_id: str = "LAB-0001",
    filler: str = "FILL-778",
    name: str = "oru_0_8.hl7",
) -> str:
    text = (
        (HERE / name)
        .read_text()
        .format(
            mrn=mrn,
            family=family,
            given=given,
            dob=dob,
            sampled=sampled,
            value=value,
            units=units,
            status=status,
        )
    )
    text = text.replace("|LAB-0001|", f"|{control_id}|").replace("FILL-778", filler)
    return "\r".join(text.splitlines()) + "\r"
