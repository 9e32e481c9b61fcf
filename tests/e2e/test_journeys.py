"""The nurse's, the patient's, publishing and access journeys, through the UI only, with the real
task bodies running when their transactions commit."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from clinic_portal.core.clock import clinic_today
from followups.models import FollowUp
from patients.models import Patient
from portal import invitations
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def log_out(page):
    page.goto("/")
    page.get_by_role("button", name="Log out").click()


def test_nurse_records_a_low_count_and_the_clinician_acknowledges_the_alert(
    page, settings, therapy, nurse, clinician
):
    first = (
        FollowUp.objects.filter(therapy=therapy, kind="neutrophil_count")
        .order_by("due_date")
        .first()
    )
    settings.CLINIC_TODAY_OVERRIDE = first.due_date.isoformat()  # the clinic's calendar moves on

    log_in(page, nurse)
    page.get_by_role("link", name="Follow-ups").first.click()
    page.get_by_role("link", name=re.compile("Due this week")).click()
    row = page.get_by_role("row", name=re.compile(therapy.patient.family_name))
    row.get_by_role("link", name="Record result").click()
    page.get_by_label("Absolute neutrophil count").fill("0.9")
    page.get_by_label("Sample date").fill(first.due_date.isoformat())
    page.get_by_label("Laboratory").fill("City Hospital lab")
    page.get_by_role("button", name="Save result").click()
    page.get_by_text("urgent alert").wait_for()
    log_out(page)

    log_in(page, clinician)
    alerts = page.get_by_role("region", name=re.compile("Open alerts"))
    alerts.get_by_role("link", name=re.compile("Neutrophil count")).click()
    page.get_by_role("heading", name="Urgent alert").wait_for()
    page.get_by_label("Note").fill("Holding Kineret; repeat count in one week")
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_text("Acknowledged").wait_for()


def test_patient_accepts_reads_reports_a_fever_and_sees_the_reply(
    page, browser, live_server, therapy, nurse, clinician
):
    patient = therapy.patient
    patient.user.is_active = False
    patient.user.set_unusable_password()
    patient.user.save()
    invitations.send_invitation(patient=patient, actor=clinician)
    link = re.search(r"https?://\S+/invite/\S+", mail.outbox[-1].body).group(0)
    page.goto("/" + link.split("/", 3)[3])
    new_password = "blue heron by the river"
    page.fill("#id_new_password1", new_password)
    page.fill("#id_new_password2", new_password)
    page.get_by_role("button", name="Save my password").click()
    page.get_by_role("heading", name="My next checks").wait_for()
    assert page.get_by_text("A blood test to check your white blood cells").first.is_visible()

    page.get_by_role("link", name=re.compile("When to call your care team")).click()
    page.get_by_role("button", name="I have read this").click()
    page.get_by_text("You told us you have read this page").wait_for()

    page.goto("/my/concerns/new/")
    page.get_by_role("link", name="Fever").click()
    page.get_by_label("Yes, I measured it").check()
    page.get_by_label("Your temperature").fill("38.6")
    page.get_by_label("Since when").fill(clinic_today().isoformat())
    page.get_by_role("button", name="Send to my care team").click()
    page.get_by_text("Please call the clinic today").wait_for()

    staff = browser.new_context(base_url=live_server.url).new_page()
    log_in(staff, nurse)
    staff.goto("/concerns/")
    staff.get_by_role("link", name="Fever").click()
    staff.get_by_label("Reply to the patient").fill(
        "Please come in at 2 pm today for a blood test."
    )
    staff.get_by_role("button", name="Send reply").click()
    staff.get_by_text("Your care team replied").or_(staff.get_by_text("Saved.")).first.wait_for()
    staff.context.close()

    page.goto("/my/concerns/")
    page.get_by_role("link", name=re.compile("Fever")).click()
    page.get_by_text("Please come in at 2 pm today").wait_for()


def test_a_published_page_reaches_the_library_and_its_script_never_runs(
    page, browser, live_server, clinician, patient
):
    log_in(page, clinician)
    page.goto("/education/new/")
    page.get_by_label("Title").fill("Travelling with Kineret")
    page.get_by_label("Slug").fill("travelling")
    page.get_by_label("Summary").fill("Keeping your syringes cool on holiday.")
    page.get_by_label("Body").fill(
        'Pack a cool bag.\n\n<script>window.__pwned = true</script>\n\n<img src=x onerror="window.__pwned = true">'
    )
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Publish the draft").click()
    page.get_by_text("Version 1 is published.").wait_for()

    reader = browser.new_context(base_url=live_server.url).new_page()
    dialogs = []
    reader.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    log_in(reader, patient.user)
    reader.goto("/my/materials/")
    reader.get_by_role("link", name=re.compile("Travelling with Kineret")).click()
    reader.get_by_text("Pack a cool bag.").wait_for()
    assert reader.evaluate("window.__pwned === undefined")
    assert dialogs == []
    reader.context.close()


def test_a_patient_who_edits_the_url_gets_the_not_found_page(page, patient, other_patient):
    log_in(page, patient.user)
    response = page.goto(f"/patients/{other_patient.uuid}/")
    assert response.status == 404
    page.get_by_role("heading", name="We cannot find that page").wait_for()
    assert other_patient.family_name not in page.content()
    assert Patient.objects.count() == 2
