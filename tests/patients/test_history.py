"""The Versions page and the timeline read as words a clinician uses."""

from django.urls import reverse

from patients.models import Allergy
from tests.support.web import fill, form_on


def test_the_versions_page_shows_labels_and_human_values_and_marks_changes(
    web_as, clinician, nurse, patient
):
    from patients.models import PatientVersion
    from patients.services import snapshot

    PatientVersion.objects.create(patient=patient, version=1, data=snapshot(patient))
    web = web_as(nurse)
    edit = reverse("patients:edit", args=[patient.uuid])
    form = fill(
        form_on(web.get(edit)),
        phone="01234 567890",
        sex="male",
        **{"allergies-0-substance": "Latex", "allergies-0-reaction": "Hives"},
    )
    form.submit().follow()
    page = web.get(reverse("patients:history", args=[patient.uuid]))
    latest = page.html.select("section[aria-labelledby^=v]")[0]
    text = " ".join(latest.get_text(" ", strip=True).split())
    assert "Version 2" in text
    assert "Responsible rheumatologist Dr Ines Moreau" in text
    assert "Sex Male changed was: Female" in text
    assert "Phone 01234 567890 changed was: —" in text
    assert "Allergies Latex (Hives) changed" in text
    assert f"Date of birth {patient.date_of_birth.day} {patient.date_of_birth:%b %Y}" in text
    assert "responsible_clinician" not in page.text and "{'id'" not in page.text
    assert "female" not in text  # the code, as opposed to the label
    assert Allergy.objects.count() == 1


def test_the_timeline_uses_words_for_every_event(web_as, clinician, patient, mailoutbox):
    patient.user.is_active = False
    patient.user.save()
    web = web_as(clinician)
    record = web.get(reverse("patients:record_tab", args=[patient.uuid, "details"]))
    form_on(record, reverse("portal:invite", args=[patient.uuid])).submit()
    timeline_tab = reverse("patients:record_tab", args=[patient.uuid, "timeline"])
    timeline = web.get(timeline_tab).html.find(id="section-timeline")
    text = timeline.find_parent("section").get_text(" ", strip=True)
    assert "Invited to the patient portal" in text
    assert "portal.invite" not in text
