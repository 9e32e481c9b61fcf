"""Break 11: a rheumatologist cannot publish a draft that changed after they opened it."""

from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from education import services


def _publish_form(page):
    return next(f for f in page.forms.values() if f.action.endswith("/publish/"))


def test_a_draft_edited_after_it_was_opened_is_not_published(web_as, clinician, nurse):
    draft = services.create_page(
        actor=nurse,
        title="Travel tips",
        slug="travel-tips",
        summary="Taking Kineret on holiday.",
        body="Keep syringes cool.",
        tags="travel",
        audience="patients",
    )
    opened = web_as(clinician).get(reverse("education:page", args=[draft.uuid]))
    # The nurse changes the words while the rheumatologist reads.
    services.update_draft(page=draft, actor=nurse, body="Keep syringes in the freezer.")

    refused = _publish_form(opened).submit().follow()
    assert "changed since you opened it" in refused.text
    draft.refresh_from_db()
    assert draft.current_version is None
    assert not AuditEvent.objects.filter(action="education.page.publish").exists()

    # Having seen the change, they publish what they saw.
    published = _publish_form(refused).submit().follow()
    assert "Version 1 is published" in published.text
    draft.refresh_from_db()
    assert draft.current_version.body == "Keep syringes in the freezer."
