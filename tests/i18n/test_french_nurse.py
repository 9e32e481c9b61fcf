"""A nurse who chose French sees the staff pages in French, with French dates."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format


@pytest.fixture
def french_nurse(nurse):
    nurse.language = "fr"
    nurse.save(update_fields=["language"])
    return nurse


def french(day, format_name="DATE_FORMAT") -> str:
    with translation.override("fr"):
        return date_format(day, format_name)


def test_the_nurse_home_is_in_french_with_a_french_date(web_as, french_nurse, therapy, today):
    page = web_as(french_nurse).get("/", headers={"Accept-Language": "en"}).maybe_follow()

    assert '<html lang="fr">' in page.text
    assert f"Bonjour, {french_nurse.get_short_name()}" in page.text
    assert f"{french(today, 'l')} {french(today)}" in page.text  # "lundi 7 déc. 2026"
    assert "Signalements de patients en attente" in page.text
    assert "Good day" not in page.text
    assert "Patient reports waiting" not in page.text


def test_a_patient_record_is_in_french_with_french_dates(web_as, french_nurse, therapy, today):
    patient = therapy.patient
    web = web_as(french_nurse)
    page = web.get(patient.get_absolute_url())
    tabs = {
        key: web.get(reverse("patients:record_tab", args=[patient.uuid, key])).text
        for key in ("checks", "details", "alerts")
    }

    assert '<html lang="fr">' in page.text
    assert "Kineret et contrôles" in page.text
    assert "Nombres de neutrophiles" in tabs["checks"]
    assert "Renseignements" in tabs["details"] and "Rhumatologue" in tabs["details"]
    assert f"<strong>Sous Kineret</strong> depuis le {french(today)}" in page.text
    for text in (page.text, *tabs.values()):
        for english in (
            "Kineret and checks",
            "Neutrophil counts",
            "Record a count",
            "No alerts.",
            "Summary",
            "Open patient reports",
        ):
            assert english not in text


def test_the_same_record_in_english_for_an_english_nurse(web_as, nurse, therapy, today):
    """The French above comes from the nurse's choice, not from the page."""
    page = web_as(nurse).get(therapy.patient.get_absolute_url(), headers={"Accept-Language": "en"})

    assert '<html lang="en-gb">' in page.text
    assert f"<strong>On Kineret</strong> since {date_format(today)}" in page.text
    assert "Kineret et contrôles" not in page.text
