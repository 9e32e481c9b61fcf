"""``POST Observation``: a neutrophil count through the same matching and recording as HL7.

The body is validated with ``fhir.resources``; then each element we rely on is checked and, if
wrong, named in the OperationOutcome (``Observation.valueQuantity.code``) with the reason. A valid
count becomes the same ``NeutrophilObservation`` an HL7 message yields and is filed by
``interop.services.file_observation``. An identical POST (same client, same body) is answered
with the first result and files nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid as uuid_module
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from fhir.resources.R4B.observation import Observation
from pydantic import ValidationError

from clinic_portal.audit import audit
from interop import services
from interop.hl7 import oru
from interop.models import InboundMessage, LabResult
from patients.models import Patient

MAX_BODY_BYTES = 64 * 1024
STATUS = {"final": oru.FINAL, "corrected": oru.CORRECTED, "amended": oru.CORRECTED}


@dataclass
class WriteResult:
    status: int
    issues: list[dict]
    lab_result: LabResult | None = None


def _issue(expression: str, diagnostics: str, code: str = "invalid") -> dict:
    return {
        "severity": "error",
        "code": code,
        "diagnostics": diagnostics,
        "expression": [expression],
    }


def _path(loc) -> str:
    return "Observation" + "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc
    )


def parse_body(body: bytes) -> tuple[Observation | None, dict | None, list[dict]]:
    if len(body) > MAX_BODY_BYTES:
        return (
            None,
            None,
            [_issue("Observation", f"The body is over {MAX_BODY_BYTES} bytes.", "too-long")],
        )
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, None, [_issue("Observation", f"The body is not JSON: {error}.", "structure")]
    if not isinstance(data, dict) or data.get("resourceType") != "Observation":
        return (
            None,
            None,
            [
                _issue(
                    "Observation.resourceType",
                    "The body must be one Observation resource.",
                    "structure",
                )
            ],
        )
    try:
        return Observation.model_validate(data), data, []
    except ValidationError as error:
        return (
            None,
            data,
            [
                _issue(_path(e["loc"]), str(e["msg"]).removeprefix("Value error, "), "structure")
                for e in error.errors()
            ],
        )
    except (ValueError, TypeError) as error:
        return None, data, [_issue("Observation", str(error), "structure")]


def _neutrophil_code(observation: Observation) -> str:
    for coding in (observation.code.coding or []) if observation.code else []:
        if coding.system == "http://loinc.org" and coding.code in oru.NEUTROPHIL_LOINC:
            return coding.code
    return ""


def _patient(observation: Observation) -> Patient | None:
    reference = (observation.subject.reference or "") if observation.subject else ""
    kind, _, ident = reference.partition("/")
    if kind != "Patient":
        return None
    try:
        return Patient.objects.filter(uuid=uuid_module.UUID(ident)).first()
    except ValueError:
        return None


def check(observation: Observation, *, now: dt.datetime):
    """Our rules on top of the FHIR structure: (patient, NeutrophilObservation, issues)."""
    issues = []
    status = STATUS.get(str(observation.status or ""))
    if status is None:
        issues.append(
            _issue(
                "Observation.status", "Only final, corrected or amended counts are taken.", "value"
            )
        )
    code = _neutrophil_code(observation)
    if not code:
        issues.append(
            _issue(
                "Observation.code",
                f"Observation.code must hold a LOINC coding {', '.join(sorted(oru.NEUTROPHIL_LOINC))} "
                "(system http://loinc.org).",
                "code-invalid",
            )
        )
    patient = _patient(observation)
    if patient is None:
        issues.append(
            _issue(
                "Observation.subject",
                "Observation.subject.reference must be Patient/{id} of a patient in this portal.",
                "not-found",
            )
        )
    elif patient.is_archived:
        issues.append(
            _issue("Observation.subject", "That patient's record is archived.", "business-rule")
        )
    quantity = observation.valueQuantity
    value = None
    if quantity is None or quantity.value is None:
        issues.append(
            _issue(
                "Observation.valueQuantity", "A valueQuantity with a value is required.", "required"
            )
        )
    else:
        unit = quantity.code or quantity.unit or ""
        if quantity.code and quantity.system not in (None, "http://unitsofmeasure.org"):
            issues.append(
                _issue(
                    "Observation.valueQuantity.system",
                    "The unit must be UCUM (http://unitsofmeasure.org).",
                    "value",
                )
            )
        value, problems = oru.convert(str(quantity.value), unit)
        for problem in problems:
            where = "code" if "unit" in problem else "value"
            issues.append(_issue(f"Observation.valueQuantity.{where}", problem, "value"))
    effective = observation.effectiveDateTime
    sampled_at = None
    if effective is None:
        issues.append(
            _issue("Observation.effectiveDateTime", "The sample time is required.", "required")
        )
    else:
        sampled_at = (
            effective
            if isinstance(effective, dt.datetime)
            else timezone.make_aware(dt.datetime.combine(effective, dt.time.min))
        )
        if timezone.is_naive(sampled_at):
            sampled_at = timezone.make_aware(sampled_at)
        if sampled_at > now + dt.timedelta(minutes=5):
            issues.append(
                _issue(
                    "Observation.effectiveDateTime",
                    "The sample time is in the future.",
                    "business-rule",
                )
            )
        elif patient is not None and timezone.localtime(sampled_at).date() < patient.date_of_birth:
            issues.append(
                _issue(
                    "Observation.effectiveDateTime",
                    "The sample time is before the patient's birth.",
                    "business-rule",
                )
            )
    if issues:
        return None, None, issues
    filler = ""
    for identifier in observation.identifier or []:
        if identifier.value:
            filler = identifier.value[:80]
            break
    identity = oru.PatientIdentity(
        mrn=patient.mrn,
        assigning_authority="",
        family_name=patient.family_name,
        given_name=patient.given_name,
        date_of_birth=patient.date_of_birth,
        date_of_birth_text=patient.date_of_birth.isoformat(),
    )
    return (
        patient,
        oru.NeutrophilObservation(
            patient=identity,
            filler_order=filler,
            set_id="",
            code=code,
            value_text=str(quantity.value)[:200],
            units=(quantity.code or quantity.unit or "")[:40],
            value=value,
            status=status,
            sampled_at=sampled_at,
        ),
        [],
    )


def receive_observation(client, body: bytes, *, today: dt.date) -> WriteResult:
    observation, _, issues = parse_body(body)
    if issues:
        return WriteResult(400, issues)
    patient, count, issues = check(observation, now=timezone.now())
    if issues:
        return WriteResult(422, issues)
    key = "fhir:" + hashlib.sha256(client.uuid.bytes + body).hexdigest()[:58]
    with transaction.atomic():
        existing = InboundMessage.objects.filter(control_id=key).first()
        if existing is not None:
            return WriteResult(200, [], existing.results.first())
        try:
            with transaction.atomic():
                message = InboundMessage.objects.create(
                    channel=InboundMessage.Channel.FHIR,
                    control_id=key,
                    claimed_control_id=key,
                    sending_application=client.name[:120],
                    api_client=client,
                    raw=body,
                    size=len(body),
                    outcome=InboundMessage.Outcome.ACCEPTED,
                )
        except IntegrityError:
            existing = InboundMessage.objects.get(control_id=key)
            return WriteResult(200, [], existing.results.first())
        audit.record(
            "fhir.observation.receive",
            actor=client.account,
            obj=message,
            patient=patient,
            detail={"client": str(client.uuid)},
        )
        result = services.file_observation(
            message, count, lab=client.name, actor=client.account, patient=patient, today=today
        )
    if result.state == LabResult.State.FILED:
        return WriteResult(201, [], result)
    return WriteResult(
        202,
        [
            {
                "severity": "warning",
                "code": "business-rule",
                "diagnostics": "Stored, but not filed: "
                + "; ".join(result.problems)
                + " A nurse will attach or reject it.",
            }
        ],
        result,
    )
