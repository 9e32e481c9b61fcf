"""Break 10: a NUL character in any search box or form was a 500 on PostgreSQL."""

import pytest
from django.urls import reverse

from portal.models import ConcernMessage


@pytest.mark.parametrize(
    "url",
    [
        "patients:list",
        "education:pages",
        "followups:worklist",
        "portal:triage",
    ],
)
def test_a_nul_in_a_query_string_is_not_a_500(client_for, nurse, url):
    response = client_for(nurse).get(reverse(url), {"q": "Exa\x00mple", "page": "1\x00"})
    assert response.status_code == 200


def test_the_search_still_finds_what_was_meant(client_for, nurse, patient):
    response = client_for(nurse).get(reverse("patients:list"), {"q": "Exa\x00mple"})
    assert patient.family_name in response.content.decode()


def test_a_nul_in_a_form_is_removed_and_the_rest_kept(web_as, patient):
    page = web_as(patient.user).get(reverse("portal:concern_new", args=["other"]))
    form = next(f for f in page.forms.values() if "message" in f.fields)
    form["message"] = "Can I travel\x00 with my syringes?"
    form.submit().follow()
    message = ConcernMessage.objects.get()
    assert message.body == "Can I travel with my syringes?"
