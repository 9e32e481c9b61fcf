"""Neutrophil counts out of an HL7 v2 ``ORU^R01`` message. Pure: text in, plain values out.

python-hl7 does the parsing; this module only knows which fields hold what (HL7 v2.3 to v2.5.1)
and which of them we take. Nothing here touches the database or the clock: the caller passes the
moment it counts as "now" and the clinic's time zone.

- A neutrophil count is an OBX whose OBX-3 identifier is LOINC 751-8, 26499-4 or 753-4; every
  other OBX is ignored.
- The value (OBX-5) is converted to 10⁹/L from the unit in OBX-6.
- The sample time is OBX-14, else OBR-7. OBX-11 ``F`` is final, ``C`` corrects an earlier result
  of the same filler order (OBR-3).
- The patient is PID-3 (the repetition whose assigning authority is the clinic's) and PID-7.

Each observation carries its ``problems``: the reasons it cannot be filed automatically. A problem
never drops it; the service puts it on the unmatched list for a nurse.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import hl7
from hl7.exceptions import HL7Exception

NEUTROPHIL_LOINC = frozenset({"751-8", "26499-4", "753-4"})
LOINC_SYSTEMS = frozenset({"LN", "LOINC", "HTTP://LOINC.ORG"})
SUPPORTED_VERSIONS = ("2.3", "2.3.1", "2.4", "2.5", "2.5.1")

# Multiply the reported number by this to get 10⁹ cells per litre.
UNIT_FACTORS: dict[str, Decimal] = {
    "10*9/L": Decimal(1),
    "10*3/uL": Decimal(1),
    "/uL": Decimal("0.001"),
    "cells/uL": Decimal("0.001"),
    "/mm3": Decimal("0.001"),
}
# The highest count the nurse's result form accepts; anything above is a unit or typing error,
# not a neutrophil count, and goes to a nurse.
MAX_VALUE = Decimal(50)

FINAL, CORRECTED = "F", "C"
# Not yet a result: kept on the message, not filed and not for the nurse's list.
NOT_YET = frozenset({"P", "I", "R", "S", "O"})


class MessageError(Exception):
    """The message as a whole cannot be taken. ``code`` is the ACK code (AE or AR), ``hl7_code``
    the HL7 table 0357 error code and ``location`` the segment and field (``PID-7``)."""

    def __init__(self, text: str, *, code: str = "AE", hl7_code: str = "207", location: str = ""):
        super().__init__(text)
        self.text = text
        self.code = code
        self.hl7_code = hl7_code
        self.location = location


@dataclass(frozen=True)
class PatientIdentity:
    mrn: str
    assigning_authority: str
    family_name: str
    given_name: str
    date_of_birth: dt.date | None
    date_of_birth_text: str


@dataclass(frozen=True)
class NeutrophilObservation:
    patient: PatientIdentity
    filler_order: str
    set_id: str
    code: str
    value_text: str
    units: str
    value: Decimal | None
    status: str
    sampled_at: dt.datetime | None
    problems: tuple[str, ...] = field(default=())

    @property
    def is_correction(self) -> bool:
        return self.status == CORRECTED


@dataclass(frozen=True)
class OruMessage:
    control_id: str
    sending_application: str
    sending_facility: str
    version: str
    observations: tuple[NeutrophilObservation, ...]


@dataclass(frozen=True)
class Header:
    """MSH as far as it could be read; enough to address an ACK even to a bad message."""

    control_id: str = ""
    sending_application: str = ""
    sending_facility: str = ""
    message_type: str = ""
    trigger: str = ""
    version: str = ""


def decode(raw: bytes) -> str:
    """Bytes to text: ISO 8859-1 when MSH-18 says so, UTF-8 (the default we ask labs for)
    otherwise. Raises MessageError for bytes that are not valid in that encoding."""
    first_line = raw.split(b"\r", 1)[0].split(b"\n", 1)[0].decode("latin-1")
    fields = first_line.split(first_line[3]) if len(first_line) > 3 else []
    charset = fields[17].strip().upper() if len(fields) > 17 else ""
    if charset.startswith("8859/1"):
        return raw.decode("latin-1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MessageError(
            f"The message is not valid UTF-8 (byte {error.start}); declare ISO 8859-1 in "
            "MSH-18 as 8859/1 if that is what is sent.",
            hl7_code="102",
            location="MSH-18",
        ) from None


def normalise(text: str) -> str:
    """Segments end with CR; some senders use LF or CRLF. Trailing blank segments go."""
    return "\r".join(line for line in re.split(r"\r\n|\r|\n", text) if line.strip())


def _check_delimiters(text: str) -> None:
    if not text.startswith("MSH") or len(text) < 8:
        raise MessageError("The message does not start with an MSH segment.", hl7_code="100")
    separator, encoding = text[3], text[4:8]
    delimiters = separator + encoding
    if (
        len(set(delimiters)) != 5
        or any(ch.isalnum() or ch in " \r\n" for ch in delimiters)
        or encoding[3] == separator
    ):
        raise MessageError(
            "MSH-1 and MSH-2 must be five different delimiter characters (usually |^~\\&).",
            hl7_code="102",
            location="MSH-2",
        )


def parse(text: str) -> hl7.Message:
    """python-hl7's parse, with our checks of what it takes on trust."""
    text = normalise(text)
    _check_delimiters(text)
    if "\x00" in text:
        raise MessageError("The message contains a null character.", hl7_code="102")
    try:
        return hl7.parse(text)
    except (HL7Exception, ValueError, IndexError, KeyError) as error:
        raise MessageError(f"The message cannot be parsed: {error}", hl7_code="102") from None


def get(segment, field_num: int, repeat: int = 1, component: int = 1, sub: int = 1) -> str:
    """One value by HL7 position, or "" when the message leaves it out."""
    try:
        value = segment.extract_field(None, field_num, repeat, component, sub)
    except (IndexError, KeyError, TypeError):
        return ""
    return str(value).strip()


def repetitions(segment, field_num: int) -> int:
    if field_num >= len(segment):
        return 0
    return len(segment(field_num)) or 0


def read_header(message: hl7.Message) -> Header:
    try:
        msh = message.segment("MSH")
    except (KeyError, IndexError):
        return Header()
    return Header(
        control_id=get(msh, 10),
        sending_application=get(msh, 3),
        sending_facility=get(msh, 4),
        message_type=get(msh, 9, 1, 1),
        trigger=get(msh, 9, 1, 2),
        version=get(msh, 12),
    )


def check_header(header: Header) -> None:
    if not header.control_id:
        raise MessageError(
            "MSH-10 (message control id) is empty.", hl7_code="101", location="MSH-10"
        )
    if len(header.control_id) > 64:
        raise MessageError(
            "MSH-10 (message control id) is longer than 64 characters.",
            hl7_code="102",
            location="MSH-10",
        )
    if (header.message_type, header.trigger) != ("ORU", "R01"):
        raise MessageError(
            f"Only ORU^R01 is taken here, not {header.message_type}^{header.trigger}.",
            code="AR",
            hl7_code="200" if header.message_type != "ORU" else "201",
            location="MSH-9",
        )
    if header.version not in SUPPORTED_VERSIONS:
        raise MessageError(
            f"HL7 version {header.version or '(none)'} is not supported; send 2.3 to 2.5.1.",
            code="AR",
            hl7_code="203",
            location="MSH-12",
        )


def parse_dtm(text: str, tz: dt.tzinfo) -> dt.datetime | None:
    """HL7 DTM/TS (YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]) to an aware datetime, to at least the
    day. None when empty; ValueError when it is not a date or is less precise than a day."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.\d{1,4})?)?)?)?([+-]\d{4})?",
        text,
    )
    if not match:
        raise ValueError(f"{text!r} is not an HL7 date and time (YYYYMMDD[HHMM[SS]][+ZZZZ]).")
    year, month, day, hour, minute, second, offset = match.groups()
    moment = dt.datetime(
        int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
    )
    if offset:
        sign = 1 if offset[0] == "+" else -1
        delta = dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
        if delta >= dt.timedelta(hours=24):
            raise ValueError(f"{text!r} has an impossible time-zone offset.")
        return moment.replace(tzinfo=dt.timezone(sign * delta))
    return moment.replace(tzinfo=tz)


def parse_date(text: str) -> dt.date | None:
    """PID-7: a date of birth, to the day (any time part is ignored)."""
    moment = parse_dtm(text, dt.UTC)
    return moment.date() if moment else None


def convert(value_text: str, units: str) -> tuple[Decimal | None, list[str]]:
    """The count in 10⁹/L, and the problems found on the way."""
    factor = UNIT_FACTORS.get(units.strip())
    problems = []
    try:
        number = Decimal(value_text.strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        problems.append(f"The value {value_text!r} is not a number.")
        number = None
    elif number < 0:
        problems.append(f"The value {value_text} is negative.")
        number = None
    if factor is None:
        problems.append(
            f"The unit {units!r} is not one we convert (accepted: {', '.join(UNIT_FACTORS)})."
        )
    if number is None or factor is None:
        return None, problems
    converted = number * factor
    if converted > MAX_VALUE:
        return None, [f"{value_text.strip()} {units.strip()} is not a plausible neutrophil count."]
    return converted.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), problems


def _patient(pid, authority: str) -> PatientIdentity:
    mrn = found_authority = ""
    for repeat in range(1, repetitions(pid, 3) + 1):
        namespace = get(pid, 3, repeat, 4, 1)
        if not authority or namespace.upper() == authority.upper():
            mrn, found_authority = get(pid, 3, repeat, 1), namespace
            break
    dob_text = get(pid, 7, 1, 1)
    try:
        dob = parse_date(dob_text)
    except ValueError:
        dob = None
    return PatientIdentity(
        mrn=mrn,
        assigning_authority=found_authority,
        family_name=get(pid, 5, 1, 1),
        given_name=get(pid, 5, 1, 2),
        date_of_birth=dob,
        date_of_birth_text=dob_text,
    )


def _is_neutrophil(obx) -> str:
    """The LOINC code when OBX-3 names a neutrophil count (first or alternate coding), else ""."""
    for code_at, system_at in ((1, 3), (4, 6)):
        code, system = get(obx, 3, 1, code_at), get(obx, 3, 1, system_at).upper()
        if code in NEUTROPHIL_LOINC and (system in LOINC_SYSTEMS or not system):
            return code
    return ""


def _observation(obx, obr, patient, authority, tz, now) -> NeutrophilObservation:
    problems: list[str] = []
    if not patient.mrn:
        problems.append(
            f"PID-3 has no record number from assigning authority {authority!r}."
            if authority
            else "PID-3 has no record number."
        )
    if patient.date_of_birth is None:
        problems.append(f"PID-7 (date of birth) {patient.date_of_birth_text!r} is not a date.")
    value_text, units = get(obx, 5), get(obx, 6, 1, 1)
    value, value_problems = convert(value_text, units)
    problems += value_problems
    sampled_text = get(obx, 14) or (get(obr, 7) if obr is not None else "")
    sampled_at = None
    try:
        sampled_at = parse_dtm(sampled_text, tz)
    except ValueError as error:
        problems.append(f"Sample time: {error}")
    else:
        if sampled_at is None:
            problems.append("Neither OBX-14 nor OBR-7 gives the sample time.")
        elif sampled_at > now + dt.timedelta(minutes=5):
            problems.append(f"The sample time {sampled_text} is in the future.")
        elif sampled_at.year < 1900:
            problems.append(f"The sample time {sampled_text} is before 1900.")
        elif patient.date_of_birth and sampled_at.astimezone(tz).date() < patient.date_of_birth:
            problems.append(f"The sample time {sampled_text} is before the date of birth.")
    status = get(obx, 11).upper()
    if status not in (FINAL, CORRECTED) and status not in NOT_YET:
        problems.append(f"OBX-11 result status {status or '(empty)'!r} is not final or corrected.")
    return NeutrophilObservation(
        patient=patient,
        filler_order=(get(obr, 3, 1, 1) if obr is not None else "")[:80],
        set_id=get(obx, 1)[:10],
        code=_is_neutrophil(obx),
        value_text=value_text[:200],
        units=units[:40],
        value=value,
        status=status[:2],
        sampled_at=sampled_at,
        problems=tuple(problems),
    )


def read_oru(
    text: str, *, assigning_authority: str, tz: dt.tzinfo | str, now: dt.datetime
) -> OruMessage:
    """The neutrophil counts of an ORU^R01. Raises MessageError when the message cannot be taken
    at all (it is answered AE or AR); problems with one count stay on that count."""
    if isinstance(tz, str):
        tz = zoneinfo.ZoneInfo(tz)
    message = parse(text)
    header = read_header(message)
    check_header(header)
    observations = []
    pid = obr = None
    patient = None
    for segment in message:
        kind = str(segment[0])
        if kind == "PID":
            pid, obr = segment, None
            patient = _patient(pid, assigning_authority)
        elif kind == "OBR":
            obr = segment
        elif kind == "OBX":
            if not _is_neutrophil(segment):
                continue
            if patient is None:
                raise MessageError(
                    "An OBX with a neutrophil count comes before any PID segment.",
                    hl7_code="100",
                    location="OBX",
                )
            observations.append(_observation(segment, obr, patient, assigning_authority, tz, now))
    if pid is None:
        raise MessageError("The message has no PID segment.", hl7_code="100", location="PID")
    return OruMessage(
        control_id=header.control_id,
        sending_application=header.sending_application,
        sending_facility=header.sending_facility,
        version=header.version,
        observations=tuple(observations),
    )
