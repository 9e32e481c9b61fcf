import pytest
from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from patients.models import Patient, PatientVersion
from patients.services import archive_patient, update_patient
from tests.support.web import fill, form_on, type_password


def edit_page(web, patient: Patient):
    return web.get(reverse("patients:edit", args=[patient.uuid]))


def edit(web, patient: Patient, **values):
    return fill(form_on(edit_page(web, patient)), **values).submit(status="*")


def test_staff_open_the_record_and_the_read_is_audited(client_for, nurse, patient):
    response = client_for(nurse).get(patient.get_absolute_url())
    assert response.status_code == 200
    assert "Pat Example" in response.content.decode()
    details = client_for(nurse).get(reverse("patients:record_tab", args=[patient.uuid, "details"]))
    assert "Methotrexate 15 mg weekly" in details.content.decode()
    assert AuditEvent.objects.filter(
        action="patient.view", actor=nurse, patient_uuid=patient.uuid, detail={}
    ).exists()
    assert AuditEvent.objects.filter(
        action="patient.view", actor=nurse, patient_uuid=patient.uuid, detail={"tab": "details"}
    ).exists()


def test_the_record_shows_a_timeline_of_what_happened(web_as, clinician, patient):
    web = web_as(clinician)
    edit(web, patient, phone="01234 567890")
    timeline = web.get(reverse("patients:record_tab", args=[patient.uuid, "timeline"]))
    assert "Record edited (version 2: phone)" in timeline.text


def test_staff_change_the_phone_on_the_rendered_edit_form(web_as, nurse, patient):
    """The everyday edit that once came back as a bare 400: open, change, save."""
    saved = edit(web_as(nurse), patient, phone="01234 567890")
    assert saved.status_code == 302
    assert "The record is saved." in saved.follow().text
    patient.refresh_from_db()
    assert (patient.phone, patient.version) == ("01234 567890", 2)


def test_an_edit_records_field_level_changes_and_keeps_the_old_version(web_as, clinician, patient):
    response = edit(web_as(clinician), patient, phone="01234 567890", notes="Prefers mornings")
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.phone, patient.version) == ("01234 567890", 2)
    event = AuditEvent.objects.get(action="patient.update")
    assert event.detail["changes"]["phone"] == {"before": "", "after": "01234 567890"}
    assert set(event.detail["changes"]) == {"phone", "notes"}
    assert PatientVersion.objects.get(patient=patient, version=2).data["phone"] == "01234 567890"


def test_a_stale_edit_is_refused_and_the_newer_change_survives(web_as, clinician, nurse, patient):
    form = fill(form_on(edit_page(web_as(clinician), patient)), phone="01111 111111")
    update_patient(
        patient=patient,
        actor=nurse,
        expected_version=1,
        email=patient.user.email,
        allergies=[],
        notes="Changed by the nurse first",
    )
    response = form.submit(status="*")
    assert response.status_code == 400
    assert "Someone else saved this record" in response.text
    patient.refresh_from_db()
    assert (patient.notes, patient.phone, patient.version) == ("Changed by the nurse first", "", 2)


def test_saving_without_changes_makes_no_new_version(web_as, clinician, patient):
    assert edit(web_as(clinician), patient).status_code == 302
    patient.refresh_from_db()
    assert patient.version == 1
    assert not AuditEvent.objects.filter(action="patient.update").exists()


def test_an_invalid_edit_changes_nothing(web_as, clinician, patient):
    response = edit(web_as(clinician), patient, phone="+44 1", date_of_birth="3000-01-01")
    assert response.status_code == 400
    assert "cannot be in the future" in response.text
    patient.refresh_from_db()
    assert (patient.phone, patient.version) == ("", 1)


def test_allergies_are_edited_with_the_record(web_as, clinician, patient):
    edit(
        web_as(clinician),
        patient,
        **{
            "allergies-0-substance": "Sulfa drugs",
            "allergies-0-reaction": "Rash",
            "allergies-0-severity": "mild",
        },
    )
    assert [a.substance for a in patient.allergies.all()] == ["Sulfa drugs"]
    event = AuditEvent.objects.get(action="patient.update")
    assert event.detail["changes"]["allergies"]["before"] == []


def test_a_clinician_archives_and_restores_a_patient(web_as, clinician, patient):
    web = web_as(clinician)
    patient.user.set_password("a-good-long-password")
    patient.user.is_active = True
    patient.user.save()
    page = web.get(reverse("patients:archive", args=[patient.uuid]))
    response = fill(form_on(page), reason="Moved to Leeds").submit(status="*")
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.is_archived and not patient.user.is_active
    assert AuditEvent.objects.get(action="patient.archive").detail == {"reason": "Moved to Leeds"}

    record = response.follow()
    form_on(record, reverse("patients:restore", args=[patient.uuid])).submit()
    patient.refresh_from_db()
    assert not patient.is_archived and patient.user.is_active


def test_archiving_needs_a_reason(web_as, clinician, patient):
    page = web_as(clinician).get(reverse("patients:archive", args=[patient.uuid]))
    response = form_on(page).submit(status="*")
    assert response.status_code == 400
    assert "This field is required" in response.text
    patient.refresh_from_db()
    assert not patient.is_archived


def test_an_archived_patient_cannot_log_in(django_app, clinician, patient):
    patient.user.set_password("a-good-long-password")
    patient.user.is_active = True
    patient.user.save()
    archive_patient(patient=patient, actor=clinician, reason="Deceased")
    response = type_password(django_app, patient.user.email, "a-good-long-password")
    assert response.status_code == 200
    assert django_app.get(reverse("core:home")).location.startswith(reverse("accounts:login"))


def test_nurses_may_not_archive(client_for, nurse, patient):
    # Hand-built on purpose: the nurse's record page offers no Archive form to fill.
    response = client_for(nurse).post(
        reverse("patients:archive", args=[patient.uuid]), {"reason": "x"}
    )
    assert response.status_code == 403


def test_the_version_history_lists_every_version(client_for, clinician, patient):
    from patients.services import snapshot

    PatientVersionFactory = PatientVersion.objects.create
    PatientVersionFactory(patient=patient, version=1, data=snapshot(patient), changed_by=clinician)
    response = client_for(clinician).get(reverse("patients:history", args=[patient.uuid]))
    assert response.status_code == 200
    assert "Version 1" in response.content.decode()
    assert AuditEvent.objects.filter(action="patient.history", patient_uuid=patient.uuid).exists()


@pytest.mark.parametrize("persona", ["clinician", "nurse"])
def test_staff_see_archived_records(client_for, request, clinician, patient, persona):
    archive_patient(patient=patient, actor=clinician, reason="Moved")
    user = request.getfixturevalue(persona)
    assert client_for(user).get(patient.get_absolute_url()).status_code == 200


def test_a_double_click_on_save_says_saved_once(web_as, nurse, patient):
    form = fill(form_on(edit_page(web_as(nurse), patient)), phone="01234 567890")
    form.submit()
    landed = form.submit().follow()  # the same form sent twice, as a double click does
    shown = [node.get_text(strip=True) for node in landed.html.select(".messages .alert")]
    assert shown == ["The record is saved."]


def test_the_timeline_shows_the_newest_fifty_changes_over_the_years(client_for, nurse, patient):
    """The timeline reads the log a few months at a time (issue 21); what it shows is the same
    as one query over the whole log: the 50 newest changes, newest first, reads left out."""
    import datetime as dt
    import re

    from django.utils import timezone

    from clinic_portal.audit import partitions
    from clinic_portal.audit.partitions import forget_oldest_month

    this_month = timezone.now().astimezone(dt.UTC).date().replace(day=1)
    partitions.ensure_months_ahead(partitions.add_months(this_month, -20), months=20)
    forget_oldest_month()
    events = []
    for back in range(0, 21, 2):  # two changes every other month for 20 months, and reads
        first = dt.datetime.combine(partitions.add_months(this_month, -back), dt.time(8), dt.UTC)
        for n, kind in enumerate(("write", "read", "write", "system")):
            events.append(
                AuditEvent(
                    kind=kind,
                    action="patient.update",
                    patient_uuid=patient.uuid,
                    occurred_at=first + dt.timedelta(days=n, minutes=back),
                )
            )
    for n in range(20):  # and twenty from 2016, older than every monthly partition
        events.append(
            AuditEvent(
                kind="write",
                action="patient.update",
                patient_uuid=patient.uuid,
                occurred_at=dt.datetime(2016, 5, 1, 8, n, tzinfo=dt.UTC),
            )
        )
    AuditEvent.objects.bulk_create(events)
    expected = list(
        AuditEvent.objects.filter(patient_uuid=patient.uuid)
        .exclude(kind="read")
        .order_by("-occurred_at", "-id")
        .values_list("occurred_at", flat=True)
    )
    assert len(expected) > 50

    timeline = reverse("patients:record_tab", args=[patient.uuid, "timeline"])
    html = client_for(nurse).get(timeline).content.decode()
    shown = [dt.datetime.fromisoformat(t) for t in re.findall(r'<time datetime="([^"]+)"', html)]
    assert shown == expected[:50]
