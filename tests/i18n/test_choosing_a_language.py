"""Which language a page is in: the browser or the switcher before log-in, the saved choice after."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def form_with(page, field: str):
    return next(form for form in page.forms.values() if field in form.fields)


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_the_browser_decides_before_log_in(django_app):
    page = django_app.get(reverse("accounts:login"), headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    assert html_lang(page.text) == "fr"
    page = django_app.get(reverse("accounts:login"), headers={"Accept-Language": "de, es;q=0.5"})
    assert html_lang(page.text) == "es"


def test_english_is_british_english(django_app):
    page = django_app.get(reverse("accounts:login"), headers={"Accept-Language": "en-US"})
    assert html_lang(page.text) == "en-gb"


def test_the_switcher_works_for_an_anonymous_visitor(django_app):
    page = django_app.get(reverse("accounts:login"), headers={"Accept-Language": "en"})
    form = form_with(page, "language")
    form["language"] = "es"
    landed = form.submit().follow(headers={"Accept-Language": "en"})
    assert html_lang(landed.text) == "es"
    assert landed.request.path == reverse("accounts:login")
    assert django_app.cookies[settings.LANGUAGE_COOKIE_NAME] == "es"


def test_a_patients_saved_preference_decides_over_the_browser(web_as, clinician, nurse):
    patient = PatientFactory(preferred_language="fr", responsible_clinician=clinician)
    page = web_as(patient.user).get("/", headers={"Accept-Language": "es"}).maybe_follow()
    assert html_lang(page.text) == "fr"
    assert page.headers["Content-Language"] == "fr"


def test_another_language_gets_the_english_pages(web_as, clinician):
    patient = PatientFactory(preferred_language="pl", responsible_clinician=clinician)
    page = web_as(patient.user).get("/", headers={"Accept-Language": "fr"}).maybe_follow()
    assert html_lang(page.text) == "en-gb"


def test_staff_keep_the_language_they_switch_to(web_as, nurse):
    app = web_as(nurse)
    page = app.get("/", headers={"Accept-Language": "en"}).maybe_follow()
    assert html_lang(page.text) == "en-gb"
    form = form_with(page, "language")
    form["language"] = "fr"
    assert html_lang(form.submit().follow().text) == "fr"
    nurse.refresh_from_db()
    assert nurse.language == "fr"
    # Next time, on another browser, the account's choice decides.
    assert html_lang(web_as(nurse).get("/", headers={"Accept-Language": "es"}).text) == "fr"


def test_the_profile_offers_the_portals_languages_and_keeps_an_older_answer(web_as, clinician):
    patient = PatientFactory(preferred_language="pl", responsible_clinician=clinician)
    page = web_as(patient.user).get(reverse("portal:profile"))
    form = form_with(page, "preferred_language")
    options = [value for value, _selected, _text in form["preferred_language"].options]
    assert options == ["en", "fr", "es", "other", "pl"]
    assert form["preferred_language"].value == "pl"
    form["preferred_language"] = "es"
    after = form.submit().follow()
    patient.refresh_from_db()
    assert patient.preferred_language == "es"
    assert html_lang(after.text) == "es"
    form = form_with(after, "preferred_language")
    options = [value for value, _selected, _text in form["preferred_language"].options]
    assert options == ["en", "fr", "es", "other"]
