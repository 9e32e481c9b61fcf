"""The read-only admin pages for received messages and results open and change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic_portal.core.clock import clinic_today
from interop import services
from interop.models import InboundMessage, LabResult

pytestmark = pytest.mark.django_db


def test_support_can_read_messages_and_results_but_not_change_them(
    client_for, clinic_admin, lab_message
):
    services.receive_hl7(lab_message(mrn="NOSUCH01").encode(), today=clinic_today())
    client = client_for(clinic_admin)
    message = InboundMessage.objects.get()
    for url in (
        reverse("admin:interop_inboundmessage_changelist"),
        reverse("admin:interop_inboundmessage_change", args=[message.pk]),
        reverse("admin:interop_labresult_changelist"),
        reverse("admin:interop_labresult_change", args=[LabResult.objects.get().pk]),
        reverse("admin:interop_apiclient_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    detail = client.get(reverse("admin:interop_inboundmessage_change", args=[message.pk]))
    assert "NOSUCH01" in detail.content.decode()
    assert client.get(reverse("admin:interop_inboundmessage_add")).status_code == 403
