import pytest
from django.urls import reverse

from clinic_portal.core import health


def test_healthz_answers_anonymously_without_patient_data(client, db):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_reports_a_broken_broker_as_503(client, db, settings):
    from clinic_portal.celery import app

    original = app.conf.broker_url, app.conf.broker_write_url
    # Nothing listens on port 1.
    app.conf.broker_url = app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    try:
        assert health.check_broker() is not None
        response = client.get(reverse("core:healthz"))
    finally:
        app.conf.broker_url, app.conf.broker_write_url = original
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_only_answers_get(client, db, method):
    assert getattr(client, method)(reverse("core:healthz")).status_code == 405
