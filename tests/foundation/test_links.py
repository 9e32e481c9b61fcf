"""Per-row links built from a cached pattern match Django's own reverse()."""

import uuid

import pytest
from django.urls import reverse, set_script_prefix

from clinic_portal.core.links import uuid_url


@pytest.mark.parametrize(
    "name",
    ["patients:detail", "followups:followup", "followups:followup_result", "screening:detail"],
)
def test_uuid_url_matches_reverse(name):
    value = uuid.uuid4()
    assert uuid_url(name, value) == reverse(name, args=[value])


def test_uuid_url_follows_the_script_prefix():
    value = uuid.uuid4()
    try:
        set_script_prefix("/clinic/")
        assert uuid_url("patients:detail", value) == f"/clinic/patients/{value}/"
    finally:
        set_script_prefix("/")
