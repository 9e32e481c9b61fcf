"""Reporting completed: side effects, pregnancy, and seeing another doctor."""

import datetime as dt
from decimal import Decimal

import pytest

from clinic_portal.notifications.models import OutboundEmail
from followups import services as followup_services
from followups.models import Alert
from portal.models import Concern
from portal.urgency import is_urgent, pregnancy_holds_treatment


@pytest.mark.parametrize(
    ("category", "details", "urgent"),
    [
        ("side_effects", {"symptom": "nausea", "fever": "no"}, False),
        ("side_effects", {"symptom": "nausea", "fever": "yes"}, True),
        ("side_effects", {}, False),
        ("pregnancy", {"which": "maybe"}, True),
        ("fever", {}, True),
        ("other", {"fever": "yes"}, False),
    ],
)
def test_which_reports_are_urgent(category, details, urgent):
    assert is_urgent(category, details) is urgent


def test_only_the_strict_policy_holds_treatment_in_pregnancy():
    assert pregnancy_holds_treatment("strict") and not pregnancy_holds_treatment("us_label")


def _side_effect(web_as, patient_user, fever):
    page = (
        web_as(patient_user).get("/my/concerns/new/").click(href="/my/concerns/new/side_effects/")
    )
    form = page.forms[1]
    form["symptom"] = "diarrhoea"
    form["severity"] = "moderate"
    form["since"] = "2026-11-01"
    form["getting_worse"] = "yes"
    form["fever"] = fever
    return form.submit().follow()


def test_a_side_effect_alone_is_not_urgent(patient, web_as, patient_user, mailoutbox):
    page = _side_effect(web_as, patient_user, "no")
    concern = Concern.objects.get()
    assert concern.category == "side_effects" and not concern.urgent
    assert concern.details["getting_worse"] == "yes"
    assert "Please call the clinic today" not in page
    assert not OutboundEmail.objects.filter(purpose="concern").exists()


def test_a_side_effect_with_a_fever_is_urgent_and_the_team_is_emailed(
    patient, web_as, patient_user, clinician, nurse, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = _side_effect(web_as, patient_user, "yes")
    assert Concern.objects.get().urgent
    assert "Please call the clinic today" in page
    assert set(
        OutboundEmail.objects.filter(purpose="concern").values_list("to_email", flat=True)
    ) == {
        clinician.email,
        nurse.email,
    }


@pytest.mark.parametrize(("policy", "hold"), [("strict", True), ("us_label", False)])
def test_a_pregnancy_report_is_urgent_and_tells_the_patient_what_to_do(
    patient,
    web_as,
    patient_user,
    clinician,
    nurse,
    settings,
    policy,
    hold,
    django_capture_on_commit_callbacks,
):
    settings.CLINIC_SCREENING_POLICY = policy
    page = web_as(patient_user).get("/my/concerns/new/pregnancy/")
    form = page.forms[1]
    form["which"] = "maybe"
    with django_capture_on_commit_callbacks(execute=True):
        page = form.submit().follow()
    concern = Concern.objects.get()
    assert concern.urgent and concern.details == {"which": "maybe"}
    assert {clinician.email, nurse.email} <= set(
        OutboundEmail.objects.filter(purpose="concern").values_list("to_email", flat=True)
    )
    alert = Alert.objects.get(cause="PREGNANCY_REPORTED")
    assert alert.clinician == clinician
    assert alert.severity == ("urgent" if hold else "attention")
    assert "What to do now" in page
    assert ("Do not take your next Kineret injection" in page) is hold
    assert ("Keep taking Kineret as usual" in page) is not hold


def test_seeing_another_doctor_explains_what_to_say_and_links_the_card(
    course, web_as, patient_user
):
    page = web_as(patient_user).get("/my/concerns/new/").click(href="/my/treatment/other-doctor/")
    assert "What to say" in page and "once a day" in page
    assert page.click(href="/my/treatment/card.pdf").content_type == "application/pdf"


@pytest.mark.parametrize(("fever", "alerted"), [("yes", True), ("no", False)])
def test_a_side_effect_with_a_fever_and_a_recent_low_count_is_urgent_like_a_fever_report(
    therapy, nurse, web_as, patient_user, today, fever, alerted
):
    """followups.rules.fever_with_low_neutrophils: the fever is what counts, not the category."""
    followup_services.record_result(
        patient=therapy.patient,
        actor=nurse,
        value=Decimal("1.2"),
        sample_date=today - dt.timedelta(days=10),
        lab="Lab",
        today=today,
    )
    _side_effect(web_as, patient_user, fever)
    assert Alert.objects.filter(cause="FEVER_WITH_LOW_NEUTROPHILS").exists() is alerted
