"""A signed screening and the record's allergies: where they disagree the record says so, with
links to the screening and to the edit form, and nothing changes until a person edits it."""

import pytest
from django.urls import reverse

from screening.engine.allergy_agreement import AllergyDisagreement, allergy_disagreement
from tests.support.web import form_on

NONE = {"no_known_allergies": True}
LATEX = {"no_known_allergies": False, "latex_allergy": True}
UNSETTLED = {"no_known_allergies": False, "latex_allergy": None}


@pytest.mark.parametrize(
    ("answers", "record_lists", "record_says_none", "expected"),
    [
        (NONE, False, True, None),
        (NONE, True, False, AllergyDisagreement.SCREENING_NONE_RECORD_LISTS),
        (NONE, False, False, AllergyDisagreement.SCREENING_NONE_RECORD_SILENT),
        (LATEX, True, False, None),
        (LATEX, False, True, AllergyDisagreement.SCREENING_ALLERGY_RECORD_NONE),
        (LATEX, False, False, AllergyDisagreement.SCREENING_ALLERGY_RECORD_SILENT),
        (UNSETTLED, False, False, None),
        (UNSETTLED, True, False, None),
        ({}, False, False, None),
    ],
)
def test_the_record_agrees_with_the_screening_or_says_how_it_differs(
    answers, record_lists, record_says_none, expected
):
    assert (
        allergy_disagreement(answers, record_lists=record_lists, record_says_none=record_says_none)
        == expected
    )


def note_on(record):
    return record.html.select_one("[data-allergies-note]")


def test_no_known_allergies_at_screening_shows_on_the_record_until_it_is_recorded(
    web_as, clinician, patient, signed_screening
):
    patient.allergies.all().delete()
    patient.no_known_allergies = False
    patient.save()
    screening = signed_screening(no_known_allergies=True)
    web = web_as(clinician)

    record = web.get(patient.get_absolute_url())

    note = note_on(record)
    assert "records no known allergies; the record does not say so yet" in note.get_text(" ")
    links = [a["href"] for a in note.find_all("a")]
    assert links == [screening.get_absolute_url(), reverse("patients:edit", args=[patient.uuid])]

    edit = web.get(links[1])
    form = form_on(edit)
    form["no_known_allergies"] = True
    form.submit().follow()

    assert note_on(web.get(patient.get_absolute_url())) is None


def test_an_allergy_at_screening_that_the_record_does_not_list_is_pointed_out(
    web_as, clinician, patient, signed_screening
):
    patient.allergies.all().delete()
    patient.no_known_allergies = True
    patient.save()
    signed_screening(latex_allergy=True)

    note = note_on(web_as(clinician).get(patient.get_absolute_url()))

    assert "records an allergy that the record does not list" in note.get_text(" ")


def test_a_record_that_agrees_shows_no_note(web_as, clinician, patient, signed_screening):
    patient.allergies.all().delete()
    patient.no_known_allergies = True
    patient.save()
    signed_screening(no_known_allergies=True)

    assert note_on(web_as(clinician).get(patient.get_absolute_url())) is None
