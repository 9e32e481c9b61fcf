"""A patient whose preference is French uses the portal in French, with French dates and numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from portal.models import Concern
from tests.factories import PatientFactory


def test_dates_and_numbers_in_each_language():
    day = dt.date(2026, 12, 7)
    expected = {"en-gb": "7 Dec 2026", "fr": "7 déc. 2026", "es": "7 dic 2026"}
    for language, text in expected.items():
        with translation.override(language):
            assert date_format(day) == text
    with translation.override("fr"):
        from django.utils.formats import number_format

        assert number_format(Decimal("1.5")) == "1,5"


def test_a_french_patient_reports_a_fever_in_french_with_a_decimal_comma(web_as, clinician, today):
    patient = PatientFactory(preferred_language="fr", responsible_clinician=clinician)
    page = web_as(patient.user).get(reverse("portal:concern_new", args=["fever"]))
    assert '<html lang="fr">' in page.text
    assert "Votre température (°C)" in page.text
    form = next(f for f in page.forms.values() if "temperature" in f.fields)
    form["measured"] = "yes"
    form["temperature"] = "38,6"
    form["since"] = (today - dt.timedelta(days=1)).isoformat()
    form.submit().maybe_follow()
    concern = Concern.objects.get(patient=patient)
    assert Decimal(concern.details["temperature"]) == Decimal("38.6")
    listing = web_as(patient.user).get(reverse("portal:concerns"))
    assert "Envoyé à votre équipe soignante" in listing.text or "Fièvre" in listing.text


def test_a_nurse_types_a_count_with_a_decimal_comma_in_french(web_as, nurse, therapy):
    from followups.models import FollowUp, NeutrophilResult

    nurse.language = "fr"
    nurse.save()
    followup = FollowUp.objects.filter(therapy=therapy, kind="neutrophil_count").first()
    page = web_as(nurse).get(reverse("followups:followup_result", args=[followup.uuid]))
    assert "Nombre absolu de neutrophiles (× 10⁹/L)" in page.text
    form = next(f for f in page.forms.values() if "value" in f.fields)
    form["value"] = "1,5"
    form["lab"] = "Laboratoire central"
    form["sample_date"] = therapy.start_date.isoformat()
    form.submit().maybe_follow()
    assert NeutrophilResult.objects.get(followup=followup).value == Decimal("1.5")
