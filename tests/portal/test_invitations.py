import datetime as dt
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from clinic_portal.audit.models import AuditEvent
from portal import invitations
from portal.models import Invitation
from tests.support.web import fill, form_on, submit

NEW_PASSWORD = "river stone quiet lamp"


# Emails leave only after a commit: these tests commit, like the real thing.
pytestmark = pytest.mark.django_db(transaction=True)


def link_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/invite/[^\s]+)", body).group(1)


def test_enrolling_a_patient_with_an_email_sends_a_one_time_link(web_as, clinician, mailoutbox):
    submit(
        web_as(clinician),
        reverse("patients:enroll"),
        given_name="Rosa",
        family_name="Quintero",
        date_of_birth="1969-05-17",
        sex="female",
        mrn="RQ10442",
        email="rosa.q@test.clinic.invalid",
    )
    (email,) = mailoutbox
    assert email.to == ["rosa.q@test.clinic.invalid"]
    assert "/invite/" in email.body
    assert Invitation.objects.get().status == "sent"


def test_the_patient_sets_a_password_and_is_logged_in(django_app, clinician, patient, mailoutbox):
    invitations.send_invitation(patient=patient, actor=clinician)
    path = link_path(mailoutbox[-1].body)
    page = django_app.get(path)
    assert page.status_code == 200 and "Welcome, Pat" in page.text
    assert Invitation.objects.get().status == "opened"
    form = fill(form_on(page), new_password1=NEW_PASSWORD, new_password2=NEW_PASSWORD)
    response = form.submit(status="*")
    assert response.status_code == 302
    patient.user.refresh_from_db()
    assert patient.user.is_active and patient.user.check_password(NEW_PASSWORD)
    assert django_app.get(reverse("core:home")).context["user"] == patient.user
    assert AuditEvent.objects.filter(action="portal.accept").exists()
    again = django_app.get(path, status="*")
    assert again.status_code == 410 and "already been used" in again.text


def test_weak_passwords_are_refused_with_django_validators(
    django_app, clinician, patient, mailoutbox
):
    invitations.send_invitation(patient=patient, actor=clinician)
    path = link_path(mailoutbox[-1].body)
    response = submit(django_app, path, new_password1="password123", new_password2="password123")
    assert response.status_code == 400
    assert "This password is too common." in response.text
    patient.user.refresh_from_db()
    assert not patient.user.check_password("password123")
    assert Invitation.objects.get().accepted_at is None


def test_an_expired_link_shows_what_to_do(client, clinician, patient, mailoutbox):
    invitations.send_invitation(patient=patient, actor=clinician)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(link_path(mailoutbox[-1].body))
    assert response.status_code == 410
    assert "run out" in response.content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.dumps("00000000-0000-0000-0000-000000000000", salt="portal.invitation"),
        "a" * 300,
    ],
)
def test_tampered_or_unknown_links_are_a_friendly_page(client, db, token):
    response = client.get(reverse("portal:accept", args=[token]))
    assert response.status_code == 400
    assert "does not work" in response.content.decode()


def test_resending_replaces_the_old_link(client, clinician, patient, mailoutbox, web_as):
    patient.user.is_active = False  # not yet accepted: the record offers a new invitation
    patient.user.save(update_fields=["is_active"])
    invitations.send_invitation(patient=patient, actor=clinician)
    old = link_path(mailoutbox[-1].body)
    invite = reverse("portal:invite", args=[patient.uuid])
    submit(
        web_as(clinician),
        reverse("patients:record_tab", args=[patient.uuid, "details"]),
        action=invite,
    )
    client.logout()
    assert client.get(old).status_code == 410
    assert client.get(link_path(mailoutbox[-1].body)).status_code == 200


def test_an_archived_patient_cannot_accept(client, clinician, patient, mailoutbox):
    from patients.services import archive_patient

    invitations.send_invitation(patient=patient, actor=clinician)
    archive_patient(patient=patient, actor=clinician, reason="Moved")
    response = client.get(link_path(mailoutbox[-1].body))
    assert response.status_code == 400 and "closed" in response.content.decode()


def test_staff_see_the_invitation_status_on_the_record(client_for, clinician, patient):
    patient.user.is_active = False  # as after enrollment
    patient.user.save()
    invitations.send_invitation(patient=patient, actor=clinician)
    html = (
        client_for(clinician)
        .get(reverse("patients:record_tab", args=[patient.uuid, "details"]))
        .content.decode()
    )
    assert "Invitation sent" in html and "Send a new invitation" in html


@pytest.mark.django_db  # no commit needed, and the starting library must be there
def test_the_patient_home_shows_next_checks_and_reading(client_for, therapy, today):
    patient = therapy.patient
    html = client_for(patient.user).get(reverse("core:home")).content.decode()
    assert "My next checks" in html and "white blood cells" in html
    assert "When to call your care team" in html
