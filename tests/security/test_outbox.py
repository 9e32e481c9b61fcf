"""Breaks 4, 5 and 6: the outbox survives a broker that is down, a worker that dies mid-send and
a mail server that is down, and a password reset never talks to the mail server in the request."""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import time

import psycopg
import pytest
from celery.schedules import schedule
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from clinic_portal.celery import app
from clinic_portal.env import parse_email_url
from clinic_portal.notifications import services, tasks
from clinic_portal.notifications.models import OutboundEmail
from portal.models import Concern
from tests.integration.reliability import SMTPSink


@pytest.fixture
def broker_down(monkeypatch):
    """Publishing fails as it does when Redis refuses connections (a real Redis outage is in
    tests/integration/test_reliability.py)."""
    app.conf.task_always_eager = False
    state = {"down": True}
    original = tasks.send_outbound_emails.apply_async

    def publish(*args, **kwargs):
        if state["down"]:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return original(*args, **kwargs)

    def back_up():
        state["down"] = False
        app.conf.task_always_eager = True

    monkeypatch.setattr(tasks.send_outbound_emails, "apply_async", publish)
    yield back_up
    monkeypatch.undo()
    app.conf.task_always_eager = True


def _the_minute_passes() -> None:
    OutboundEmail.objects.filter(status="pending").update(
        next_attempt_at=timezone.now() - dt.timedelta(minutes=2)
    )


@pytest.mark.django_db(transaction=True)
def test_a_fever_report_with_the_broker_down_shows_the_guidance_and_the_email_follows(
    broker_down, web_as, patient, clinician, nurse, mailoutbox
):
    page = web_as(patient.user).get(reverse("portal:concern_new", args=["fever"]))
    form = next(f for f in page.forms.values() if "temperature" in f.fields)
    form["measured"] = "yes"
    form["temperature"] = "38.7"
    form["since"] = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    answer = form.submit().follow()
    assert "call the clinic today" in answer.text.lower()
    assert Concern.objects.get().urgent
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"pending"}
    assert mailoutbox == []

    # The broker is back; the per-minute beat publishes what waited.
    broker_down()  # the broker is back
    _the_minute_passes()
    assert services.requeue_due() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([clinician.email, nurse.email])
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    # Once sent, the beat has nothing left to do: exactly once.
    _the_minute_passes()
    assert services.requeue_due() == 0
    assert len(mailoutbox) == 2


def _row(**fields) -> OutboundEmail:
    defaults = {
        "dedupe_key": "reminder:test:1",
        "purpose": "reminder",
        "to_email": "pat@test.clinic.invalid",
        "subject": "Reminder",
        "body": "A check is due.",
    }
    return OutboundEmail.objects.create(**{**defaults, **fields})


@pytest.mark.django_db
def test_a_claim_is_recovered_after_the_configured_time(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CLINIC_OUTBOX_CLAIM_TIMEOUT_SECONDS = 30
    fresh = _row(status="sending", claimed_at=timezone.now() - dt.timedelta(seconds=10))
    dead = _row(
        dedupe_key="reminder:test:2",
        status="sending",
        attempts=1,
        claimed_at=timezone.now() - dt.timedelta(seconds=31),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_due() == 1
    fresh.refresh_from_db()
    dead.refresh_from_db()
    assert fresh.status == "sending"
    assert dead.status == "sent" and dead.attempts == 2
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_claim_that_used_up_its_attempts_is_failed_not_retried_for_ever(settings, mailoutbox):
    settings.CLINIC_OUTBOX_CLAIM_TIMEOUT_SECONDS = 30
    row = _row(
        status="sending",
        attempts=services.MAX_ATTEMPTS,
        claimed_at=timezone.now() - dt.timedelta(minutes=5),
    )
    assert services.requeue_due() == 0
    row.refresh_from_db()
    assert row.status == "failed" and mailoutbox == []


def test_redis_gives_back_a_lost_message_when_a_claim_may_be_taken_over():
    assert (
        django_settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")
        == django_settings.CLINIC_OUTBOX_CLAIM_TIMEOUT_SECONDS
        or django_settings.CELERY_BROKER_URL.startswith("filesystem://")
    )
    assert django_settings.CLINIC_OUTBOX_CLAIM_TIMEOUT_SECONDS > (
        django_settings.CELERY_TASK_TIME_LIMIT
    )
    # A batch is done, or killed, before any of its rows may be taken over.
    claim_timeout = django_settings.CLINIC_OUTBOX_CLAIM_TIMEOUT_SECONDS
    assert claim_timeout > tasks.send_outbound_emails.time_limit > 0


def test_the_beat_requeues_the_outbox_every_minute():
    entry = django_settings.CELERY_BEAT_SCHEDULE["outbox-requeue"]
    assert entry["task"] == "notifications.requeue_due"
    assert entry["task"] in app.tasks  # a worker knows the task the beat sends
    assert schedule(entry["schedule"]).run_every == dt.timedelta(minutes=1)


class _RecordsTheRowDuringTheSend(EmailBackend):
    seen: list = []

    def send_messages(self, messages):
        row = OutboundEmail.objects.get(dedupe_key="reminder:test:1")
        self.seen.append((row.status, row.attempts))
        return super().send_messages(messages)


class _AcceptsThenDies(EmailBackend):
    """The server accepted the message, then the worker died before recording it."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise smtplib.SMTPServerDisconnected("worker lost after the server accepted")


@pytest.mark.django_db
def test_the_attempt_is_recorded_before_the_mail_server_is_called(settings, mailoutbox):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}._RecordsTheRowDuringTheSend"}}
    _RecordsTheRowDuringTheSend.seen = []
    row = _row()
    assert services.deliver(row.pk) == "sent"
    assert _RecordsTheRowDuringTheSend.seen == [("sending", 1)]


@pytest.mark.django_db
def test_every_send_of_one_row_carries_the_same_message_id(settings, mailoutbox):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}._AcceptsThenDies"}}
    row = _row()
    with pytest.raises(services.DeliveryFailed):
        services.deliver(row.pk)
    OutboundEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert services.deliver(row.pk) == "sent"
    ids = [m.extra_headers["Message-ID"] for m in mailoutbox]
    assert len(ids) == 2 and ids[0] == ids[1] == services.message_id(row.dedupe_key)
    other = services.message_id("reminder:test:2")
    assert other != ids[0] and other.startswith("<outbox.")


class _Down(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "mail server down")


def _ask_for_a_reset(django_app_factory, email):
    page = django_app_factory().get(reverse("accounts:password_reset"))
    form = next(f for f in page.forms.values() if "email" in f.fields)
    form["email"] = email
    return form.submit()


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_goes_through_the_outbox_not_the_request(
    settings, django_app_factory, nurse, mailoutbox
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}._Down"}}
    response = _ask_for_a_reset(django_app_factory, nurse.email)
    assert response.status_code == 302
    row = OutboundEmail.objects.get(purpose="password_reset")
    assert row.to_email == nurse.email and row.status == "pending" and row.attempts == 1
    assert "/accounts/password/reset/" in row.body

    # The mail server is back: nothing was lost.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    _the_minute_passes()
    services.requeue_due()
    row.refresh_from_db()
    assert row.status == "sent" and len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_an_unknown_address_gets_the_same_answer_and_no_row(django_app_factory, mailoutbox):
    response = _ask_for_a_reset(django_app_factory, "nobody@test.clinic.invalid")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_with_the_broker_down_is_written_to_the_outbox_by_the_request(
    monkeypatch, django_app_factory, nurse
):
    from clinic_portal.accounts import tasks as account_tasks

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    app.conf.task_always_eager = False
    monkeypatch.setattr(account_tasks.send_password_reset, "apply_async", refuse)
    monkeypatch.setattr(tasks.send_outbound_emails, "apply_async", refuse)
    try:
        response = _ask_for_a_reset(django_app_factory, nurse.email)
    finally:
        app.conf.task_always_eager = True
    assert response.status_code == 302
    row = OutboundEmail.objects.get(purpose="password_reset")
    assert row.to_email == nurse.email and row.status == "pending"


# --- Batches: one claim and one SMTP connection for several rows ---------------------------------


@pytest.fixture
def smtp_server(settings):
    """The real SMTP test server (aiosmtpd); it refuses recipients whose address starts with
    "refused"."""
    sink = SMTPSink(refuse="refused")
    sink.start()
    settings.MAILERS = {"default": parse_email_url("EMAIL_URL", sink.url)}
    yield sink
    sink.stop()


def _reminders(count: int, *, first: int = 0, prefix: str = "patient") -> list[OutboundEmail]:
    return [
        _row(dedupe_key=f"reminder:batch:{n}", to_email=f"{prefix}{n}@test.clinic.invalid")
        for n in range(first, first + count)
    ]


@pytest.mark.django_db
def test_a_mornings_reminders_leave_in_batches_one_smtp_connection_each(
    settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.CLINIC_OUTBOX_BATCH_SIZE = 4
    specs = [
        services.EmailSpec(
            dedupe_key=f"reminder:morning:{n}",
            purpose="reminder",
            to_email=f"patient{n}@test.clinic.invalid",
            subject="A check is due",
            body="Your blood test is due this week.",
        )
        for n in range(10)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_emails(specs) == 10
    rows = OutboundEmail.objects.all()
    assert {(row.status, row.attempts) for row in rows} == {("sent", 1)}
    assert smtp_server.counts() == {services.message_id(spec.dedupe_key): 1 for spec in specs}
    assert smtp_server.sessions == 3  # 4 + 4 + 2


@pytest.mark.django_db
def test_a_refused_address_fails_alone_and_the_rest_of_its_batch_is_sent(smtp_server):
    rows = [*_reminders(2), *_reminders(1, first=2, prefix="refused"), *_reminders(2, first=3)]
    result = services.deliver_batch([row.pk for row in rows])
    assert (result.sent, result.failed) == (4, 1)
    statuses = dict(OutboundEmail.objects.values_list("to_email", "status"))
    assert statuses.pop("refused2@test.clinic.invalid") == "pending"
    assert set(statuses.values()) == {"sent"}
    refused = OutboundEmail.objects.get(to_email__startswith="refused")
    assert refused.attempts == 1 and "550" in refused.last_error
    assert refused.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)
    assert len(smtp_server.message_ids) == 4


class _Slow(EmailBackend):
    def send_messages(self, messages):
        time.sleep(0.3)
        return super().send_messages(messages)


@pytest.mark.django_db
@pytest.mark.parametrize("limit", ["the batch's time", "half a short claim timeout"])
def test_a_batch_out_of_time_hands_its_untried_rows_on_without_counting_an_attempt(
    limit, settings, monkeypatch, mailoutbox
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}._Slow"}}
    if limit == "the batch's time":
        monkeypatch.setattr(services, "BATCH_SECONDS", 0.5)
    else:
        settings.CLINIC_OUTBOX_CLAIM_TIMEOUT_SECONDS = 1
    rows = _reminders(5)
    first = services.deliver_batch([row.pk for row in rows])
    # At most two sends fit in half a second; the rest went to a new task (run at once here).
    assert first.sent <= 2 and first.released == 5 - first.sent
    assert {(r.status, r.attempts) for r in OutboundEmail.objects.all()} == {("sent", 1)}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(row.to_email for row in rows)


class _DiesOnTheThird(EmailBackend):
    def send_messages(self, messages):
        if len(mail.outbox) == 2:
            raise SystemExit("the worker is killed")
        return super().send_messages(messages)


@pytest.mark.django_db
def test_a_batch_that_dies_halfway_has_recorded_what_it_sent_and_the_rest_follows_once(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}._DiesOnTheThird"}}
    settings.CLINIC_OUTBOX_CLAIM_TIMEOUT_SECONDS = 30
    rows = _reminders(5)
    with pytest.raises(SystemExit):
        services.deliver_batch([row.pk for row in rows])
    statuses = list(OutboundEmail.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "sending", "sending", "sending"]

    # The claim times out; the beat hands the three rows to a worker that lives.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    OutboundEmail.objects.filter(status="sending").update(
        claimed_at=timezone.now() - dt.timedelta(seconds=31)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_due() == 3
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(row.to_email for row in rows)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("CI") and connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (DATABASE_URL)",
)
def test_a_row_another_worker_is_claiming_is_skipped_not_waited_for(mailoutbox):
    rows = _reminders(3)
    settings_dict = connection.settings_dict
    other = psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"] or "postgres",
        password=settings_dict["PASSWORD"] or None,
        dbname=settings_dict["NAME"],
    )
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '2s'")  # waiting would fail the test, not hang it
    try:
        other.execute(
            "SELECT id FROM notifications_outboundemail WHERE id = %s FOR UPDATE", [rows[1].pk]
        )
        result = services.deliver_batch([row.pk for row in rows])
        assert (result.sent, result.not_claimed) == (2, 1)
        other.rollback()  # the other worker let go without claiming it
        assert services.deliver_batch([rows[1].pk]).sent == 1
    finally:
        other.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert sorted(m.to[0] for m in mailoutbox) == sorted(row.to_email for row in rows)
