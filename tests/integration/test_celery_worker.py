"""A real Celery worker, in-process, on the configured broker (Redis in CI)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection

from clinic_portal.audit.models import AuditEvent
from clinic_portal.celery import app
from clinic_portal.core.tasks import run_housekeeping

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(autouse=True)
def _worker_closes_its_connections():
    # With CONN_MAX_AGE=0 the worker thread's connection closes after each task (Django's
    # close_old_connections around every task, clinic_portal/celery.py) instead of outliving
    # the test database.
    from django.db import connections

    app.control.purge()  # messages left by an earlier, interrupted run are not this test's
    saved = connections.settings["default"]["CONN_MAX_AGE"]
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    yield
    connections.settings["default"]["CONN_MAX_AGE"] = saved


def test_a_real_worker_runs_the_housekeeping_task_end_to_end():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        run_housekeeping.delay()
        assert _wait_for(lambda: AuditEvent.objects.filter(action="system.housekeeping").exists())
    event = AuditEvent.objects.get(action="system.housekeeping")
    assert event.kind == AuditEvent.Kind.SYSTEM
    assert {"since", "events", "failed_logins", "reads"} <= set(event.detail)
    if connection.vendor == "postgresql":  # the log is partitioned by month there
        assert event.detail["audit_rows_without_a_month"] == 0
        assert isinstance(event.detail["audit_partitions_due_for_archive"], list)


def test_a_real_worker_runs_the_daily_job_and_sends_one_reminder(
    settings, mailoutbox, clinician, patient
):
    import datetime as dt

    from clinic_portal.core.clock import clinic_today
    from clinic_portal.notifications.models import OutboundEmail
    from followups import services
    from followups.models import FollowUp
    from followups.tasks import run_daily_followups
    from screening import services as screening_services
    from tests.screening.cases import CLEAR

    start = clinic_today()
    screening = screening_services.start_screening(
        patient=patient,
        actor=clinician,
        answers={
            **CLEAR,
            "date_of_birth": patient.date_of_birth.isoformat(),
            "planned_start": start.isoformat(),
        },
        evaluate_now=True,
        anc_sampled_on=start,
        today=start,
    )
    screening = screening_services.sign_screening(
        screening=screening, clinician=clinician, today=clinic_today()
    )
    therapy = services.start_therapy(
        screening=screening,
        actor=clinician,
        start_date=start,
        interval="daily",
        today=clinic_today(),
    )
    month_one = (
        FollowUp.objects.filter(therapy=therapy, kind="neutrophil_count")
        .order_by("due_date")
        .first()
    )
    settings.CLINIC_TODAY_OVERRIDE = (month_one.due_date - dt.timedelta(days=7)).isoformat()

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        run_daily_followups.delay()
        run_daily_followups.delay()  # a duplicate run, as after a redelivery
        assert _wait_for(
            lambda: OutboundEmail.objects.filter(purpose="reminder", status="sent").exists()
        )
        time.sleep(1)  # give a duplicate every chance to show up
    assert OutboundEmail.objects.filter(purpose="reminder").count() == 1
    assert len([m for m in mailoutbox if m.subject.startswith("Reminder")]) == 1


def test_a_worker_keeps_its_database_connection_from_task_to_task_until_it_is_too_old():
    """A new PostgreSQL connection per task was a fifth of an outbox send; the handlers around
    each task keep a healthy connection for CONN_MAX_AGE and replace it after that."""
    from celery.signals import task_postrun, task_prerun
    from django.db import connections

    from clinic_portal.notifications.tasks import requeue_due

    database = connections["default"]

    def run_a_task():
        for signal in (task_prerun, task_postrun):
            signal.send(sender=requeue_due, task_id="t", task=requeue_due, args=(), kwargs={})

    database.settings_dict["CONN_MAX_AGE"] = 60
    database.close()
    database.ensure_connection()
    kept = database.connection
    run_a_task()
    run_a_task()
    assert database.connection is kept

    database.settings_dict["CONN_MAX_AGE"] = 0  # too old at once: replaced after each task
    database.close()
    database.ensure_connection()
    run_a_task()
    assert database.connection is None
