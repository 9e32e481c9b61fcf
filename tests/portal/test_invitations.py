import datetime as dt
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from clinic_portal.audit.models import AuditEvent
from portal import invitations
from portal.models import Invitation

NEW_PASSWORD = "river stone quiet lamp"


# Emails leave only after a commit: these tests commit, like the real thing.
pytestmark = pytest.mark.django_db(transaction=True)


def link_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/invite/[^\s]+)", body).group(1)


def test_enrolling_a_patient_with_an_email_sends_a_one_time_link(
    client_for, clinician, enrollment_data, mailoutbox
):
    client_for(clinician).post(reverse("patients:enroll"), enrollment_data)
    (email,) = mailoutbox
    assert email.to == ["rosa.q@test.clinic.invalid"]
    assert "/invite/" in email.body
    assert Invitation.objects.get().status == "sent"


def test_the_patient_sets_a_password_and_is_logged_in(client, clinician, patient, mailoutbox):
    invitations.send_invitation(patient=patient, actor=clinician)
    path = link_path(mailoutbox[-1].body)
    page = client.get(path)
    assert page.status_code == 200 and "Welcome, Pat" in page.content.decode()
    assert Invitation.objects.get().status == "opened"
    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    patient.user.refresh_from_db()
    assert patient.user.is_active and patient.user.check_password(NEW_PASSWORD)
    assert client.get(reverse("core:home")).context["user"] == patient.user
    assert AuditEvent.objects.filter(action="portal.accept").exists()
    again = client.get(path)
    assert again.status_code == 410 and "already been used" in again.content.decode()


def test_weak_passwords_are_refused_with_django_validators(client, clinician, patient, mailoutbox):
    invitations.send_invitation(patient=patient, actor=clinician)
    path = link_path(mailoutbox[-1].body)
    response = client.post(path, {"new_password1": "password123", "new_password2": "password123"})
    assert response.status_code == 400
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


def test_resending_replaces_the_old_link(client, clinician, patient, mailoutbox, client_for):
    invitations.send_invitation(patient=patient, actor=clinician)
    old = link_path(mailoutbox[-1].body)
    client_for(clinician).post(reverse("portal:invite", args=[patient.uuid]))
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
    html = client_for(clinician).get(patient.get_absolute_url()).content.decode()
    assert "Invitation sent" in html and "Send a new invitation" in html


@pytest.mark.django_db  # no commit needed, and the starting library must be there
def test_the_patient_home_shows_next_checks_and_reading(client_for, therapy, today):
    patient = therapy.patient
    html = client_for(patient.user).get(reverse("core:home")).content.decode()
    assert "My next checks" in html and "white blood cells" in html
    assert "When to call your care team" in html
