"""Roles, the groups that carry their Django permissions, and the one decorator views use.

A user's role decides which part of the portal they work in. Object-level questions ("may this
user see this patient?") are answered in ``patients.access``; this module answers only "may this
kind of user use this kind of page?".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLINICIAN = "clinician", _("Rheumatologist")
    NURSE = "nurse", _("Nurse")
    PATIENT = "patient", _("Patient")
    ADMIN = "admin", _("Clinic administrator")


STAFF_ROLES = frozenset({Role.CLINICIAN, Role.NURSE})

# Group names are stable identifiers used by data migrations; do not rename.
ROLE_GROUPS = {
    Role.CLINICIAN: "Clinicians",
    Role.NURSE: "Nurses",
    Role.PATIENT: "Patients",
    Role.ADMIN: "Clinic administrators",
}


def role_required(*roles: Role) -> Callable:
    """Let only users with one of ``roles`` in; others get 403.

    Anonymous users never reach this: ``LoginRequiredMiddleware`` sends them to the login page.
    Patients get 404 from staff pages: for them those pages do not exist, and a patient probing
    another patient's URL learns nothing from the answer.
    """
    allowed = frozenset(roles)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.role not in allowed:
                if request.user.role == Role.PATIENT or Role.PATIENT in allowed:
                    raise Http404("No such page.")
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = allowed  # read by the permission-matrix test
        return wrapper

    return decorator


staff_required = role_required(Role.CLINICIAN, Role.NURSE)
clinician_required = role_required(Role.CLINICIAN)
patient_required = role_required(Role.PATIENT)
