"""The screening form as a person submits it: follow-up questions whose controlling answer
does not ask them are ignored and not stored, and "No known allergies" is a choice of its own.
Every test fills the form the page rendered (django-webtest)."""

import datetime as dt

import pytest
from django.urls import reverse

from screening.models import Screening
from tests.support.web import fill, form_on, visible_errors

NO = [
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
    "asthma",
    "kidney_disease",
    "malignancy_history",
]


def complete(form, today, **values):
    """A clear screening for the persona patient (sex and birth come from the record)."""
    answers = {
        **dict.fromkeys(NO, "no"),
        "planned_start": (today + dt.timedelta(days=7)).isoformat(),
        "tb_test": "negative",
        "hbsag": "negative",
        "anti_hbc": "negative",
        "hcv": "negative",
        "hiv": "negative",
        "anc_10e9_per_l": "3.4",
        "creatinine_clearance_ml_min": "95",
    }
    return fill(form, **{**answers, **values})


def evaluate(web, patient, today, **values):
    page = web.get(reverse("screening:new", args=[patient.uuid]))
    form = complete(form_on(page), today, **values)
    return form.submit("action", value="evaluate", status="*")


@pytest.mark.parametrize(
    ("values", "follow_up"),
    [
        ({"tb_test": "negative", "ltbi_treatment_start": "1800-01-01"}, "ltbi_treatment_start"),
        ({"hbsag": "negative", "hbv_antiviral": "yes"}, "hbv_antiviral"),
    ],
)
def test_a_follow_up_filled_after_a_no_is_ignored_and_not_stored(
    web_as, clinician, patient, today, values, follow_up
):
    answer = evaluate(web_as(clinician), patient, today, **values)
    assert answer.status_code == 302, visible_errors(answer)  # even 1800 raises no error
    screening = Screening.objects.get(patient=patient)
    assert follow_up not in screening.answers
    assert screening.outcome == "clear"


def test_the_same_follow_up_counts_once_its_question_asks_it(web_as, clinician, patient, today):
    answer = evaluate(web_as(clinician), patient, today, tb_test="positive")
    assert answer.status_code == 302
    assert Screening.objects.get().evaluation.contraindications == ("LTBI_UNTREATED",)
    started = (today - dt.timedelta(days=60)).isoformat()
    edit = form_on(
        web_as(clinician).get(reverse("screening:edit", args=[Screening.objects.get().uuid]))
    )
    edit["ltbi_treatment_start"] = started
    edit.submit("action", value="evaluate")
    screening = Screening.objects.get()
    assert screening.answers["ltbi_treatment_start"] == started
    assert screening.evaluation.review_items == ("LTBI_ON_TREATMENT",)


def test_a_mans_pregnancy_answers_are_not_asked_stored_or_counted(
    web_as, clinician, patient, today
):
    patient.sex = "male"
    patient.save()
    web = web_as(clinician)
    page = web.get(reverse("screening:new", args=[patient.uuid]))
    progress = [" ".join(li.text.split()) for li in page.html.select(".screening-progress li")]
    assert "Reproductive status Not asked" in progress
    answer = complete(form_on(page), today, pregnant="yes").submit("action", value="evaluate")
    screening = Screening.objects.get()
    assert answer.status_code == 302
    assert "pregnant" not in screening.answers and screening.outcome == "clear"


def test_follow_ups_carry_what_shows_them_and_nothing_is_marked_required(
    web_as, clinician, patient
):
    page = web_as(clinician).get(reverse("screening:new", args=[patient.uuid]))
    ltbi = page.html.select_one("[data-question=ltbi_treatment_start]")
    assert (
        ltbi["data-asked-when"]
        == '{"question": "tb_test", "answers": ["positive"], "unless": false}'
    )
    latex = page.html.select_one("[data-question=latex_allergy]")
    assert latex["data-implied-no-by"] == "no_known_allergies" and latex.has_attr("data-required")
    assert not page.html.select("form[data-screening-form] [required], .asteriskField")
    assert page.html.select_one("script[src$='js/screening_form.js'][nonce]")


def test_no_known_allergies_answers_the_allergy_questions(web_as, clinician, patient, today):
    web = web_as(clinician)
    page = web.get(reverse("screening:new", args=[patient.uuid]))
    form = complete(form_on(page), today)
    for name in ("anakinra_allergy", "ecoli_protein_allergy", "latex_allergy"):
        form[name] = ""
    form["no_known_allergies"].checked = True
    detail = form.submit("action", value="evaluate").follow()
    screening = Screening.objects.get()
    assert screening.outcome == "clear" and screening.answers["no_known_allergies"] is True
    said = detail.html.select_one("[data-allergies]").get_text(" ", strip=True)
    assert said == "Allergies: No known allergies"
    rows = {
        th.get_text(strip=True): th.find_next("td").get_text(strip=True)
        for th in detail.html.select("section[aria-labelledby=answers-heading] th")
    }
    assert rows["Latex allergy"] == "No (no known allergies)"


def test_allergies_left_unanswered_are_not_recorded_and_the_screening_incomplete(
    web_as, clinician, patient, today
):
    web = web_as(clinician)
    page = web.get(reverse("screening:new", args=[patient.uuid]))
    form = complete(form_on(page), today, latex_allergy="")
    detail = form.submit("action", value="evaluate").follow()
    assert Screening.objects.get().outcome == "incomplete"
    said = detail.html.select_one("[data-allergies]").get_text(" ", strip=True)
    assert said == "Allergies: Allergies not recorded"


def test_no_known_allergies_and_an_allergy_answered_yes_is_refused(
    web_as, clinician, patient, today
):
    page = web_as(clinician).get(reverse("screening:new", args=[patient.uuid]))
    form = complete(form_on(page), today, latex_allergy="yes")
    form["no_known_allergies"].checked = True
    answer = form.submit("action", value="evaluate", status=400)
    assert (
        "An allergy below is answered yes. Untick this, or change that answer."
        in visible_errors(answer)
    )
    assert not Screening.objects.exists()
