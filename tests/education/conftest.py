import pytest

from tests.followups.conftest import signed_screening, therapy, today  # noqa: F401


@pytest.fixture
def therapy_patient(therapy):
    return therapy.patient
