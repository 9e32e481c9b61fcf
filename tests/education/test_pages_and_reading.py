import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic_portal.audit.models import AuditEvent
from education import selectors, services
from education.content import starter_pages
from education.models import Assignment, ImmutableVersionError, Page, Receipt


def test_the_starting_library_has_eight_patient_pages_four_of_them_essential(db):
    pages = Page.objects.for_patients()
    assert pages.count() == 8
    assert set(pages.filter(essential=True).values_list("slug", flat=True)) == {
        "how-kineret-works",
        "side-effects",
        "blood-tests-and-vaccines",
        "when-to-call",
    }
    assert len(starter_pages()) == 8


@pytest.fixture
def draft(clinician):
    return services.create_page(
        actor=clinician,
        title="Travel tips",
        slug="travel-tips",
        summary="Taking Kineret on holiday.",
        body="Keep syringes cool.\n\n<script>alert('x')</script>",
        tags="travel",
        audience="patients",
    )


def test_nurses_draft_but_only_clinicians_publish(client_for, nurse, clinician, draft):
    assert (
        client_for(nurse).post(reverse("education:publish", args=[draft.uuid])).status_code == 403
    )
    draft.refresh_from_db()
    assert draft.current_version is None
    client_for(clinician).post(
        reverse("education:publish", args=[draft.uuid]),
        {"draft_version": draft.updated_at.isoformat()},
    )
    draft.refresh_from_db()
    assert draft.current_version.number == 1


def test_a_published_version_is_immutable_and_a_new_one_is_added(clinician, draft):
    first = services.publish_page(page=draft, clinician=clinician)
    first.title = "changed"
    with pytest.raises(ImmutableVersionError):
        first.save()
    services.update_draft(page=draft, actor=clinician, body="Keep syringes in a cool bag.")
    second = services.publish_page(page=draft, clinician=clinician)
    assert (second.number, draft.versions.count()) == (2, 2)
    with pytest.raises(services.PublishingError):
        services.publish_page(page=draft, clinician=clinician)


def test_authors_see_a_diff_and_the_history(client_for, nurse, clinician, draft):
    services.publish_page(page=draft, clinician=clinician)
    services.update_draft(page=draft, actor=nurse, body="Keep syringes in a cool bag.")
    html = client_for(nurse).get(draft.get_absolute_url()).content.decode()
    assert "+Keep syringes in a cool bag." in html and "-Keep syringes cool." in html
    assert "Version 1" in html


def test_the_script_in_a_page_never_reaches_the_reader(client_for, clinician, patient, draft):
    services.publish_page(page=draft, clinician=clinician)
    html = (
        client_for(patient.user)
        .get(reverse("education:read", args=["travel-tips"]))
        .content.decode()
    )
    assert "Keep syringes cool." in html
    assert "<script>alert" not in html


def test_a_patient_first_open_records_viewed_and_the_button_acknowledged(client_for, patient):
    client = client_for(patient.user)
    url = reverse("education:read", args=["when-to-call"])
    page = Page.objects.get(slug="when-to-call")
    html = client.get(url).content.decode()
    assert "Last updated" in html and "I have read this" in html
    client.get(url)
    assert Receipt.objects.filter(patient=patient, kind="viewed").count() == 1
    client.post(reverse("education:acknowledge", args=["when-to-call"]))
    assert Receipt.objects.get(patient=patient, kind="acknowledged").version == page.current_version
    assert "You told us you have read this page" in client.get(url).content.decode()


def test_a_new_version_asks_for_acknowledgement_again(client_for, clinician, patient):
    page = Page.objects.get(slug="when-to-call")
    services.assign_pages(pages=[page], patients=[patient], actor=clinician)
    services.acknowledge(patient=patient, version=page.current_version)
    assert selectors.assigned_for_staff(patient)[0].status == "read"
    services.update_draft(
        page=page, actor=clinician, body=page.body + "\nAlso call about chest pain.\n"
    )
    services.publish_page(page=page, clinician=clinician)
    assert selectors.assigned_for_staff(patient)[0].status == "updated"
    html = (
        client_for(patient.user)
        .get(reverse("education:read", args=["when-to-call"]))
        .content.decode()
    )
    assert "I have read this" in html and "changed since you last read it" in html


def test_archiving_hides_a_page_from_patients_but_keeps_its_versions(
    client_for, clinician, patient
):
    page = Page.objects.get(slug="stopping-treatment")
    services.archive_page(page=page, actor=clinician)
    assert (
        client_for(patient.user).get(reverse("education:read", args=[page.slug])).status_code == 404
    )
    assert page.versions.filter(language="en").count() == 1
    assert page.versions.count() == 3  # and its French and Spanish versions


def test_patients_never_see_staff_pages_or_drafts(client_for, clinician, patient, draft):
    staff_page = services.create_page(
        actor=clinician,
        title="Staff only",
        slug="staff-only",
        summary="s",
        body="b",
        audience="staff",
    )
    services.publish_page(page=staff_page, clinician=clinician)
    client = client_for(patient.user)
    assert client.get(reverse("education:read", args=["staff-only"])).status_code == 404
    assert client.get(reverse("education:read", args=["travel-tips"])).status_code == 404
    slugs = [m.page.slug for m in client.get(reverse("education:library")).context["materials"]]
    assert "staff-only" not in slugs and "travel-tips" not in slugs


def test_the_library_lists_assigned_pages_first_with_their_state(client_for, clinician, patient):
    page = Page.objects.get(slug="side-effects")
    services.assign_pages(pages=[page], patients=[patient], actor=clinician)
    materials = client_for(patient.user).get(reverse("education:library")).context["materials"]
    assert materials[0].page == page and materials[0].assigned and materials[0].status == "new"
    assert not materials[1].assigned


def test_patient_search_finds_words_in_the_published_text(client_for, patient):
    materials = (
        client_for(patient.user)
        .get(reverse("education:library"), {"q": "belly"})
        .context["materials"]
    )
    assert [m.page.slug for m in materials] == ["injecting-at-home"]


def test_staff_search_covers_titles_summaries_and_bodies(client_for, nurse):
    pages = (
        client_for(nurse).get(reverse("education:pages"), {"q": "tuberculosis"}).context["pages"]
    )
    assert {p.slug for p in pages} >= {"who-should-not-take-kineret"}


def test_assignment_is_idempotent_and_audited(client_for, nurse, patient):
    page = Page.objects.get(slug="side-effects")
    client = client_for(nurse)
    for _ in range(2):
        client.post(reverse("education:patient_assign", args=[patient.uuid]), {"pages": [page.pk]})
    assert Assignment.objects.filter(patient=patient).count() == 1
    assert (
        AuditEvent.objects.filter(action="education.assign", patient_uuid=patient.uuid).count() == 1
    )
    html = client.get(patient.get_absolute_url()).content.decode()
    assert "Side effects and what to look out for" in html and "New" in html


def test_bulk_assignment_to_everyone_on_kineret(
    client_for, clinician, therapy_patient, other_patient
):
    page = Page.objects.get(slug="stopping-treatment")
    client_for(clinician).post(
        reverse("education:bulk_assign", args=[page.uuid]), {"group": "active_kineret"}
    )
    assert list(Assignment.objects.filter(page=page).values_list("patient", flat=True)) == [
        therapy_patient.pk
    ]


def test_the_starter_pack_is_assigned_when_therapy_starts(therapy_patient):
    slugs = set(
        Assignment.objects.filter(patient=therapy_patient).values_list("page__slug", flat=True)
    )
    assert slugs == set(Page.objects.filter(in_starter_pack=True).values_list("slug", flat=True))
    assert Assignment.objects.filter(patient=therapy_patient, source="starter_pack").count() == 6


def test_the_unread_report_lists_essentials_unread_after_a_week(
    client_for, nurse, clinician, patient
):
    page = Page.objects.get(slug="when-to-call")
    services.assign_pages(
        pages=[page, Page.objects.get(slug="side-effects")], patients=[patient], actor=clinician
    )
    Assignment.objects.filter(patient=patient).update(
        assigned_at=timezone.now() - dt.timedelta(days=8)
    )
    services.acknowledge(
        patient=patient, version=Page.objects.get(slug="side-effects").current_version
    )
    rows = client_for(nurse).get(reverse("education:unread")).context["page"]
    assert [(r.patient, r.page.slug) for r in rows] == [(patient, "when-to-call")]


@pytest.mark.parametrize("name", ["library"])
def test_staff_get_404_on_patient_pages(client_for, nurse, name):
    assert client_for(nurse).get(reverse(f"education:{name}")).status_code == 404


def test_bad_page_input_is_explained(client_for, nurse):
    response = client_for(nurse).post(
        reverse("education:create"), {"title": "", "slug": "Not A Slug!", "summary": "", "body": ""}
    )
    assert response.status_code == 400
    assert {"title", "slug", "summary", "body"} <= set(response.context["form"].errors)
