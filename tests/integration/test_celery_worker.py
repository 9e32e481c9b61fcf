"""A real Celery worker, in-process, on the configured broker (Redis in CI)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

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
    # Like a real worker (settings give Celery processes CONN_MAX_AGE=0): the worker thread's
    # connection closes after each task instead of outliving the test database.
    from django.db import connections

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
    assert set(event.detail) == {"since", "events", "failed_logins", "reads"}
