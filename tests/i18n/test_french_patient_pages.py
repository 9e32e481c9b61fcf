"""A French-speaking patient's own pages, emails and documents are in French, with French dates.

Every assertion names words that exist only in the French translation (or a date written the
French way), so an untranslated string or a fixed English date pattern makes the test fail.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from followups.models import FollowUp
from portal import invitations
from portal.models import Concern
from tests.support.web import form_on

pytestmark = pytest.mark.django_db

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
# The abbreviations French writes, with their full stop ("7 déc. 2026", "7 mai 2026").
SHORT_MONTHS = [
    "jan.",
    "fév.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


def short_day(day: dt.date) -> str:
    """7 déc. 2026"""
    return f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}"


def long_day(day: dt.date) -> str:
    """7 décembre 2026"""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@pytest.fixture
def french_patient(therapy):
    """A patient on daily Kineret since today, who chose French."""
    patient = therapy.patient
    patient.preferred_language = "fr"
    patient.save()
    return patient


def test_the_home_page_is_in_french_with_french_dates(web_as, french_patient, therapy):
    page = web_as(french_patient.user).get("/", headers={"Accept-Language": "en"})
    text = page.text
    assert '<html lang="fr">' in text
    assert f"Bonjour, {french_patient.user.get_short_name()}" in text
    assert "Dire quelque chose à l'équipe soignante" in text
    assert "Mes prochains contrôles" in text and "Mes lectures" in text
    assert "Mon traitement" in text  # the navigation bar
    assert "Des questions sur vos soins ?" in text  # the footer
    # The course in a sentence, with its French date.
    assert (
        f"Vous prenez Kineret 100 mg une fois par jour, depuis le {long_day(therapy.start_date)}"
        in text
    )
    # The next blood test: its French weekday and date, and what it is for.
    check = (
        FollowUp.objects.filter(therapy=therapy, kind="neutrophil_count")
        .order_by("due_date")
        .first()
    )
    due = check.due_date
    assert f"{WEEKDAYS[due.weekday()]} {short_day(due)}" in text
    assert "Une prise de sang pour vérifier vos globules blancs" in text
    for english in ("My next checks", "Tell the care team", "Questions about your care", "Hello,"):
        assert english not in text, english


def test_a_report_is_sent_and_read_back_in_french(web_as, french_patient):
    app = web_as(french_patient.user)
    start = app.get(reverse("portal:concern_start"))
    assert "De quoi voulez-vous nous parler ?" in start.text
    page = start.click(href=reverse("portal:concern_new", args=["side_effects"]))
    assert (
        "Mal de tête" in page.text
        and "Léger : je peux faire mes activités habituelles" in page.text
    )
    form = form_on(page, reverse("portal:concern_new", args=["side_effects"]))
    form["symptom"] = "headache"
    form["severity"] = "mild"
    form["since"] = timezone.localdate().isoformat()
    form["getting_worse"] = "no"
    form["fever"] = "no"
    detail = form.submit().follow()
    concern = Concern.objects.get(patient=french_patient)
    sent = timezone.localtime(concern.created_at)
    assert f"Envoyé le {short_day(sent.date())}, {sent:%H:%M}" in detail.text
    # The answers come back as the words the form offered, in French.
    assert "Symptôme" in detail.text and "Mal de tête" in detail.text
    assert "Intensité" in detail.text
    assert "Pas encore de messages." in detail.text and "Envoyer le message" in detail.text
    listing = app.get(reverse("portal:concerns"))
    assert f"{short_day(sent.date())}, {sent:%H:%M}" in listing.text


def test_my_treatment_and_its_calendar_feed_are_in_french(web_as, client, french_patient, therapy):
    page = web_as(french_patient.user).get(reverse("treatment:mine"))
    assert "À venir" in page.text and "une prise de sang" in page.text
    check = (
        FollowUp.objects.filter(therapy=therapy, kind="neutrophil_count")
        .order_by("due_date")
        .first()
    )
    due = check.due_date
    assert f"{WEEKDAYS[due.weekday()]} {due.day} {MONTHS[due.month - 1]}" in page.text
    assert "Ma carte « Je prends Kineret »" in page.text
    calendar_page = page.click(href=reverse("treatment:calendar"))
    url = calendar_page.html.find(id="feed-url")["value"]
    feed = client.get("/" + url.split("//", 1)[1].split("/", 1)[1])  # no session: a calendar app
    titles = {str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert "Prise de sang" in titles and "Blood test" not in titles


def test_the_wallet_card_is_in_french(web_as, french_patient, therapy):
    page = web_as(french_patient.user).get(reverse("treatment:mine"))
    response = page.click(href=reverse("treatment:card"))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Je prends Kineret (anakinra)" in text
    assert f"depuis le {long_day(therapy.start_date)}" in text
    assert "Pas de vaccins vivants" in text


def test_the_password_reset_email_is_in_the_patients_language(
    django_app, french_patient, mailoutbox, django_capture_on_commit_callbacks
):
    # Asked for from an English browser: the email follows the account holder's choice.
    page = django_app.get(reverse("accounts:password_reset"), headers={"Accept-Language": "en"})
    form = form_on(page)
    form["email"] = french_patient.user.email
    with django_capture_on_commit_callbacks(execute=True):
        form.submit(headers={"Accept-Language": "en"})
    (email,) = mailoutbox
    assert email.subject.startswith("Choisissez un nouveau mot de passe pour")
    assert "Quelqu'un a demandé à réinitialiser le mot de passe" in email.body
    assert "/accounts/password/reset/" in email.body


def test_a_missing_page_is_explained_in_french(web_as, french_patient):
    page = web_as(french_patient.user).get("/no-such-page/", status=404)
    assert '<html lang="fr">' in page.text
    assert "Nous ne trouvons pas cette page" in page.text


def test_a_spanish_patient_gets_the_home_page_in_spanish(web_as, therapy):
    patient = therapy.patient
    patient.preferred_language = "es"
    patient.save()
    text = web_as(patient.user).get("/").text
    assert "Mis próximos controles" in text and "Contarle algo a su equipo" in text
    assert f"desde el {therapy.start_date.day} de " in text  # "7 de diciembre de 2026"


def test_the_invitation_email_and_its_page_follow_the_patients_language(
    django_app, clinician, patient, mailoutbox, django_capture_on_commit_callbacks
):
    patient.preferred_language = "fr"
    patient.save()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitation(patient=patient, actor=clinician)
    (email,) = mailoutbox
    assert email.subject.startswith("Votre invitation au portail patient")
    path = re.search(r"https?://[^/\s]+(/invite/[^\s]+)", email.body).group(1)
    # Opened in an English browser that never chose a language: the patient's choice decides.
    page = django_app.get(path, headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in page.text
    assert f"Bienvenue, {patient.given_name}" in page.text
    assert "Enregistrer mon mot de passe" in page.text
    # A language picked with the switcher wins over it.
    switcher = next(f for f in page.forms.values() if "language" in f.fields)
    switcher["language"] = "es"
    again = switcher.submit().follow(headers={"Accept-Language": "en"})
    assert '<html lang="es">' in again.text and "Guardar mi contraseña" in again.text
