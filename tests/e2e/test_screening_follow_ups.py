"""The screening form in a real browser: a follow-up question appears only once the answer that
asks it is given, and the progress list beside the form follows the answers."""

from django.urls import reverse

from tests.e2e.helpers import log_in


def badge(page, part: str) -> str:
    item = page.locator(".screening-progress li").filter(has_text=part)
    return item.locator("[data-progress-badge]").inner_text()


def test_a_follow_up_appears_only_after_its_answer_and_the_progress_list_follows(
    page, clinician, patient
):
    log_in(page, clinician)
    page.goto(reverse("screening:new", args=[patient.uuid]))
    treatment_date = page.get_by_label("Latent-TB treatment start date")
    assert not treatment_date.is_visible()  # the TB test is not answered yet
    assert badge(page, "Infections and tuberculosis") == "6 to answer"

    page.get_by_label("Tuberculosis test (TST or IGRA)").select_option("negative")
    assert not treatment_date.is_visible()
    assert badge(page, "Infections and tuberculosis") == "5 to answer"
    page.get_by_label("Tuberculosis test (TST or IGRA)").select_option("positive")
    treatment_date.wait_for(state="visible")

    antiviral = page.locator("[data-question=hbv_antiviral]")
    assert not antiviral.is_visible()
    page.get_by_label("Hepatitis B surface antigen (HBsAg)").select_option("positive")
    antiviral.wait_for(state="visible")

    allergies = page.locator("[data-question=latex_allergy]")
    assert allergies.is_visible()
    assert badge(page, "Allergies") == "3 to answer"
    page.get_by_label("No known allergies").check()
    allergies.wait_for(state="hidden")
    assert badge(page, "Allergies") == "Complete"

    assert badge(page, "Reproductive status") == "3 to answer"
    page.get_by_label("Sex", exact=True).select_option("male")
    page.locator("#part-2").wait_for(state="hidden")
    assert not page.locator(".screening-progress li").filter(has_text="Reproductive").is_visible()
