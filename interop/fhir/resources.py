"""Our records as FHIR R4 resources, built and validated with ``fhir.resources`` (R4B models).

Each builder takes a model instance and returns a validated ``fhir.resources`` object; nothing
here writes JSON by hand. ``Pseudonyms`` turns ids into keyed hashes and drops names and
contact details for the research export.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.flag import Flag
from fhir.resources.R4B.immunization import Immunization
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from followups.rules import CourseState
from screening.engine.neutrophils import ANC_LOW_BELOW, Reading, interpret_anc

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"
SNOMED = "http://snomed.info/sct"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"

ANC_CODE = "751-8"
ANC_DISPLAY = "Neutrophils [#/volume] in Blood by Automated count"
ANC_UNIT = "10*9/L"
# Anakinra: RxNorm ingredient and WHO ATC (L04AC03, interleukin inhibitors).
ANAKINRA_RXNORM = "72435"
ANAKINRA_ATC = "L04AC03"
SUBCUTANEOUS_ROUTE = "34206005"  # SNOMED CT: subcutaneous route

GENDER = {"female": "female", "male": "male", "other": "other"}


def base_url() -> str:
    return f"{settings.SITE_URL}/fhir"


def mrn_system() -> str:
    return f"{base_url()}/sid/mrn"


def code_system(name: str) -> str:
    return f"{base_url()}/CodeSystem/{name}"


def extension_url(name: str) -> str:
    return f"{base_url()}/StructureDefinition/{name}"


class Pseudonyms:
    """Identity (``key=None``) or keyed-hash ids with names and contact details dropped."""

    def __init__(self, key: str | None = None):
        self.key = key.encode() if key else None

    @property
    def active(self) -> bool:
        return self.key is not None

    def id(self, resource_type: str, value) -> str:
        if self.key is None:
            return str(value)
        digest = hmac.new(self.key, f"{resource_type}/{value}".encode(), hashlib.sha256)
        return digest.hexdigest()[:64]

    def ref(self, resource_type: str, value) -> dict:
        return {"reference": f"{resource_type}/{self.id(resource_type, value)}"}


IDENTITY = Pseudonyms()


def _instant(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def patient_resource(patient, ids: Pseudonyms = IDENTITY) -> FhirPatient:
    data: dict = {
        "id": ids.id("Patient", patient.uuid),
        "meta": {"lastUpdated": _instant(patient.updated_at)},
        "active": not patient.is_archived,
        "gender": GENDER.get(patient.sex, "unknown"),
    }
    if ids.active:
        # Year of birth only: enough for age bands, not an identifier.
        data["birthDate"] = str(patient.date_of_birth.year)
    else:
        data["birthDate"] = patient.date_of_birth.isoformat()
        data["identifier"] = [
            {
                "use": "usual",
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                            "code": "MR",
                        }
                    ]
                },
                "system": mrn_system(),
                "value": patient.mrn,
            }
        ]
        data["name"] = [
            {"use": "official", "family": patient.family_name, "given": [patient.given_name]}
        ]
        telecom = []
        if patient.phone:
            telecom.append({"system": "phone", "value": patient.phone})
        if patient.user.email:
            telecom.append({"system": "email", "value": patient.user.email})
        if telecom:
            data["telecom"] = telecom
    return FhirPatient.model_validate(data)


def interpretation_code(value: Decimal) -> tuple[str, str]:
    """The portal's reading of a count (one home: screening.engine.neutrophils) as an HL7
    interpretation: urgent is critical low, attention is low."""
    return {
        Reading.URGENT: ("LL", "Critical low"),
        Reading.ATTENTION: ("L", "Low"),
        Reading.NORMAL: ("N", "Normal"),
    }[interpret_anc(value)]


def observation_resource(result, ids: Pseudonyms = IDENTITY) -> Observation:
    code, display = interpretation_code(result.value)
    data = {
        "id": ids.id("Observation", result.uuid),
        "meta": {"lastUpdated": _instant(result.recorded_at)},
        "status": "corrected" if result.supersedes_id else "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "laboratory"}]},
        ],
        "code": {
            "coding": [{"system": LOINC, "code": ANC_CODE, "display": ANC_DISPLAY}],
            "text": "Absolute neutrophil count",
        },
        "subject": ids.ref("Patient", result.patient.uuid),
        "effectiveDateTime": result.sample_date.isoformat(),
        "issued": _instant(result.recorded_at),
        "valueQuantity": {
            "value": result.value,
            "unit": "10^9/L",
            "system": UCUM,
            "code": ANC_UNIT,
        },
        "interpretation": [
            {"coding": [{"system": INTERPRETATION, "code": code, "display": display}]}
        ],
        "referenceRange": [
            {
                "low": {"value": ANC_LOW_BELOW, "unit": "10^9/L", "system": UCUM, "code": ANC_UNIT},
                "text": "The portal alerts below 1.5 (urgent below 1.0)",
            }
        ],
    }
    if not ids.active:
        data["performer"] = [{"display": result.lab}]
    return Observation.model_validate(data)


def immunization_resource(vaccination, ids: Pseudonyms = IDENTITY) -> Immunization:
    data: dict = {
        "id": ids.id("Immunization", vaccination.uuid),
        "meta": {"lastUpdated": _instant(vaccination.recorded_at)},
        "status": "completed",
        "vaccineCode": {"text": vaccination.catalogue_name or vaccination.name},
        "patient": ids.ref("Patient", vaccination.patient.uuid),
        "occurrenceDateTime": vaccination.given_on.isoformat(),
        "recorded": _instant(vaccination.recorded_at),
        "primarySource": False,
    }
    if vaccination.live is not None:
        data["extension"] = [
            {"url": extension_url("live-vaccine"), "valueBoolean": vaccination.live}
        ]
    if vaccination.dose_number:
        data["protocolApplied"] = [{"doseNumberPositiveInt": vaccination.dose_number}]
    if vaccination.where_given and not ids.active:
        data["note"] = [{"text": f"Given at: {vaccination.where_given}"}]
    return Immunization.model_validate(data)


INTERVAL_DAYS = {"daily": 1, "every_other_day": 2}

# The course's state (followups.rules.CourseState) as a MedicationStatement status.
STATEMENT_STATUS = {
    CourseState.PLANNED: "intended",
    CourseState.ON_HOLD: "on-hold",
    CourseState.ACTIVE: "active",
    CourseState.STOPPED: "completed",
    CourseState.CANCELLED: "not-taken",
}


def medication_statement_resource(
    therapy, ids: Pseudonyms = IDENTITY, *, today: dt.date
) -> MedicationStatement:
    """The course as a statement; its status is the course's state on the clinic's ``today``."""
    every = INTERVAL_DAYS.get(therapy.interval, 1)
    period: dict = {"start": therapy.start_date.isoformat()}
    if therapy.stopped_on:
        period["end"] = therapy.stopped_on.isoformat()
    data: dict = {
        "id": ids.id("MedicationStatement", therapy.uuid),
        "meta": {"lastUpdated": _instant(therapy.started_at)},
        "status": STATEMENT_STATUS[therapy.state_on(today)],
        "medicationCodeableConcept": {
            "coding": [
                {"system": RXNORM, "code": ANAKINRA_RXNORM, "display": "anakinra"},
                {"system": ATC, "code": ANAKINRA_ATC, "display": "anakinra"},
            ],
            "text": "Kineret (anakinra)",
        },
        "subject": ids.ref("Patient", therapy.patient.uuid),
        "effectivePeriod": period,
        "dateAsserted": _instant(therapy.started_at),
        "derivedFrom": [ids.ref("QuestionnaireResponse", therapy.screening.uuid)],
        "dosage": [
            {
                "text": f"{therapy.dose_mg} mg under the skin "
                + ("once a day" if every == 1 else "every other day"),
                "timing": {"repeat": {"frequency": 1, "period": every, "periodUnit": "d"}},
                "route": {
                    "coding": [
                        {
                            "system": SNOMED,
                            "code": SUBCUTANEOUS_ROUTE,
                            "display": "Subcutaneous route",
                        }
                    ]
                },
                "doseAndRate": [
                    {
                        "doseQuantity": {
                            "value": therapy.dose_mg,
                            "unit": "mg",
                            "system": UCUM,
                            "code": "mg",
                        }
                    }
                ],
            }
        ],
    }
    if therapy.stop_reason and not ids.active:
        data["statusReason"] = [{"text": therapy.stop_reason}]
    return MedicationStatement.model_validate(data)


def _answer(value) -> list[dict]:
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if isinstance(value, int) and -(2**31) <= value < 2**31:
        return [{"valueInteger": value}]
    if isinstance(value, int):
        return [{"valueDecimal": Decimal(value)}]
    if isinstance(value, float | Decimal):
        return [{"valueDecimal": value}]
    if isinstance(value, list):
        return [a for item in value for a in _answer(item)]
    if isinstance(value, dict):
        return _answer(", ".join(f"{k}: {v}" for k, v in value.items() if v))
    text = "" if value is None else str(value).strip()
    return [{"valueString": text}] if text else []


def questionnaire_response_resource(screening, ids: Pseudonyms = IDENTITY) -> QuestionnaireResponse:
    """A signed screening: the answers as items, the outcome and each reason as extensions."""
    evaluation = screening.evaluation
    items = []
    for name, value in sorted((screening.answers or {}).items()):
        if ids.active and name in {"date_of_birth", "medications"}:
            continue
        item: dict = {"linkId": name, "text": name.replace("_", " ")}
        answers = _answer(value)
        if answers:
            item["answer"] = answers
        items.append(item)
    extensions = [
        {
            "url": extension_url("screening-outcome"),
            "valueCoding": {
                "system": code_system("screening-outcome"),
                "code": screening.outcome,
                "display": screening.get_outcome_display(),
            },
        },
        {"url": extension_url("screening-rule-set"), "valueString": screening.rule_set},
        {"url": extension_url("screening-decision"), "valueCode": screening.decision},
    ]
    for reason in evaluation.reasons if evaluation else ():
        extensions.append(
            {
                "url": extension_url("screening-reason"),
                "valueCoding": {
                    "system": code_system("screening-reason"),
                    "code": reason.code,
                    "display": reason.message[:250],
                },
            }
        )
    data: dict = {
        "id": ids.id("QuestionnaireResponse", screening.uuid),
        "meta": {"lastUpdated": _instant(screening.signed_at)},
        "extension": extensions,
        "questionnaire": f"{base_url()}/Questionnaire/kineret-screening",
        "status": "completed",
        "subject": ids.ref("Patient", screening.patient.uuid),
        "authored": _instant(screening.signed_at),
        "item": items,
    }
    if not ids.active and screening.signed_by_id:
        data["author"] = {"display": screening.signed_by.full_name}
    return QuestionnaireResponse.model_validate(data)


def flag_resource(alert, ids: Pseudonyms = IDENTITY) -> Flag:
    data = {
        "id": ids.id("Flag", alert.uuid),
        "meta": {"lastUpdated": _instant(alert.created_at)},
        "status": "active" if alert.resolved_at is None else "inactive",
        "category": [{"coding": [{"system": FLAG_CATEGORY, "code": "clinical"}]}],
        "code": {
            "coding": [{"system": code_system("alert-cause"), "code": alert.cause}],
            "text": alert.message if not ids.active else alert.cause,
        },
        "subject": ids.ref("Patient", alert.patient.uuid),
        "period": {"start": _instant(alert.created_at)},
        "extension": [
            {"url": extension_url("alert-severity"), "valueCode": alert.severity},
        ],
    }
    if alert.resolved_at:
        data["period"]["end"] = _instant(alert.resolved_at)
    return Flag.model_validate(data)


def search_bundle(resources, *, total: int, links: dict[str, str], base: str) -> Bundle:
    return Bundle.model_validate(
        {
            "type": "searchset",
            "total": total,
            "timestamp": _instant(timezone.now()),
            "link": [{"relation": rel, "url": url} for rel, url in links.items()],
            "entry": [
                {
                    "fullUrl": f"{base}/{r.get_resource_type()}/{r.id}",
                    "resource": r,
                    "search": {"mode": "match"},
                }
                for r in resources
            ],
        }
    )


def outcome(severity: str, code: str, diagnostics: str, expression: str | None = None):
    return OperationOutcome.model_validate(
        {
            "issue": [
                {
                    "severity": severity,
                    "code": code,
                    "diagnostics": diagnostics,
                    **({"expression": [expression]} if expression else {}),
                }
            ]
        }
    )


def outcome_of(issues: list[dict]) -> OperationOutcome:
    return OperationOutcome.model_validate({"issue": issues})
