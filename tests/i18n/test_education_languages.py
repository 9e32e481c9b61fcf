"""Education pages in the reader's language: translations published and versioned like the
English page, an English fallback with a notice, and receipts that name the version read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from education import services
from education.models import Page, PageTranslation, Receipt
from tests.factories import PatientFactory


@pytest.fixture
def french_patient(clinician):
    return PatientFactory(preferred_language="fr", responsible_clinician=clinician)


@pytest.fixture
def spanish_patient(clinician):
    return PatientFactory(preferred_language="es", responsible_clinician=clinician)


def test_the_starter_pages_are_published_in_french_and_spanish(db):
    for page in Page.objects.for_patients():
        translations = {t.language: t for t in page.translations.select_related("current_version")}
        assert set(translations) == {"fr", "es"}, page.slug
        for translation in translations.values():
            assert translation.state == "current"
            assert translation.current_version.source_version_id == page.current_version_id
            assert translation.current_version.body_html.startswith("<h2>")


def test_a_french_patient_reads_and_confirms_the_french_page(web_as, french_patient):
    app = web_as(french_patient.user)
    library = app.get(reverse("education:library"))
    assert "Quand appeler votre équipe soignante" in library.text
    page = app.get(reverse("education:read", args=["when-to-call"]))
    assert '<article lang="fr">' in page.text
    assert "Appelez-nous le jour même si vous avez" in page.text
    assert "pas encore traduite" not in page.text
    form = next(f for f in page.forms.values() if f.action.endswith("/read/"))
    form.submit().follow()
    receipts = Receipt.objects.filter(patient=french_patient).select_related("version")
    assert {(r.kind, r.version.language) for r in receipts} == {
        ("viewed", "fr"),
        ("acknowledged", "fr"),
    }
    # Reading the French version of the current English version counts as reading the page.
    library = app.get(reverse("education:library"))
    assert "Quand appeler" in library.text


def test_a_spanish_patient_sees_an_untranslated_page_in_english_with_a_notice(
    web_as, clinician, spanish_patient
):
    page = services.create_page(
        actor=clinician,
        title="Travelling with Kineret",
        slug="travelling",
        summary="Taking your syringes on holiday.",
        body="## Keep them cool\n\nUse a cool bag.",
        tags="travel",
        audience="patients",
    )
    services.publish_page(page=page, clinician=clinician)
    reading = web_as(spanish_patient.user).get(reverse("education:read", args=["travelling"]))
    assert '<html lang="es">' in reading.text
    assert '<article lang="en">' in reading.text and "Keep them cool" in reading.text
    assert "Esta página aún no está traducida a su idioma" in reading.text
    (receipt,) = Receipt.objects.filter(patient=spanish_patient).select_related("version")
    assert receipt.version.language == "en"


def test_a_new_english_version_puts_translations_out_of_date_until_republished(
    web_as, clinician, french_patient
):
    page = Page.objects.get(slug="stopping-treatment")
    services.update_draft(page=page, actor=clinician, body=page.body + "\nOne more line.\n")
    services.publish_page(page=page, clinician=clinician)

    detail = web_as(clinician).get(page.get_absolute_url(), headers={"Accept-Language": "en"})
    assert detail.text.count("Out of date: the English page has a newer version") == 2

    # Meanwhile the French reader gets the current English text, and is told why.
    reading = web_as(french_patient.user).get(reverse("education:read", args=[page.slug]))
    assert '<article lang="en">' in reading.text and "One more line." in reading.text
    assert "sa traduction est en cours de mise à jour" in reading.text

    # A nurse updates the French text through the form; a rheumatologist publishes it.
    editor = web_as(clinician).get(
        reverse("education:translation", args=[page.uuid, "fr"]),
        headers={"Accept-Language": "en"},
    )
    form = next(f for f in editor.forms.values() if "body" in f.fields)
    form["body"] = form["body"].value + "\nUne ligne de plus.\n"
    saved = form.submit().follow()
    publish = next(f for f in saved.forms.values() if f.action.endswith("/publish/"))
    published = publish.submit().follow()
    assert "Version 2 of the French translation is published." in published.text

    translation = PageTranslation.objects.get(page=page, language="fr")
    assert translation.state == "current"
    assert (
        translation.current_version.number,
        translation.current_version.source_version.number,
    ) == (
        2,
        2,
    )
    reading = web_as(french_patient.user).get(reverse("education:read", args=[page.slug]))
    assert '<article lang="fr">' in reading.text and "Une ligne de plus." in reading.text


def test_nurses_write_translations_but_only_clinicians_publish_them(client_for, nurse):
    page = Page.objects.get(slug="when-to-call")
    url = reverse("education:translation_publish", args=[page.uuid, "fr"])
    # Hand-built on purpose: nurses are offered no Publish form for a translation.
    assert client_for(nurse).post(url).status_code == 403
    assert (
        client_for(nurse).get(reverse("education:translation", args=[page.uuid, "de"])).status_code
        == 404
    )
