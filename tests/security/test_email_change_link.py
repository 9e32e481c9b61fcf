"""Break 16: an email-change link works once."""

import re

import pytest
from django.urls import reverse

from clinic_portal.notifications.models import OutboundEmail


@pytest.mark.django_db(transaction=True)
def test_an_email_change_link_works_once(web_as, patient):
    app = web_as(patient.user)
    page = app.get(reverse("portal:profile"))
    form = next(f for f in page.forms.values() if "email" in f.fields)
    form["email"] = "pat.new@test.clinic.invalid"
    form.submit().follow()
    body = OutboundEmail.objects.get(purpose="email_change").body
    link = re.search(r"https?://[^/]+(/\S+)", body).group(1)

    first = app.get(link).follow()
    assert "Your new email address is confirmed" in first.text
    patient.user.refresh_from_db()
    assert patient.user.email == "pat.new@test.clinic.invalid"

    # Back to the old address through a fresh link, then the first link again: refused.
    page = app.get(reverse("portal:profile"))
    form = next(f for f in page.forms.values() if "email" in f.fields)
    form["email"] = "pat@test.clinic.invalid"
    form.submit().follow()
    back = OutboundEmail.objects.filter(purpose="email_change").order_by("-id").first().body
    app.get(re.search(r"https?://[^/]+(/\S+)", back).group(1)).follow()
    patient.user.refresh_from_db()
    assert patient.user.email == "pat@test.clinic.invalid"

    again = app.get(link).follow()
    assert "used already" in again.text
    patient.user.refresh_from_db()
    assert patient.user.email == "pat@test.clinic.invalid"
