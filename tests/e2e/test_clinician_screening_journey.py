"""A rheumatologist screens a patient with one review item, signs, amends and starts Kineret,
all through the browser."""

import datetime as dt

from clinic_portal.core.clock import clinic_today
from followups.models import FollowUp, TherapyCourse
from patients.models import Patient
from screening.engine.dates import add_months
from screening.models import Screening
from tests.e2e.helpers import log_in

NO_QUESTIONS = [
    "pregnant",
    "breastfeeding",
    "planning_pregnancy",
    "anakinra_allergy",
    "ecoli_protein_allergy",
    "latex_allergy",
    "active_infection",
    "active_tb",
    "current_antibiotics",
    "chronic_or_recurrent_infections",
    "serious_infection_past_12_months",
    "kidney_disease",
    "malignancy_history",
]


def fill_screening(page, start: dt.date):
    page.fill("#id_planned_start", start.isoformat())
    for name in NO_QUESTIONS:
        page.check(f"input[name={name}][value=no]")
    page.check("input[name=asthma][value=yes]")
    for name, value in {
        "tb_test": "negative",
        "hbsag": "negative",
        "anti_hbc": "negative",
        "hcv": "negative",
        "hiv": "negative",
    }.items():
        page.select_option(f"#id_{name}", value)
    page.fill("#id_anc_10e9_per_l", "3.2")
    page.fill("#id_anc_sampled_on", (start - dt.timedelta(days=2)).isoformat())
    page.fill("#id_creatinine_clearance_ml_min", "90")


def test_enroll_screen_review_sign_amend_start_therapy_and_get_the_starter_pack(page, clinician):
    today = clinic_today()
    log_in(page, clinician)
    page.goto("/patients/new/")
    page.get_by_label("Given name").fill("Rosa")
    page.get_by_label("Family name").fill("Quintero")
    page.get_by_label("Date of birth").fill("1969-05-17")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Record number").fill("rq-10442")
    page.get_by_label("Email").fill("rosa@test.clinic.invalid")
    page.get_by_label("Current medications").fill("Methotrexate 20 mg weekly")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Rosa Quintero is enrolled.").wait_for()
    patient = Patient.objects.get(mrn="RQ10442")
    page.get_by_role("link", name="Start a screening").click()
    assert page.input_value("#id_date_of_birth") == patient.date_of_birth.isoformat()
    fill_screening(page, today)
    page.get_by_role("button", name="Evaluate").click()

    page.get_by_role("heading", name="Needs your review").wait_for()
    assert page.get_by_text("ASTHMA", exact=True).is_visible()
    page.get_by_label("Your note on this item").fill("Mild asthma, controlled on an inhaler")
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_role("button", name="Sign screening").click()
    page.get_by_text("The screening is signed.").wait_for()

    page.get_by_role("button", name="Amend").click()
    page.get_by_role("button", name="Evaluate").click()
    page.get_by_label("Your note on this item").fill("Still mild; unchanged")
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_role("button", name="Sign screening").click()
    page.get_by_text("The screening is signed.").wait_for()
    assert Screening.objects.current().count() == 1 and Screening.objects.signed().count() == 2

    page.get_by_role("link", name="Start therapy").click()
    page.get_by_role("button", name="Start therapy").click()
    page.get_by_text("Kineret is started").wait_for()
    assert page.get_by_role("link", name="Neutrophil count, month 1", exact=True).is_visible()
    # The summary shows the next checks; every check is on the record's checks tab.
    page.locator(".record-tabs").get_by_role("link", name="Checks and counts").click()
    page.get_by_role("heading", name="Neutrophil counts", exact=True).wait_for()
    month_three = add_months(today, 3)
    row = page.get_by_role("row", name="Neutrophil count, month 3")
    assert f"{month_three.day} {month_three:%b %Y}" in row.inner_text()
    course = TherapyCourse.objects.get()
    assert course.screening == Screening.objects.current().get()
    assert FollowUp.objects.filter(therapy=course, kind="neutrophil_count").count() == 6
    # The starter pack arrived with the therapy and shows on the record's education tab.
    page.locator(".record-tabs").get_by_role("link", name="Education", exact=True).click()
    education = page.get_by_role("region", name="Education")
    item = education.get_by_role("listitem").filter(has_text="When to call your care team")
    assert "New" in item.inner_text()
