"""Synthetic demo data. Every person here is invented; no real patient data ever goes in."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from clinic_portal.accounts.models import User
from clinic_portal.accounts.roles import Role
from clinic_portal.accounts.services import create_user_with_role

DEMO_PASSWORD = "demo-portal-2026"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


STAFF = [
    ("clinician@demo.clinic.invalid", "Dr Amara Okafor", Role.CLINICIAN),
    ("nurse@demo.clinic.invalid", "Sam Lindqvist", Role.NURSE),
]


def _ensure_user(email: str, full_name: str, role: Role) -> User:
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing
    return create_user_with_role(
        email=email, full_name=full_name, role=role, password=DEMO_PASSWORD
    )


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Create the demo accounts and records once; running it again changes nothing."""
    logins = []
    for email, full_name, role in STAFF:
        _ensure_user(email, full_name, role)
        logins.append(DemoLogin(role=Role(role).label, email=email, password=DEMO_PASSWORD))
    return logins
