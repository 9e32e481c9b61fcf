from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinic_portal.accounts.roles import Role
from clinic_portal.audit import audit
from clinic_portal.core import dashboards, health
from clinic_portal.core.shown_patients import shown_patients


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Reachable without login; says only whether the parts answer, nothing about patients."""
    problems = {"database": health.check_database(), "broker": health.check_broker()}
    body = {name: ("ok" if problem is None else "error") for name, problem in problems.items()}
    healthy = all(problem is None for problem in problems.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **body}, status=200 if healthy else 503
    )


def home(request: HttpRequest) -> HttpResponse:
    """Each role has its own home page; the URL stays ``/``."""
    builders = {
        Role.CLINICIAN: dashboards.clinician_home,
        Role.NURSE: dashboards.nurse_home,
        Role.PATIENT: dashboards.patient_home,
    }
    builder = builders.get(request.user.role, dashboards.admin_home)
    template, context = builder(request)
    if request.user.role != Role.PATIENT:
        # Staff homes show patient names and alerts: every patient shown is a read.
        audit.record_read(f"home.{request.user.role}", patients=shown_patients(context))
    return render(request, template, context)
