"""The patient banner: who, allergies, Kineret state, latest count and open alerts, on every
staff page about one patient."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from clinic_portal.core.clock import clinic_today
from followups import services as followup_services
from patients.models import Allergy
from tests.support.web import fill, form_on


def banner(page):
    node = page.html.select_one(".patient-banner")
    assert node is not None, "no banner on the page"
    return " ".join(node.get_text(" ", strip=True).split())


def test_the_banner_names_the_patient_and_says_when_allergies_are_not_recorded(
    web_as, nurse, patient, today
):
    text = banner(web_as(nurse).get(patient.get_absolute_url()))
    assert "Pat Example" in text and patient.mrn in text
    assert f"{patient.age_on(today)} y" in text and "Female" in text
    assert "Allergies not recorded" in text
    assert "Not on Kineret" in text and "No neutrophil count yet" in text


def test_no_known_allergies_is_said_explicitly_and_kept_by_an_unchanged_save(
    web_as, nurse, patient
):
    web = web_as(nurse)
    url = reverse("patients:edit", args=[patient.uuid])
    saved = fill(form_on(web.get(url)), no_known_allergies=True).submit()
    assert "No known allergies" in banner(saved.follow())
    form_on(web.get(url)).submit()  # open and save again without touching it
    patient.refresh_from_db()
    assert patient.no_known_allergies is True


def test_no_known_allergies_with_a_listed_allergy_is_refused(web_as, nurse, patient):
    page = web_as(nurse).get(reverse("patients:edit", args=[patient.uuid]))
    answer = fill(
        form_on(page), no_known_allergies=True, **{"allergies-0-substance": "Penicillin"}
    ).submit(status="*")
    assert answer.status_code == 400
    assert "An allergy is listed below" in answer.text
    assert not Allergy.objects.exists()


def test_blank_allergy_rows_are_not_marked_required(web_as, nurse, patient):
    page = web_as(nurse).get(reverse("patients:edit", args=[patient.uuid]))
    assert page.html.select_one("#id_allergies-0-substance").get("required") is None


def test_a_reaction_without_a_substance_is_refused_beside_it(web_as, nurse, patient):
    page = web_as(nurse).get(reverse("patients:edit", args=[patient.uuid]))
    answer = fill(form_on(page), **{"allergies-0-reaction": "Hives"}).submit(status="*")
    assert answer.status_code == 400 and "Name the substance" in answer.text


def test_the_banner_shows_kineret_the_latest_count_and_open_alerts(
    web_as, clinician, nurse, therapy, patient, today
):
    Allergy.objects.create(patient=patient, substance="Latex", reaction="Hives")
    followup_services.record_result(
        patient=patient,
        actor=nurse,
        value=Decimal("0.8"),
        sample_date=today,
        lab="Lab",
        today=today,
    )
    text = banner(web_as(clinician).get(patient.get_absolute_url()))
    assert "Latex (Hives)" in text
    assert "On Kineret" in text and "100 mg once a day" in text
    assert f"ANC 0.8 ×10⁹/L {today.day} {today:%b %Y}" in text and "below 1.0" in text
    assert "Urgent alert" in text


def test_a_future_start_reads_as_planned_and_a_stop_as_stopped(
    signed_screening, clinician, patient, today, web_as
):
    start = today + dt.timedelta(days=5)
    course = followup_services.start_therapy(
        screening=signed_screening(planned_start=start.isoformat()),
        actor=clinician,
        start_date=start,
        interval="daily",
        today=today,
    )
    web = web_as(clinician)
    text = banner(web.get(patient.get_absolute_url()))
    assert f"Kineret planned to start on {start.day} {start:%b %Y}, 100 mg once a day" in text
    assert "On Kineret" not in text
    course.start_date = today
    course.save()
    followup_services.stop_therapy(
        therapy=course, actor=clinician, stopped_on=today, reason="Injection reactions", today=today
    )
    assert "Kineret stopped on" in banner(web.get(patient.get_absolute_url()))


@pytest.mark.parametrize(
    "url",
    [
        lambda p, c: reverse("patients:edit", args=[p.uuid]),
        lambda p, c: reverse("patients:history", args=[p.uuid]),
        lambda p, c: reverse("screening:new", args=[p.uuid]),
        lambda p, c: reverse("followups:patient_result", args=[p.uuid]),
        lambda p, c: reverse("followups:patient_vaccination", args=[p.uuid]),
        lambda p, c: reverse("portal:triage_detail", args=[c.uuid]),
    ],
)
def test_every_page_about_one_patient_carries_the_banner(web_as, nurse, patient, url):
    from portal.concerns import report_concern

    concern = report_concern(
        patient=patient,
        author=patient.user,
        category="other",
        details={},
        message="Hello",
        today=clinic_today(),
    )
    assert "Pat Example" in banner(web_as(nurse).get(url(patient, concern)))


def test_a_course_on_hold_and_a_cancelled_one_say_so_with_the_reason(
    signed_screening, clinician, nurse, patient, today, web_as
):
    start = today + dt.timedelta(days=5)
    course = followup_services.start_therapy(
        screening=signed_screening(planned_start=start.isoformat()),
        actor=clinician,
        start_date=start,
        interval="daily",
        today=today,
    )
    followup_services.record_result(
        patient=patient,
        actor=nurse,
        value=Decimal("1.2"),
        sample_date=today,
        lab="Lab",
        today=today,
    )
    web = web_as(clinician)
    text = banner(web.get(patient.get_absolute_url()))
    assert f"Kineret on hold before its start on {start.day} {start:%b %Y}" in text
    followup_services.cancel_course(
        course=course, actor=clinician, reason="Patient moved away", today=today
    )
    text = banner(web.get(patient.get_absolute_url()))
    assert "Kineret cancelled before its planned start" in text and "Patient moved away" in text
