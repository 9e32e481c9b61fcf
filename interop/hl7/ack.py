"""ACK messages, built with python-hl7's ``Message.create_ack`` and its containers.

``AA`` when the message is stored; ``AE`` with the reason in MSA-3 and an ERR segment when it
cannot be read; ``AR`` for a message type or version we do not take. When the message is too
broken to read its MSH, the ACK is addressed from a blank header (MSA-2 then stays empty).
"""

from __future__ import annotations

import datetime as dt
import warnings

import hl7
from hl7.exceptions import HL7Exception

from interop.hl7 import oru

RECEIVING_APPLICATION = "CLINIC_PORTAL"
SEVERITY_ERROR = "E"
# A blank MSH for messages too broken to answer from their own: python-hl7 needs a source message
# to build the ACK from.
_BLANK_SOURCE = "MSH|^~\\&|||||||ORU^R01|||2.5.1"


def _source(text: str | None) -> hl7.Message:
    """The received message, or its MSH line alone, or a blank one."""
    if text:
        normal = oru.normalise(text)
        for candidate in (normal, normal.split("\r", 1)[0]):
            try:
                oru._check_delimiters(candidate)
                message = hl7.parse(candidate)
                msh = message.segment("MSH")
                if len(msh) <= 12:  # create_ack reads up to MSH-12
                    msh.assign_field("", 12)
                return message
            except (oru.MessageError, HL7Exception, ValueError, IndexError, KeyError):
                continue
    return hl7.parse(_BLANK_SOURCE)


def build_ack(
    text: str | None,
    *,
    code: str,
    control_id: str,
    error: oru.MessageError | None = None,
    now: dt.datetime,
) -> str:
    """The ACK for ``text`` (the received message as text, or None if it could not be decoded),
    as a string with CR segment separators (no MLLP framing)."""
    with warnings.catch_warnings():
        # python-hl7 stamps MSH-7 with datetime.utcnow(), deprecated in 3.12; replaced below.
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            ack = _source(text).create_ack(ack_code=code, message_id=control_id)
        except (HL7Exception, ValueError, IndexError, KeyError, TypeError):
            ack = hl7.parse(_BLANK_SOURCE).create_ack(ack_code=code, message_id=control_id)
    msh = ack.segment("MSH")
    msh.assign_field(RECEIVING_APPLICATION, 3)
    msh.assign_field(now.strftime("%Y%m%d%H%M%S%z"), 7)
    if not str(msh(12)):
        msh.assign_field("2.5.1", 12)
    if error is not None:
        msa = ack.segment("MSA")
        msa.assign_field(ack.escape(error.text[:80]), 3)
        err = ack.create_segment([ack.create_field(["ERR"])])
        segment_id, _, field_num = error.location.partition("-")
        if segment_id:
            err.assign_field(segment_id, 2, 1, 1)
            err.assign_field("1", 2, 1, 2)
            if field_num:
                err.assign_field(field_num, 2, 1, 3)
        err.assign_field(error.hl7_code, 3, 1, 1)
        err.assign_field(ack.escape(ERROR_NAMES.get(error.hl7_code, "Error")), 3, 1, 2)
        err.assign_field("HL70357", 3, 1, 3)
        err.assign_field(SEVERITY_ERROR, 4)
        err.assign_field(ack.escape(error.text[:250]), 8)
        ack.append(err)
    return str(ack)


# HL7 table 0357, the codes this listener uses.
ERROR_NAMES = {
    "100": "Segment sequence error",
    "101": "Required field missing",
    "102": "Data type error",
    "103": "Table value not found",
    "200": "Unsupported message type",
    "201": "Unsupported event code",
    "203": "Unsupported version id",
    "205": "Duplicate key identifier",
    "207": "Application internal error",
}
