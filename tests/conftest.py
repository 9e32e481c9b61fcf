"""Personas shared by the whole suite: the people who use the portal."""

from __future__ import annotations

import datetime as dt
import gc

import pytest

from clinic_portal.accounts.roles import Role
from followups import services as followup_services
from screening import services as screening_services
from tests.factories import PatientFactory, UserFactory
from tests.screening.cases import CLEAR
from tests.support.mfa import log_in
from tests.support.web import logged_in_app, type_password


def pytest_sessionfinish(session, exitstatus):
    """Skip the interpreter's last full garbage collection over what the whole suite left in
    memory: after 1,400 tests it took minutes of CI time after the summary, and nothing the
    suite checks runs in it (the database is torn down before this hook)."""
    gc.freeze()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The audit log refuses TRUNCATE (a PostgreSQL trigger); the test database allows it, so
    that transactional tests can flush between tests. New connections inherit the default."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            name = connection.settings_dict["NAME"]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"ALTER DATABASE \"{name}\" SET clinic_portal.audit_truncate = 'allow'"
                )
                cursor.execute("SET clinic_portal.audit_truncate = 'allow'")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashing is deliberately slow; tests only need hashes that verify.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_months_looked_up_afresh():
    """Each test's transaction may create (and then roll back) monthly audit partitions: the
    audit log's readers look up which months exist again rather than trust another test's."""
    from clinic_portal.audit.partitions import forget_oldest_month

    forget_oldest_month()
    yield
    forget_oldest_month()


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
        return log_in(client, user)

    return login


@pytest.fixture
def web_as(django_app_factory):
    """A django-webtest browser logged in as a persona: ``page = web_as(nurse).get(url)``, then
    fill ``page.forms[...]`` and ``.submit()``: the test submits the form the page rendered."""

    def login(user):
        return logged_in_app(django_app_factory(), user)

    return login


@pytest.fixture
def password_login(django_app_factory):
    """A browser in which ``user`` has typed their email and password on the log-in page."""

    from tests.factories import PASSWORD

    def log_in(user, *, url: str = "/accounts/login/"):
        app = django_app_factory()
        response = type_password(app, user.email, PASSWORD, url=url)
        assert response.status_code == 302
        return app, response

    return log_in


@pytest.fixture
def today():
    """The clinic's today, as the portal sees it."""
    from clinic_portal.core.clock import clinic_today

    return clinic_today()


@pytest.fixture
def enrollment_data(clinician, nurse):
    """A complete, valid enrollment form as a browser would post it."""
    return {
        "given_name": "Rosa",
        "family_name": "Quintero",
        "date_of_birth": "1969-05-17",
        "sex": "female",
        "mrn": "rq-10 442",
        "email": "Rosa.Q@test.clinic.invalid",
        "phone": "+44 20 7946 0999",
        "preferred_language": "es",
        "responsible_clinician": str(clinician.pk),
        "primary_nurse": str(nurse.pk),
        "diagnosis": "rheumatoid_arthritis",
        "diagnosis_onset": "2019-02-01",
        "current_medications": "Methotrexate 20 mg weekly\nFolic acid 5 mg weekly",
        "relevant_conditions": "",
        "notes": "",
        "allergies-TOTAL_FORMS": "2",
        "allergies-INITIAL_FORMS": "0",
        "allergies-MIN_NUM_FORMS": "0",
        "allergies-MAX_NUM_FORMS": "1000",
        "allergies-0-substance": "Latex",
        "allergies-0-reaction": "Hives",
        "allergies-0-severity": "moderate",
        "allergies-1-substance": "",
        "allergies-1-reaction": "",
        "allergies-1-severity": "unknown",
    }


# --- Kineret therapy, shared by the follow-up and education tests ---------------------------


@pytest.fixture
def signed_screening(patient, clinician, today):
    def make(anc_days_before=3, for_patient=None, **changes):
        who = for_patient or patient
        answers = {
            **CLEAR,
            "date_of_birth": who.date_of_birth.isoformat(),
            "planned_start": today.isoformat(),
            **changes,
        }
        screening = screening_services.start_screening(
            patient=who,
            actor=clinician,
            answers=answers,
            evaluate_now=True,
            anc_sampled_on=None
            if anc_days_before is None
            else today - dt.timedelta(days=anc_days_before),
            today=today,
        )
        for code in screening.result["review_items"]:
            screening_services.acknowledge_review_item(
                screening=screening, clinician=clinician, code=code, note="Reviewed"
            )
        return screening_services.sign_screening(
            screening=screening, clinician=clinician, not_started_reason="x", today=today
        )

    return make


@pytest.fixture
def therapy(signed_screening, clinician, today):
    screening = signed_screening()
    return followup_services.start_therapy(
        screening=screening, actor=clinician, start_date=today, interval="daily", today=today
    )
