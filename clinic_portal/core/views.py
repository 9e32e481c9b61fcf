from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinic_portal.core import health


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
