"""Personas shared by the whole suite: the people who use the portal."""

from __future__ import annotations

import pytest

from clinic_portal.accounts.roles import Role
from tests.factories import PatientFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashing is deliberately slow; tests only need hashes that verify.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def celery_runs_tasks_in_process(request):
    """Unit tests run task bodies in-process, right when they are enqueued (after commit).
    Tests marked ``integration`` keep the real broker and a real worker."""
    from clinic_portal.celery import app

    if request.node.get_closest_marker("integration"):
        yield
        return
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


@pytest.fixture
def clinician(db):
    return UserFactory(
        role=Role.CLINICIAN, full_name="Dr Ines Moreau", email="moreau@test.clinic.invalid"
    )


@pytest.fixture
def nurse(db):
    return UserFactory(role=Role.NURSE, full_name="Tomas Berg", email="berg@test.clinic.invalid")


@pytest.fixture
def clinic_admin(db):
    return UserFactory(
        role=Role.ADMIN,
        full_name="Ada Admin",
        email="admin@test.clinic.invalid",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def patient(db, clinician, nurse):
    return PatientFactory(
        given_name="Pat",
        family_name="Example",
        user__email="pat@test.clinic.invalid",
        responsible_clinician=clinician,
        primary_nurse=nurse,
    )


@pytest.fixture
def patient_user(patient):
    return patient.user


@pytest.fixture
def other_patient(db, clinician):
    return PatientFactory(
        given_name="Olive",
        family_name="Other",
        user__email="olive@test.clinic.invalid",
        responsible_clinician=clinician,
    )


@pytest.fixture
def client_for(client):
    """Log the test client in as a persona: ``client_for(nurse).get(...)``."""

    def login(user):
        client.force_login(user)
        return client

    return login
