"""Synthetic demo data. Every person here is invented; no real patient data ever goes in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from unittest import mock

from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic_portal.accounts.models import User
from clinic_portal.accounts.roles import Role
from clinic_portal.accounts.services import create_user_with_role
from followups import services as followup_services
from followups.daily import refresh_statuses
from followups.models import TherapyCourse
from patients.models import Patient
from patients.services import AllergyData, enroll_patient
from portal import concerns
from portal.models import Concern
from screening import services as screening_services
from screening.models import Screening
from treatment.demo import seed_demo_diary

DEMO_PASSWORD = "demo-portal-2026"  # synthetic demo accounts only
# A fixed authenticator key for the demo staff, so `manage.py demo_code` can print their code.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # hex, synthetic


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
    user = User.objects.filter(email__iexact=email).first() or create_user_with_role(
        email=email, full_name=full_name, role=role, password=DEMO_PASSWORD
    )
    TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Demo authenticator", "key": DEMO_TOTP_KEY}
    )
    return user


def demo_code(email: str) -> str:
    """The current TOTP code of a demo staff account (for trying the portal without a phone)."""
    device = TOTPDevice.objects.get(user__email__iexact=email, confirmed=True, key=DEMO_TOTP_KEY)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


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
    {
        "given_name": "Priya",
        "family_name": "Raman",
        "date_of_birth": dt.date(1980, 6, 21),
        "sex": "female",
        "mrn": "DEMO0003",
        "email": "priya@demo.clinic.invalid",
        "phone": "+44 20 7946 0103",
        "current_medications": "Methotrexate 20 mg weekly",
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
        invite=False,  # the demo sets their password below: no invitation to an active account
        responsible_clinician=clinician,
        primary_nurse=nurse,
        **fields,
    )


def _demo_answers(patient: Patient, start: dt.date, *, asthma: bool = True) -> dict:
    no = False
    return {
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex,
        "planned_start": start.isoformat(),
        "pregnant": no,
        "breastfeeding": no,
        "planning_pregnancy": no,
        "anakinra_allergy": no,
        "ecoli_protein_allergy": no,
        "latex_allergy": no,
        "active_infection": no,
        "active_tb": no,
        "temperature_c": 36.7,
        "current_antibiotics": no,
        "chronic_or_recurrent_infections": no,
        "serious_infection_past_12_months": no,
        "tb_test": "negative",
        "hbsag": "negative",
        "anti_hbc": "negative",
        "hcv": "negative",
        "hiv": "negative",
        "asthma": asthma,
        "kidney_disease": no,
        "creatinine_clearance_ml_min": 88,
        "anc_10e9_per_l": 3.1,
        "alt_x_uln": 0.7,
        "medications": patient.medication_lines,
        "prednisone_mg_per_day": 5,
    }


def _ensure_demo_therapy(patient: Patient, clinician: User, today: dt.date) -> None:
    """Margaret has been on Kineret for five weeks, so the worklist and record have content."""
    if patient.therapies.exists():
        return
    start = today - dt.timedelta(days=35)
    # The start gate refuses a start in the past, so the demo replays the start on its own day:
    # screened, signed and started that day (the services' ``today``), as the clinic would have.
    _start_demo_course(patient, clinician, start)
    refresh_statuses(today)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _start_demo_course(patient: Patient, clinician: User, start: dt.date) -> TherapyCourse:
    """Passing ``today=start`` moves the clinic's day, not the time rows are stamped with, so the
    replay stamps the screening, its signature and the start on the start day, in that order:
    the record reads screened, signed, then started. A signed screening is frozen (a database
    trigger), so its times are set before it is signed; review notes are never edited, so the
    asthma note keeps the day the seed ran."""
    screening = screening_services.start_screening(
        patient=patient,
        actor=clinician,
        answers=_demo_answers(patient, start),
        evaluate_now=True,
        anc_sampled_on=start - dt.timedelta(days=5),
        today=start,
    )
    screening_services.acknowledge_review_item(
        screening=screening, clinician=clinician, code="ASTHMA", note="Mild, well controlled."
    )
    Screening.objects.filter(pk=screening.pk).update(
        created_at=_at(start, 9), updated_at=_at(start, 9, 15), evaluated_at=_at(start, 9)
    )
    screening.refresh_from_db()
    with mock.patch("django.utils.timezone.now", return_value=_at(start, 9, 30)):
        screening = screening_services.sign_screening(
            screening=screening, clinician=clinician, today=start
        )
    course = followup_services.start_therapy(
        screening=screening, actor=clinician, start_date=start, interval="daily", today=start
    )
    TherapyCourse.objects.filter(pk=course.pk).update(started_at=_at(start, 10))
    return course


def demo_logins() -> list[DemoLogin]:
    """The demo accounts that exist, without creating anything (for the start-up banner)."""
    emails = [email for email, _, _ in STAFF] + [spec["email"] for spec in PATIENTS]
    users = {u.email: u for u in User.objects.filter(email__in=emails, is_active=True)}
    return [
        DemoLogin(role=users[email].get_role_display(), email=email, password=DEMO_PASSWORD)
        for email in emails
        if email in users
    ]


def _ensure_demo_counts(patient: Patient, nurse: User, today: dt.date) -> None:
    """Margaret's counts drift down to 1.3 (an attention alert), so the chart, the banner and
    the rheumatologist's alerts have something to show."""
    course = patient.therapies.first()
    if course is None or patient.neutrophil_results.exists():
        return
    for days, value in ((7, "2.6"), (21, "1.8"), (32, "1.3")):
        followup_services.record_result(
            patient=patient,
            actor=nurse,
            value=Decimal(value),
            sample_date=course.start_date + dt.timedelta(days=days),
            lab="Riverside hospital laboratory",
            today=today,
        )


def _ensure_planned_start(patient: Patient, clinician: User, today: dt.date) -> None:
    """Priya is screened, signed and due to start in eight days: a planned start."""
    if patient.screenings.exists():
        return
    start = today + dt.timedelta(days=8)
    screening = screening_services.start_screening(
        patient=patient,
        actor=clinician,
        answers=_demo_answers(patient, start, asthma=False),
        evaluate_now=True,
        anc_sampled_on=today - dt.timedelta(days=2),
        today=today,
    )
    screening = screening_services.sign_screening(
        screening=screening, clinician=clinician, today=today
    )
    followup_services.start_therapy(
        screening=screening, actor=clinician, start_date=start, interval="daily", today=today
    )


def _ensure_review_waiting(patient: Patient, nurse: User, today: dt.date) -> None:
    """Desmond's screening, prepared by the nurse, waits for the rheumatologist's review."""
    if patient.screenings.exists():
        return
    screening_services.start_screening(
        patient=patient,
        actor=nurse,
        answers=_demo_answers(patient, today + dt.timedelta(days=14)),
        evaluate_now=True,
        anc_sampled_on=today - dt.timedelta(days=3),
        today=today,
    )


def _ensure_reports(margaret: Patient, desmond: Patient, nurse: User, today: dt.date) -> None:
    """An urgent fever report waiting for triage, and a rash report escalated to the
    rheumatologist."""
    if Concern.objects.filter(patient__in=[margaret, desmond]).exists():
        return
    concerns.report_concern(
        patient=margaret,
        author=margaret.user,
        category="fever",
        details={"measured": "yes", "temperature": "38.4", "since": today.isoformat()},
        message="Shivery since this morning.",
        today=today,
    )
    rash = concerns.report_concern(
        patient=desmond,
        author=desmond.user,
        category="rash",
        details={"where": "Both forearms", "since": (today - dt.timedelta(days=1)).isoformat()},
        message="Itchy red patches.",
        today=today,
    )
    concerns.escalate(concern=rash, actor=nurse)


@transaction.atomic
def seed_demo(*, today: dt.date) -> list[DemoLogin]:
    """Create the demo accounts and records once, around the clinic's ``today``; running it again
    changes nothing."""
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
    margaret, desmond, priya = (
        Patient.objects.get(mrn=mrn) for mrn in ("DEMO0001", "DEMO0002", "DEMO0003")
    )
    _ensure_demo_therapy(margaret, staff[Role.CLINICIAN], today)
    seed_demo_diary(margaret, staff[Role.NURSE], today=today)
    _ensure_demo_counts(margaret, staff[Role.NURSE], today)
    _ensure_planned_start(priya, staff[Role.CLINICIAN], today)
    _ensure_review_waiting(desmond, staff[Role.NURSE], today)
    _ensure_reports(margaret, desmond, staff[Role.NURSE], today)
    return logins
