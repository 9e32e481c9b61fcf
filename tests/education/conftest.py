import pytest


@pytest.fixture
def therapy_patient(therapy):
    return therapy.patient
