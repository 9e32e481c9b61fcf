"""The FHIR R4 API under ``/fhir/R4/``: JSON only, bearer tokens of API clients only.

These are API views: they opt out of the login page (``login_not_required``) and of CSRF (no
cookies are read; a request without a valid bearer token gets 401 and nothing else). Every
resource returned is built and validated with ``fhir.resources``; every read of patient data is
written to the access log with the client's account as the actor.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from clinic_portal.audit import audit
from clinic_portal.core.clock import clinic_today
from interop import clients
from interop.fhir import capability, resources, writes
from interop.fhir.search_params import SEARCH_DOCS
from interop.fhir.selectors import TYPES, patient_of
from interop.models import ApiClient
from patients.identifiers import InvalidMRN, normalise_mrn

CONTENT_TYPE = "application/fhir+json; charset=utf-8"
READ = ApiClient.Scope.READ
WRITE = ApiClient.Scope.WRITE_OBSERVATION

SEARCH_PARAMS = {kind: {name for name, _, _ in params} for kind, params in SEARCH_DOCS.items()}
PAGING_PARAMS = {"_count", "page", "_format"}
# Searches that must name a patient: a system client pulls one record at a time here, and
# uses the bulk export for everything.
PATIENT_REQUIRED = {
    "Observation",
    "Immunization",
    "MedicationStatement",
    "QuestionnaireResponse",
    "Flag",
}


def fhir_response(resource, status: int = 200, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(
        resource.model_dump_json(exclude_none=True), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def problem(status: int, code: str, diagnostics: str, expression: str | None = None, **headers):
    severity = "error" if status >= 400 else "warning"
    return fhir_response(
        resources.outcome(severity, code, diagnostics, expression), status, headers
    )


def api_view(scope: str | None, methods: list[str]):
    """Bearer-token authentication and the scope check, with FHIR answers for every refusal."""

    def decorator(view: Callable) -> Callable:
        @login_not_required
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                return problem(
                    405,
                    "not-supported",
                    f"{request.method} is not supported here; use {', '.join(methods)}.",
                    Allow=", ".join(methods),
                )
            if scope is None:
                return view(request, None, *args, **kwargs)
            header = request.META.get("HTTP_AUTHORIZATION", "")
            kind, _, token = header.partition(" ")
            client = clients.client_for_token(token.strip()) if kind.lower() == "bearer" else None
            if client is None:
                return problem(
                    401,
                    "login",
                    "A valid bearer token is required (Authorization: Bearer <token>).",
                    **{"WWW-Authenticate": 'Bearer realm="fhir"'},
                )
            if not client.has_scope(scope):
                return problem(403, "forbidden", f"This client does not have the {scope} scope.")
            return view(request, client, *args, **kwargs)

        wrapper.api_view = True
        return wrapper

    return decorator


@api_view(None, ["GET"])
def metadata(request: HttpRequest, client) -> HttpResponse:
    return fhir_response(capability.statement(request.build_absolute_uri("/fhir/R4")))


def _audit_read(client, action: str, rows, detail: dict) -> None:
    patients = {patient_of(row).uuid for row in rows}
    audit.record_read(
        action,
        patients=sorted(patients),
        actor=client.account,
        detail={"client": str(client.uuid), "client_name": client.name, **detail},
    )


def _uuid(value: str) -> uuid_module.UUID | None:
    try:
        return uuid_module.UUID(value.removeprefix("Patient/"))
    except ValueError:
        return None


@api_view(READ, ["GET"])
def read(request: HttpRequest, client, resource_type: str, resource_uuid) -> HttpResponse:
    kind = TYPES.get(resource_type)
    if kind is None:
        return problem(404, "not-supported", f"{resource_type} is not a resource type served here.")
    row = kind.by_id().filter(uuid=resource_uuid).first()
    if row is None:
        return problem(404, "not-found", f"{resource_type}/{resource_uuid} is not known here.")
    _audit_read(client, f"fhir.{resource_type.lower()}.read", [row], {"id": str(resource_uuid)})
    return fhir_response(kind.resource(row, today=clinic_today()))


def _search_filter(resource_type: str, params) -> tuple[dict | None, HttpResponse | None]:
    unknown = set(params) - SEARCH_PARAMS[resource_type] - PAGING_PARAMS
    if unknown:
        return None, problem(
            400,
            "not-supported",
            f"Search parameter {', '.join(sorted(unknown))} is not supported on {resource_type}; "
            f"supported: {', '.join(sorted(SEARCH_PARAMS[resource_type]))}.",
        )
    if params.get("_format", "json") not in {"json", "application/fhir+json", "application/json"}:
        return None, problem(400, "not-supported", "Only JSON is served (_format=json).")
    filters: dict = {}
    if resource_type in PATIENT_REQUIRED and not params.get("patient"):
        return None, problem(400, "required", f"{resource_type} searches need patient=<id>.")
    if params.get("patient"):
        patient_uuid = _uuid(params["patient"])
        if patient_uuid is None:
            return None, problem(400, "value", "patient must be a Patient id.", "patient")
        filters["patient__uuid"] = patient_uuid
    if resource_type == "Patient":
        if params.get("_id"):
            patient_uuid = _uuid(params["_id"])
            if patient_uuid is None:
                return None, problem(400, "value", "_id must be a Patient id.", "_id")
            filters["uuid"] = patient_uuid
        if params.get("identifier"):
            system, bar, value = params["identifier"].rpartition("|")
            if bar and system and system != resources.mrn_system():
                filters["pk__in"] = []
            else:
                try:
                    filters["mrn"] = normalise_mrn(value)
                except InvalidMRN:
                    filters["pk__in"] = []
    if resource_type == "Observation" and params.get("code"):
        system, bar, code = params["code"].rpartition("|")
        wanted = code in {resources.ANC_CODE, "26499-4", "753-4"} and (
            not bar or system in ("", resources.LOINC)
        )
        if not wanted:
            filters["pk__in"] = []
    if resource_type == "Flag" and params.get("status"):
        if params["status"] not in {"active", "inactive"}:
            return None, problem(400, "value", "status is active or inactive.", "status")
        filters["resolved_at__isnull"] = params["status"] == "active"
    return filters, None


@api_view(READ, ["GET"])
def search(request: HttpRequest, client, resource_type: str) -> HttpResponse:
    if resource_type not in TYPES:
        return problem(404, "not-supported", f"{resource_type} is not a resource type served here.")
    params = {key: request.GET.get(key, "") for key in request.GET}
    filters, refusal = _search_filter(resource_type, params)
    if refusal is not None:
        return refusal
    try:
        count = min(int(params.get("_count") or settings.FHIR_PAGE_SIZE), 500)
        page = int(params.get("page") or 1)
        if count < 1 or page < 1:
            raise ValueError
    except ValueError:
        return problem(400, "value", "_count and page are positive whole numbers.", "_count")
    kind = TYPES[resource_type]
    today = clinic_today()
    queryset = kind.queryset().filter(**filters)
    total = queryset.count()
    rows = list(queryset[(page - 1) * count : page * count])
    base = request.build_absolute_uri(f"/fhir/R4/{resource_type}")

    def link(number: int) -> str:
        return f"{base}?{urlencode({**{k: v for k, v in params.items() if k != 'page'}, '_count': count, 'page': number})}"

    links = {"self": link(page)}
    if page * count < total:
        links["next"] = link(page + 1)
    if page > 1:
        links["previous"] = link(page - 1)
    _audit_read(client, f"fhir.{resource_type.lower()}.search", rows, {"query": params})
    bundle = resources.search_bundle(
        [kind.resource(row, today=today) for row in rows],
        total=total,
        links=links,
        base=request.build_absolute_uri("/fhir/R4"),
    )
    return fhir_response(bundle)


@api_view(WRITE, ["POST"])
def create_observation(request: HttpRequest, client) -> HttpResponse:
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip()
    if content_type not in {"application/fhir+json", "application/json"}:
        return problem(415, "not-supported", "Send application/fhir+json.")
    written = writes.receive_observation(client, request.body, today=clinic_today())
    if written.status in (400, 422):
        return fhir_response(resources.outcome_of(written.issues), written.status)
    result = written.lab_result
    if written.status == 202 or result is None or result.neutrophil_result is None:
        return fhir_response(
            resources.outcome_of(
                written.issues
                or [
                    {
                        "severity": "information",
                        "code": "informational",
                        "diagnostics": "Already received.",
                    }
                ]
            ),
            202 if written.status == 202 else 200,
        )
    recorded = result.neutrophil_result
    location = request.build_absolute_uri(f"/fhir/R4/Observation/{recorded.uuid}")
    return fhir_response(
        resources.observation_resource(recorded), written.status, {"Location": location}
    )


@login_not_required
@csrf_exempt
def observations(request: HttpRequest) -> HttpResponse:
    """``/Observation``: GET searches (patient/*.read), POST files a count (Observation.write)."""
    if request.method == "POST":
        return create_observation(request)
    if request.method != "GET":
        return problem(
            405, "not-supported", "Use GET to search or POST to send a count.", Allow="GET, POST"
        )
    return search(request, resource_type="Observation")
