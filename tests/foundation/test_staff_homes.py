"""Each staff role's home is its worklist for the day."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic_portal.accounts.roles import Role
from clinic_portal.core.clock import clinic_today
from education import services as education_services
from education.models import Assignment, Page
from followups import services as followup_services
from followups.models import Alert, FollowUp
from portal import concerns
from portal.models import Concern
from screening import services as screening_services
from tests.factories import PatientFactory, UserFactory
from tests.screening.cases import CLEAR

HOME = reverse("core:home")


def section(page, heading_id):
    node = page.html.find(id=heading_id).find_parent("section")
    return " ".join(node.get_text(" ", strip=True).split())


@pytest.mark.parametrize(
    ("full_name", "greeting"),
    [
        ("Dr Amara Okafor", "Dr Okafor"),
        ("Prof. Ines Moreau", "Prof. Moreau"),
        ("Tomas Berg", "Tomas"),
        ("Cher", "Cher"),
    ],
)
def test_staff_are_greeted_by_name(web_as, db, full_name, greeting):
    user = UserFactory(role=Role.NURSE, full_name=full_name)
    assert f"Good day, {greeting}" in web_as(user).get(HOME).text


def test_the_rheumatologists_day(web_as, clinician, nurse, patient, other_patient, today):
    # An attention alert raised first, then an urgent one: urgent still comes first.
    for severity, cause in (("attention", "A"), ("urgent", "B")):
        Alert.objects.create(
            patient=patient,
            clinician=clinician,
            severity=severity,
            cause=cause,
            message=f"{severity} thing",
            source_type="test",
            source_id=cause,
            created_at=timezone.now() - dt.timedelta(days=2),
        )
    screening_services.start_screening(
        patient=other_patient,
        actor=nurse,
        answers={**CLEAR, "asthma": True, "date_of_birth": "1970-01-01"},
        evaluate_now=True,
        today=today,
    )
    starter = PatientFactory(
        given_name="Sam", family_name="Starter", responsible_clinician=clinician
    )
    screening = screening_services.start_screening(
        patient=starter,
        actor=clinician,
        answers={
            **CLEAR,
            "date_of_birth": starter.date_of_birth.isoformat(),
            "planned_start": (today + dt.timedelta(days=6)).isoformat(),
        },
        evaluate_now=True,
        anc_sampled_on=today,
        today=today,
    )
    screening = screening_services.sign_screening(
        screening=screening, clinician=clinician, today=today
    )
    followup_services.start_therapy(
        screening=screening,
        actor=clinician,
        start_date=today + dt.timedelta(days=6),
        interval="daily",
        today=today,
    )
    report = concerns.report_concern(
        patient=patient, author=patient.user, category="rash", details={}, message="", today=today
    )
    concerns.escalate(concern=report, actor=nurse)
    page = Page.objects.get(slug="when-to-call")
    education_services.assign_pages(pages=[page], patients=[patient], actor=nurse)
    Assignment.objects.update(assigned_at=timezone.now() - dt.timedelta(days=9))

    home = web_as(clinician).get(HOME)
    alerts = section(home, "alerts-heading")
    assert alerts.index("Urgent") < alerts.index("Attention")
    assert "2 days ago" in alerts
    waiting = section(home, "screenings-heading")
    assert "Olive Other" in waiting and "Needs review" in waiting
    assert "Sam Starter" not in waiting  # signed: nothing left to do
    starts = section(home, "starts-heading")
    assert "Sam Starter" in starts and "100 mg once a day" in starts
    assert "Pat Example" in section(home, "escalated-heading")
    unread = section(home, "unread-heading")
    assert "Pat Example" in unread and page.title in unread


def test_the_nurses_day_puts_urgent_reports_first_with_phone_therapy_and_count(
    web_as, nurse, clinician, therapy, patient, today
):
    patient.phone = "+44 20 7946 0123"
    patient.save()
    followup_services.record_result(
        patient=patient,
        actor=nurse,
        value=Decimal("1.2"),
        sample_date=today,
        lab="Lab",
        today=today,
    )
    for category, details in (
        ("other", {}),
        ("fever", {"measured": "yes", "temperature": "38.4", "since": today.isoformat()}),
    ):
        concerns.report_concern(
            patient=patient,
            author=patient.user,
            category=category,
            details=details,
            message="x",
            today=today,
        )
    home = web_as(nurse).get(HOME)
    reports = section(home, "reports-heading")
    assert reports.index("Fever") < reports.index(str(Concern.Category.OTHER.label))
    assert "38.4 °C" in reports and "+44 20 7946 0123" in reports
    assert "On Kineret" in reports and "ANC 1.2" in reports and "below 1.5" in reports
    assert "Waiting for triage" in reports
    due_today = section(home, "today-heading")
    first = FollowUp.objects.filter(due_date=today).first()
    assert first is not None and first.label in due_today


def test_closed_reports_leave_the_nurses_home(web_as, nurse, patient):
    report = concerns.report_concern(
        patient=patient,
        author=patient.user,
        category="rash",
        details={},
        message="",
        today=clinic_today(),
    )
    concerns.resolve(concern=report, actor=nurse)
    assert Concern.objects.get().status == "resolved"
    assert "No report is waiting." in web_as(nurse).get(HOME).text
