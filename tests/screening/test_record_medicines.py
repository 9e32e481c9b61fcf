"""A signed screening and the record's current medicines: where they differ the screening
offers a one-click update and the record says so, with a link. Through the rendered pages."""

from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from screening.models import Screening
from tests.support.web import form_on


def offer_on(page):
    return page.html.select_one("[data-medicines-offer]")


def note_on(record):
    return record.html.select_one("[data-medicines-note]")


def test_a_medicine_stopped_at_screening_is_offered_and_confirmed_in_one_click(
    web_as, clinician, patient, signed_screening
):
    patient.current_medications = "Methotrexate 15 mg weekly\nFolic acid 5 mg weekly"
    patient.save()
    screening = signed_screening(medications=["Methotrexate 15 mg weekly"])
    web = web_as(clinician)
    record = web.get(patient.get_absolute_url())
    note = note_on(record)
    assert "Not in the screening: Folic acid 5 mg weekly." in note.get_text(" ", strip=True)
    assert note.find("a")["href"] == screening.get_absolute_url()

    page = web.get(screening.get_absolute_url())
    assert "Folic acid 5 mg weekly" in offer_on(page).get_text(" ", strip=True)
    version = patient.version
    done = form_on(page, reverse("screening:update_medicines", args=[screening.uuid])).submit()
    page = done.follow()
    assert "The record's current medicines now match this screening." in page.html.get_text()
    assert offer_on(page) is None
    patient.refresh_from_db()
    assert patient.medication_lines == ["Methotrexate 15 mg weekly"]
    assert patient.version == version + 1
    event = AuditEvent.objects.get(action="screening.update_record_medicines")
    assert event.detail == {"stopped": ["Folic acid 5 mg weekly"], "added": []}
    assert note_on(web.get(patient.get_absolute_url())) is None


def test_medicines_that_agree_raise_no_offer_and_no_note(
    web_as, clinician, patient, signed_screening
):
    screening = signed_screening(medications=["methotrexate 15 MG weekly"])
    web = web_as(clinician)
    assert offer_on(web.get(screening.get_absolute_url())) is None
    assert note_on(web.get(patient.get_absolute_url())) is None


def test_starting_kineret_adds_it_to_the_record_without_a_note(web_as, clinician, patient, therapy):
    patient.refresh_from_db()
    patient.current_medications += "\nFolic acid 5 mg weekly"  # as the screening lists
    patient.save()
    assert any("anakinra" in line for line in patient.medication_lines)
    web = web_as(clinician)
    assert note_on(web.get(patient.get_absolute_url())) is None
    assert offer_on(web.get(therapy.screening.get_absolute_url())) is None


def test_a_record_edited_after_the_offer_was_shown_is_not_overwritten(
    web_as, nurse, clinician, patient, signed_screening
):
    screening = signed_screening(medications=[])
    page = web_as(clinician).get(screening.get_absolute_url())
    patient.refresh_from_db()
    patient.current_medications = "Methotrexate 15 mg weekly\nPrednisolone 5 mg"
    patient.version += 1
    patient.save()
    answer = form_on(page, reverse("screening:update_medicines", args=[screening.uuid])).submit()
    assert "Someone changed the record since this page was shown" in answer.follow().html.get_text()
    patient.refresh_from_db()
    assert patient.medication_lines == ["Methotrexate 15 mg weekly", "Prednisolone 5 mg"]
    assert not AuditEvent.objects.filter(action="screening.update_record_medicines").exists()


def test_only_the_latest_signed_screening_offers_the_update(
    web_as, clinician, patient, signed_screening
):
    older = signed_screening(medications=["Folic acid"])
    newer = signed_screening(medications=["Methotrexate 15 mg weekly"])
    assert Screening.objects.current().filter(patient=patient).count() == 2
    web = web_as(clinician)
    assert offer_on(web.get(newer.get_absolute_url())) is None  # agrees with the record
    assert offer_on(web.get(older.get_absolute_url())) is None  # not the latest
