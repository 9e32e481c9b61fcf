"""Synthetic demo data. Every person here is invented; no real patient data ever goes in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from clinic_portal.accounts.models import User
from clinic_portal.accounts.roles import Role
from clinic_portal.accounts.services import create_user_with_role
from patients.models import Patient
from patients.services import AllergyData, enroll_patient

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


PATIENTS = [
    {
        "given_name": "Margaret",
        "family_name": "Ellison",
        "date_of_birth": dt.date(1958, 3, 14),
        "sex": "female",
        "mrn": "DEMO0001",
        "email": "margaret@demo.clinic.invalid",
        "phone": "+44 20 7946 0101",
        "current_medications": "Methotrexate 15 mg weekly\nFolic acid 5 mg weekly",
        "relevant_conditions": "Asthma",
        "allergies": [AllergyData("Penicillin", "Rash", "moderate")],
    },
    {
        "given_name": "Desmond",
        "family_name": "Achterberg",
        "date_of_birth": dt.date(1971, 11, 2),
        "sex": "male",
        "mrn": "DEMO0002",
        "email": "desmond@demo.clinic.invalid",
        "phone": "+44 20 7946 0102",
        "current_medications": "Sulfasalazine 1 g twice daily",
        "relevant_conditions": "",
        "allergies": [],
    },
]


def _ensure_patient(spec: dict, clinician: User, nurse: User) -> Patient:
    existing = Patient.objects.filter(mrn=spec["mrn"]).first()
    if existing is not None:
        return existing
    fields = {k: v for k, v in spec.items() if k not in {"email", "allergies"}}
    return enroll_patient(
        actor=clinician,
        email=spec["email"],
        allergies=spec["allergies"],
        responsible_clinician=clinician,
        primary_nurse=nurse,
        **fields,
    )


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Create the demo accounts and records once; running it again changes nothing."""
    logins = []
    staff = {}
    for email, full_name, role in STAFF:
        staff[role] = _ensure_user(email, full_name, role)
        logins.append(DemoLogin(role=Role(role).label, email=email, password=DEMO_PASSWORD))
    for spec in PATIENTS:
        patient = _ensure_patient(spec, staff[Role.CLINICIAN], staff[Role.NURSE])
        if not patient.user.has_usable_password():
            # Demo patients skip the invitation so the portal can be tried at once.
            patient.user.set_password(DEMO_PASSWORD)
            patient.user.is_active = True
            patient.user.save(update_fields=["password", "is_active"])
        logins.append(DemoLogin(role="Patient", email=spec["email"], password=DEMO_PASSWORD))
    return logins
