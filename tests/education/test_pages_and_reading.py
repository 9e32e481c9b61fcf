import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic_portal.audit.models import AuditEvent
from education import selectors, services
from education.content import starter_pages
from education.models import Assignment, ImmutableVersionError, Page, Receipt
from tests.support.web import all_forms, form_on, submit, tick


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


def test_nurses_draft_but_only_clinicians_publish(client_for, web_as, nurse, clinician, draft):
    publish = reverse("education:publish", args=[draft.uuid])
    nurse_view = web_as(nurse).get(draft.get_absolute_url())
    assert publish not in [form.action for form in all_forms(nurse_view)]
    # Hand-built on purpose: the nurse's page (above) offers no Publish form.
    assert client_for(nurse).post(publish).status_code == 403
    draft.refresh_from_db()
    assert draft.current_version is None
    submit(web_as(clinician), draft.get_absolute_url(), action=publish)
    draft.refresh_from_db()
    assert draft.current_version.number == 1


def test_publish_is_offered_only_when_the_draft_changes_what_readers_see(web_as, clinician, draft):
    publish = reverse("education:publish", args=[draft.uuid])
    web = web_as(clinician)
    submit(web, draft.get_absolute_url(), action=publish)
    # Just published: a second press could only be refused ("Nothing has changed").
    page = web.get(draft.get_absolute_url())
    assert publish not in [form.action for form in all_forms(page)]
    assert "The draft matches the published version." in page.text
    services.update_draft(page=draft, actor=clinician, body="Keep syringes in a cool bag.")
    assert publish in [form.action for form in all_forms(web.get(draft.get_absolute_url()))]


def test_assigning_from_the_record_draws_each_box_as_bootstrap_expects(web_as, clinician, patient):
    # Without the class the box sat alone on its line above a long title.
    record = web_as(clinician).get(reverse("patients:record_tab", args=[patient.uuid, "education"]))
    boxes = record.html.select("input[name=pages]")
    assert boxes
    assert all("form-check-input" in box.get("class", []) for box in boxes)


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


def test_authors_see_a_diff_and_the_history(web_as, nurse, clinician, draft):
    services.publish_page(page=draft, clinician=clinician)
    services.update_draft(page=draft, actor=nurse, body="Keep syringes in a cool bag.")
    page = web_as(nurse).get(draft.get_absolute_url())
    rows = page.html.select("table.diff-table tbody tr")
    changed = next(row for row in rows if "cool bag" in row.get_text())
    published, drafted = changed.find_all("td")
    assert "cool." in published.get_text() and published.find("del")
    assert drafted.find("ins") and "in a" in drafted.find("ins").get_text()
    assert "Version 1" in page.text


def test_the_script_in_a_page_never_reaches_the_reader(client_for, clinician, patient, draft):
    services.publish_page(page=draft, clinician=clinician)
    html = (
        client_for(patient.user)
        .get(reverse("education:read", args=["travel-tips"]))
        .content.decode()
    )
    assert "Keep syringes cool." in html
    assert "<script>alert" not in html


def test_a_patient_first_open_records_viewed_and_the_button_acknowledged(web_as, patient):
    web = web_as(patient.user)
    url = reverse("education:read", args=["when-to-call"])
    page = Page.objects.get(slug="when-to-call")
    html = web.get(url).text
    assert "Last updated" in html and "I have read this" in html
    submit(web, url, action=reverse("education:acknowledge", args=["when-to-call"]))
    assert Receipt.objects.filter(patient=patient, kind="viewed").count() == 1
    assert Receipt.objects.get(patient=patient, kind="acknowledged").version == page.current_version
    assert "You told us you have read this page" in web.get(url).text


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


def test_assignment_is_idempotent_and_audited(client_for, web_as, nurse, patient):
    page = Page.objects.get(slug="side-effects")
    client = client_for(nurse)
    assign = reverse("education:patient_assign", args=[patient.uuid])
    tab = reverse("patients:record_tab", args=[patient.uuid, "education"])
    form = form_on(web_as(nurse).get(tab), assign)
    tick(form, "pages", page.pk)
    assert form.submit().location == tab  # back to the record's education tab
    form.submit()  # the same form sent twice, as a double click would
    assert Assignment.objects.filter(patient=patient).count() == 1
    assert (
        AuditEvent.objects.filter(action="education.assign", patient_uuid=patient.uuid).count() == 1
    )
    html = client.get(tab).content.decode()
    assert "Side effects and what to look out for" in html and "New" in html


def test_bulk_assignment_to_everyone_on_kineret(web_as, clinician, therapy_patient, other_patient):
    page = Page.objects.get(slug="stopping-treatment")
    submit(
        web_as(clinician),
        page.get_absolute_url(),
        action=reverse("education:bulk_assign", args=[page.uuid]),
        group="active_kineret",
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


def test_bad_page_input_is_explained(web_as, nurse):
    response = submit(web_as(nurse), reverse("education:create"), slug="Not A Slug!")
    assert response.status_code == 400
    assert {"title", "slug", "summary", "body"} <= set(response.context["form"].errors)


def test_the_assignment_service_refuses_a_draft_whatever_calls_it(clinician, patient, draft):
    with pytest.raises(services.AssignmentRefused):
        services.assign_pages(pages=[draft], patients=[patient], actor=clinician)

    assert not patient.education_assignments.exists()


def test_the_address_is_made_from_the_title_when_left_empty(web_as, nurse):
    web = web_as(nurse)
    for _ in range(2):
        submit(
            web,
            reverse("education:create"),
            title="Travelling with your syringes",
            summary="Keeping Kineret cool on the way.",
            body="Pack a cool bag.",
        )
    assert sorted(
        Page.objects.filter(title__startswith="Travelling").values_list("slug", flat=True)
    ) == [
        "travelling-with-your-syringes",
        "travelling-with-your-syringes-2",
    ]


def test_the_draft_diff_is_shown_side_by_side_with_changed_words_marked(web_as, clinician, draft):
    services.publish_page(page=draft, clinician=clinician)
    web = web_as(clinician)
    edit = reverse("education:edit", args=[draft.uuid])
    submit(web, edit, body="Keep syringes cool and dry.\n\nAsk us before flying.")
    page = web.get(draft.get_absolute_url())
    table = page.html.select_one("table.diff-table")
    assert table is not None
    drafted = [row.find_all("td")[1] for row in table.select("tbody tr")]
    assert any("and dry." in (cell.find("ins") or cell).get_text() for cell in drafted)
    assert any("Ask us before flying." in cell.get_text() for cell in drafted)
    assert "---" not in page.text and "+++" not in page.text  # no raw unified diff


def test_a_nurse_marks_a_draft_ready_for_review_and_it_waits_on_the_rheumatologists_home(
    web_as, nurse, clinician, draft
):
    request_review = reverse("education:request_review", args=[draft.uuid])
    answer = submit(web_as(nurse), draft.get_absolute_url(), action=request_review)
    assert "ready for review" in answer.follow().text
    home = web_as(clinician).get(reverse("core:home"))
    review = home.html.find(id="review-heading").find_parent("section").get_text(" ", strip=True)
    assert draft.title in review and nurse.full_name in review
    submit(
        web_as(clinician),
        draft.get_absolute_url(),
        action=reverse("education:publish", args=[draft.uuid]),
    )
    draft.refresh_from_db()
    assert draft.review_requested_at is None
    assert web_as(clinician).get(reverse("core:home")).html.find(id="review-heading") is None
