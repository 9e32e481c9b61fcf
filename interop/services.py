"""Writes for received lab results. Each service owns its transaction and its audit record.

A received message is stored before it is answered, whatever it holds. An accepted message
(``AA``) is stored with its control id, so a resend is answered ``AA`` again and files nothing
twice. Each neutrophil count in it is filed on the patient's record through
``interop.recording`` (the nurse's own result service) or, when it cannot be, put on the
unmatched list with its reasons. Nothing is dropped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid as uuid_module
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic_portal.audit import audit
from clinic_portal.audit.models import AuditEvent
from interop import recording
from interop.actors import lab_account
from interop.hl7 import ack as hl7_ack
from interop.hl7 import oru
from interop.models import InboundMessage, LabResult
from patients.identifiers import InvalidMRN, normalise_mrn
from patients.models import Patient

log = logging.getLogger(__name__)


class ResultError(Exception):
    """A nurse's action on a received result cannot be carried out; the message says why."""


@dataclass(frozen=True)
class Reply:
    """The answer to one HL7 message: the ACK text and the code in it."""

    ack: str
    code: str
    message: InboundMessage | None


def _new_control_id() -> str:
    return uuid_module.uuid4().hex[:20].upper()


def receive_hl7(raw: bytes, *, peer: str = "", today: dt.date) -> Reply:
    """Store one HL7 message, file its counts (on the clinic's ``today``), and give the ACK to
    send back."""
    now = timezone.now()
    text = None
    try:
        text = oru.decode(raw)
        parsed = oru.read_oru(
            text,
            assigning_authority=settings.HL7_ASSIGNING_AUTHORITY,
            tz=settings.TIME_ZONE,
            now=now,
        )
    except oru.MessageError as error:
        return _store_refused(raw, text, error, peer=peer, now=now)
    try:
        return _store_accepted(raw, text, parsed, peer=peer, now=now, today=today)
    except Exception:
        # A fault of ours: keep the message and ask the lab to send it again later.
        log.exception("HL7 message %s could not be filed", parsed.control_id)
        fault = oru.MessageError(
            "The portal could not store this message; please send it again.", hl7_code="207"
        )
        return _store_refused(raw, text, fault, peer=peer, now=now)


def refuse_unreadable(raw: bytes, reason: str, *, peer: str = "") -> Reply:
    """For the listener: a frame too large or broken to read. Kept (up to the limit) and answered."""
    error = oru.MessageError(reason, hl7_code="102")
    text = raw.decode("utf-8", errors="replace")
    return _store_refused(raw, text, error, peer=peer, now=timezone.now())


def _store_refused(raw, text, error: oru.MessageError, *, peer, now) -> Reply:
    header = oru.Header()
    if text is not None:
        with contextlib.suppress(oru.MessageError):
            header = oru.read_header(oru.parse(text))
    reply = hl7_ack.build_ack(
        text, code=error.code, control_id=_new_control_id(), error=error, now=now
    )
    with transaction.atomic():
        message = InboundMessage.objects.create(
            channel=InboundMessage.Channel.HL7,
            received_at=now,
            claimed_control_id=header.control_id[:64],
            sending_application=header.sending_application[:120],
            sending_facility=header.sending_facility[:120],
            peer=peer[:80],
            raw=raw,
            size=len(raw),
            outcome=error.code,
            error=f"{error.location}: {error.text}" if error.location else error.text,
            ack=reply,
        )
        audit.record(
            "hl7.refuse",
            obj=message,
            kind=AuditEvent.Kind.SYSTEM,
            detail={"code": error.code, "reason": error.text, "control_id": header.control_id},
        )
    log.warning("HL7 message refused (%s): %s", error.code, error.text)
    return Reply(ack=reply, code=error.code, message=message)


def _store_accepted(raw, text, parsed: oru.OruMessage, *, peer, now, today: dt.date) -> Reply:
    reply = hl7_ack.build_ack(text, code="AA", control_id=_new_control_id(), now=now)
    with transaction.atomic():
        existing = InboundMessage.objects.filter(control_id=parsed.control_id).first()
        if existing is not None:
            return _resent(existing, raw, text, peer=peer, now=now)
        try:
            with transaction.atomic():
                message = InboundMessage.objects.create(
                    channel=InboundMessage.Channel.HL7,
                    received_at=now,
                    control_id=parsed.control_id,
                    claimed_control_id=parsed.control_id,
                    sending_application=parsed.sending_application[:120],
                    sending_facility=parsed.sending_facility[:120],
                    peer=peer[:80],
                    raw=raw,
                    size=len(raw),
                    outcome=InboundMessage.Outcome.ACCEPTED,
                    ack=reply,
                )
        except IntegrityError:
            # The same message arrived twice at once; the other copy won.
            existing = InboundMessage.objects.get(control_id=parsed.control_id)
            return _resent(existing, raw, text, peer=peer, now=now)
        actor = lab_account(parsed.sending_facility or parsed.sending_application)
        audit.record(
            "hl7.receive",
            actor=actor,
            obj=message,
            detail={"control_id": parsed.control_id, "counts": len(parsed.observations)},
        )
        lab = parsed.sending_facility or parsed.sending_application or "Laboratory"
        for observation in parsed.observations:
            file_observation(message, observation, lab=lab, actor=actor, today=today)
    return Reply(ack=reply, code="AA", message=message)


def _body(text: str) -> str:
    """The message without its MSH segment: senders may restamp MSH-7 when they resend."""
    return oru.normalise(text).partition("\r")[2]


def _resent(existing: InboundMessage, raw: bytes, text: str, *, peer, now) -> Reply:
    if _body(oru.decode(bytes(existing.raw))) != _body(text):
        # The same control id on different contents: a sender's fault, never a silent drop.
        error = oru.MessageError(
            f"Control id {existing.control_id} was already used for a different message.",
            hl7_code="205",
            location="MSH-10",
        )
        return _store_refused(raw, text, error, peer=peer, now=now)
    log.info("HL7 message %s received again; answered as before", existing.control_id)
    return Reply(ack=existing.ack, code=existing.outcome, message=existing)


def _match(identity: oru.PatientIdentity) -> tuple[Patient | None, list[str]]:
    try:
        mrn = normalise_mrn(identity.mrn)
    except InvalidMRN:
        return None, [f"The record number {identity.mrn!r} is not one the portal uses."]
    patient = Patient.objects.filter(mrn=mrn).first()
    if patient is None:
        return None, [f"No patient has the record number {mrn}."]
    if identity.date_of_birth != patient.date_of_birth:
        return None, [
            f"The date of birth in the message ({identity.date_of_birth_text}) does not match "
            f"the record for {mrn}."
        ]
    if patient.is_archived:
        return None, [f"The record {mrn} is archived."]
    return patient, []


def file_observation(
    message: InboundMessage,
    observation: oru.NeutrophilObservation,
    *,
    lab: str,
    actor,
    patient: Patient | None = None,
    today: dt.date,
) -> LabResult:
    """File one count (call inside a transaction). ``patient`` is given when the sender named
    the record directly (FHIR); otherwise it is matched on record number and date of birth."""
    identity = observation.patient
    result = LabResult(
        message=message,
        lab=lab[:120],
        filler_order=observation.filler_order,
        loinc_code=observation.code,
        value_text=observation.value_text,
        units=observation.units,
        value=observation.value,
        result_status=observation.status,
        sampled_at=observation.sampled_at,
        reported_mrn=identity.mrn[:40],
        reported_family_name=identity.family_name[:100],
        reported_given_name=identity.given_name[:100],
        reported_date_of_birth=identity.date_of_birth,
        reported_date_of_birth_text=identity.date_of_birth_text[:40],
        problems=list(observation.problems),
    )
    if observation.status in oru.NOT_YET and not observation.problems:
        result.state = LabResult.State.NOT_FINAL
        result.save()
        return result
    if patient is None and identity.mrn:
        patient, problems = _match(identity)
        result.problems += problems
    result.patient = patient if not result.problems else None
    if result.problems or patient is None:
        return _unmatched(result, actor)
    try:
        with transaction.atomic():
            result.state = LabResult.State.FILED
            result.save()
            _record(result, patient, actor, note=f"Received from {lab}.", today=today)
    except recording.RecordingRefused as refusal:
        result.pk = None
        result.state = ""
        result.problems = [*result.problems, str(refusal)]
        result.patient = None
        return _unmatched(result, actor)
    return result


def _unmatched(result: LabResult, actor) -> LabResult:
    result.state = LabResult.State.UNMATCHED
    result.save()
    audit.record(
        "lab_result.unmatched",
        actor=actor,
        obj=result,
        detail={"problems": result.problems, "reported_mrn": result.reported_mrn},
    )
    log.warning("Lab result %s needs a nurse: %s", result.uuid, "; ".join(result.problems))
    return result


def _earlier_for_correction(result: LabResult, patient: Patient) -> LabResult | None:
    if not result.filler_order:
        return None
    return (
        LabResult.objects.filter(
            patient=patient,
            filler_order=result.filler_order,
            loinc_code=result.loinc_code,
            neutrophil_result__isnull=False,
        )
        .exclude(pk=result.pk)
        .order_by("-created_at", "-id")
        .first()
    )


def _record(result: LabResult, patient: Patient, actor, *, note: str, today: dt.date) -> None:
    assert result.value is not None, "only a result with a count is filed or attached"
    supersedes = None
    if result.result_status == oru.CORRECTED:
        earlier = _earlier_for_correction(result, patient)
        if earlier is not None and earlier.neutrophil_result is not None:
            supersedes = recording.newest_of(earlier.neutrophil_result)
        else:
            note += " A correction, but no earlier result of this order was received."
    local_day = timezone.localtime(result.sampled_at).date()
    recorded = recording.record_count(
        patient=patient,
        actor=actor,
        value=result.value,
        sample_date=local_day,
        lab=result.lab,
        notes=note + (f" Filler order {result.filler_order}." if result.filler_order else ""),
        supersedes=supersedes,
        today=today,
    )
    result.neutrophil_result = recorded
    result.save(update_fields=["neutrophil_result", "state", "patient", "resolved_by"])


# --- The nurse's side -----------------------------------------------------------------------------


@transaction.atomic
def attach_result(
    *, result: LabResult, patient: Patient, actor, value: Decimal, note: str = "", today: dt.date
) -> LabResult:
    """A nurse files an unmatched count on ``patient``, having compared both identities."""
    current = LabResult.objects.select_for_update().get(pk=result.pk)
    if current.state != LabResult.State.UNMATCHED:
        raise ResultError(_("This result is no longer waiting; someone has dealt with it."))
    if current.sampled_at is None:
        raise ResultError(_("The message gives no sample time; reject it and ask the lab."))
    if current.sampled_at > timezone.now() + dt.timedelta(minutes=5):
        raise ResultError(_("The sample time is in the future; reject it and ask the lab."))
    if patient.is_archived:
        raise ResultError(_("That record is archived."))
    current.value = value
    current.patient = patient
    current.state = LabResult.State.ATTACHED
    current.resolved_by = actor
    current.resolved_at = timezone.now()
    current.resolution_note = note
    current.save()
    try:
        with transaction.atomic():
            _record(
                current,
                patient,
                actor,
                note=f"Received from {current.lab}; attached by a nurse. {note}".strip(),
                today=today,
            )
    except recording.RecordingRefused as refusal:
        raise ResultError(str(refusal)) from None
    audit.record(
        "lab_result.attach",
        actor=actor,
        obj=current,
        patient=patient,
        detail={
            "reported_mrn": current.reported_mrn,
            "reported_name": current.reported_name,
            "value": str(value),
            "note": note,
        },
    )
    return current


@transaction.atomic
def reject_result(*, result: LabResult, actor, reason: str) -> LabResult:
    current = LabResult.objects.select_for_update().get(pk=result.pk)
    if current.state != LabResult.State.UNMATCHED:
        raise ResultError(_("This result is no longer waiting; someone has dealt with it."))
    if not reason.strip():
        raise ResultError(_("Give the reason for rejecting it."))
    current.state = LabResult.State.REJECTED
    current.resolved_by = actor
    current.resolved_at = timezone.now()
    current.resolution_note = reason.strip()
    current.save()
    audit.record(
        "lab_result.reject",
        actor=actor,
        obj=current,
        detail={"reason": reason.strip(), "reported_mrn": current.reported_mrn},
    )
    return current
