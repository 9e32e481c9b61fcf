"""Emails go out in the recipient's language, whoever or whatever triggered them."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format

from clinic_portal.core.clock import clinic_today
from followups.daily import run_daily
from followups.models import FollowUp
from portal import invitations
from portal.concerns import report_concern


def test_a_french_patient_is_invited_in_french_by_an_english_clinician(
    clinician, patient, mailoutbox, django_capture_on_commit_callbacks
):
    patient.preferred_language = "fr"
    patient.save()
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitation(patient=patient, actor=clinician)
    (email,) = mailoutbox
    assert email.subject.startswith("Votre invitation au portail patient")
    assert "choisissez un mot de passe" in email.body and "/invite/" in email.body


def test_a_spanish_patient_is_reminded_in_spanish_with_a_spanish_date(
    therapy, mailoutbox, django_capture_on_commit_callbacks
):
    patient = therapy.patient
    patient.preferred_language = "es"
    patient.save()
    count = (
        FollowUp.objects.filter(therapy=therapy, kind="neutrophil_count").order_by("due_date")
    ).first()
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(count.due_date - dt.timedelta(days=7))
    (email,) = [m for m in mailoutbox if m.to == [patient.user.email]]
    with translation.override("es"):
        spanish_day = date_format(count.due_date, "SHORT_DATE_FORMAT")
    assert " de " in spanish_day
    assert email.subject.startswith("Recordatorio de")
    assert f"tiene un análisis de sangre el {spanish_day}" in email.body


def test_a_french_patient_is_reminded_in_french_with_a_french_date(
    therapy, mailoutbox, django_capture_on_commit_callbacks
):
    patient = therapy.patient
    patient.preferred_language = "fr"
    patient.save()
    count = (
        FollowUp.objects.filter(therapy=therapy, kind="neutrophil_count").order_by("due_date")
    ).first()
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(count.due_date - dt.timedelta(days=7))
    (email,) = [m for m in mailoutbox if m.to == [patient.user.email]]
    months = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    french_month = months.split()[count.due_date.month - 1]
    assert email.subject.startswith("Rappel de")
    assert f"vous avez une prise de sang le {count.due_date.day} {french_month}" in email.body


def test_the_urgent_report_notice_is_in_each_staff_members_language(
    patient, clinician, nurse, mailoutbox, django_capture_on_commit_callbacks
):
    clinician.language = "es"
    clinician.save()
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        report_concern(
            patient=patient,
            author=patient.user,
            category="fever",
            details={"temperature": "39.2"},
            message="",
            today=clinic_today(),
        )
    subjects = {
        m.to[0]: m.subject for m in mailoutbox if "report" in m.subject or "aviso" in m.subject
    }
    assert subjects[clinician.email].startswith("Un aviso urgente")
    assert subjects[nurse.email].startswith("An urgent patient report")
