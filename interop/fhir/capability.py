"""The CapabilityStatement: exactly what this server supports, built with fhir.resources."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from interop.fhir.search_params import SEARCH_DOCS


def statement(base: str) -> CapabilityStatement:
    def resource(kind: str, interactions: list[str]) -> dict:
        return {
            "type": kind,
            "interaction": [{"code": code} for code in interactions],
            "searchParam": [
                {"name": name, "type": kind_of, "documentation": doc}
                for name, kind_of, doc in SEARCH_DOCS.get(kind, [])
            ],
        }

    return CapabilityStatement.model_validate(
        {
            "status": "active",
            "date": timezone.now().isoformat(),
            "kind": "instance",
            "publisher": settings.CLINIC_NAME,
            "software": {"name": "Clinic Portal"},
            "implementation": {"description": f"{settings.CLINIC_NAME} FHIR API", "url": base},
            "fhirVersion": "4.0.1",
            "format": ["json"],
            "rest": [
                {
                    "mode": "server",
                    "documentation": (
                        "Bearer tokens of API clients created by a clinic administrator; scopes "
                        "patient/*.read and Observation.write. Search results are paged Bundles "
                        "(_count, page)."
                    ),
                    "security": {
                        "description": (
                            "Authorization: Bearer <token>, one static token per client, issued "
                            "and revoked by a clinic administrator. No OAuth or SMART on FHIR."
                        )
                    },
                    "resource": [
                        resource("Patient", ["read", "search-type"]),
                        resource("Observation", ["read", "search-type", "create"]),
                        resource("Immunization", ["read", "search-type"]),
                        resource("MedicationStatement", ["read", "search-type"]),
                        resource("QuestionnaireResponse", ["read", "search-type"]),
                        resource("Flag", ["read", "search-type"]),
                    ],
                }
            ],
        }
    )
