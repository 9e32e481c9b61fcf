"""Queueing and delivering outbox emails. The Celery tasks only call into this module.

The row is the truth, the task message only a nudge:

- ``queue_emails`` inserts rows and, after commit, publishes one task per batch of up to
  ``CLINIC_OUTBOX_BATCH_SIZE`` rows. A broker that is down never fails the caller's request: the
  failure is logged and the rows wait.
- ``deliver_batch`` claims the batch's rows that nobody else holds (``SELECT ... FOR UPDATE SKIP
  LOCKED``, then one UPDATE that also counts the attempt) and commits that before it talks to the
  mail server. It sends them one after the other over one SMTP connection and records each row as
  sent right after the server accepted it. A failed send puts that row back to ``pending`` with a
  ``next_attempt_at`` further out each time (1, 2, 4 … 32 minutes), then ``failed``; the other
  rows go on. Rows not yet tried when the batch runs out of time are released and published
  again, their attempt not counted.
- ``requeue_due`` (beat, every minute) publishes again every row that is pending and due but not
  picked up within a minute (the broker was down, a message was lost), and every claim older than
  ``CLINIC_OUTBOX_CLAIM_TIMEOUT_SECONDS`` (its worker died mid-send).

Every send carries a ``Message-ID`` derived from the row's ``dedupe_key``, so a second send of the
same row, after a worker died between the server's acceptance and our record of it, carries the
same id and mail systems can drop the duplicate. That window is the one this design cannot close;
recording each row as soon as it is accepted keeps it to one message per batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from clinic_portal.notifications.models import OutboundEmail

logger = logging.getLogger(__name__)

Status = OutboundEmail.Status
# Seven tries over about an hour: at once, then after 1, 2, 4, 8, 16 and 32 minutes.
MAX_ATTEMPTS = 7
# Publishing to a broker that is down gives up quickly: the beat re-queues the row later.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}


def claim_timeout() -> dt.timedelta:
    """A claim older than this belongs to a worker that died mid-send."""
    return dt.timedelta(seconds=settings.CLINIC_OUTBOX_CLAIM_TIMEOUT_SECONDS)


def pickup_grace() -> dt.timedelta:
    """A pending row that no worker picked up within this long is published again."""
    return dt.timedelta(seconds=settings.CLINIC_OUTBOX_REQUEUE_SECONDS)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed try: 1, 2, 4, 8, 16, 32 minutes."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


class DeliveryFailed(Exception):
    pass


@dataclass(frozen=True)
class EmailSpec:
    dedupe_key: str
    purpose: str
    to_email: str
    subject: str
    body: str
    scheduled_for: dt.date | None = None
    patient_uuid: uuid.UUID | str | None = None


def message_id(dedupe_key: str) -> str:
    """The same ``Message-ID`` for every send of one outbox row."""
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:40]
    domain = urlsplit(settings.SITE_URL).hostname or "clinic.invalid"
    return f"<outbox.{digest}@{domain}>"


# The delivery task is looked up by its name: the tasks call into this module, never the reverse.
SEND_TASK = "notifications.send_outbound_emails"
# A batch stops taking new rows after this long and hands the rest to a new task, well inside the
# send task's soft time limit (twice this), so a slow mail server never has a task killed; and the
# task's hard limit (three times this) stays under the claim timeout, so no row of a batch is
# taken over while the batch still means to send it.
BATCH_SECONDS = 30


def _batches(ids: list[int]) -> Iterator[list[int]]:
    size = settings.CLINIC_OUTBOX_BATCH_SIZE
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _publish(ids: Iterable[int]) -> None:
    """Hand rows to the broker, one task per batch. Never raises for a broker that is down: the
    rows stay pending and ``requeue_due`` publishes them again once the broker is back."""
    send_outbound_emails = current_app.tasks[SEND_TASK]
    for batch in _batches(list(ids)):
        try:
            send_outbound_emails.apply_async(
                (batch,), retry=True, retry_policy=PUBLISH_RETRY_POLICY
            )
        except Exception:
            if send_outbound_emails.app.conf.task_always_eager:
                raise  # in-process tests: the task's own errors belong to the test
            logger.exception(
                "Could not queue outbox emails %s; they stay pending and are re-queued within "
                "a minute of the broker coming back.",
                batch,
            )


def _enqueue(ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: _publish(ids))


def queue_emails(specs: list[EmailSpec]) -> int:
    """Insert the emails that are not already queued and enqueue every one still pending.

    Must run inside the caller's transaction: the rows commit with the caller's writes and are
    published after the commit. Returns the number of new rows.
    """
    if not specs:
        return 0
    keys = [spec.dedupe_key for spec in specs]
    existing = set(
        OutboundEmail.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    now = timezone.now()
    rows = [
        OutboundEmail(
            dedupe_key=spec.dedupe_key,
            purpose=spec.purpose,
            to_email=spec.to_email,
            subject=spec.subject,
            body=spec.body,
            scheduled_for=spec.scheduled_for,
            patient_uuid=spec.patient_uuid,
            status=Status.PENDING if spec.to_email else Status.SKIPPED,
            created_at=now,
            next_attempt_at=now,
        )
        for spec in specs
        if spec.dedupe_key not in existing
    ]
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
    pending = OutboundEmail.objects.filter(
        dedupe_key__in=keys, status=Status.PENDING, next_attempt_at__lte=now
    ).order_by("pk")
    _enqueue(pending.values_list("id", flat=True))
    return len(rows)


def _claimable(now: dt.datetime) -> Q:
    return (
        Q(status=Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Status.SENDING, claimed_at__lt=now - claim_timeout())
    ) & Q(attempts__lt=MAX_ATTEMPTS)


def _claim(email_ids: list[int], now: dt.datetime) -> list[OutboundEmail]:
    """Take the rows nobody else holds and count their attempt in one committed transaction,
    before any SMTP traffic. SKIP LOCKED: a row another task is claiming at this moment is its,
    and this task goes on with the rest instead of waiting."""
    with transaction.atomic():
        emails = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(_claimable(now), pk__in=email_ids)
            .only("pk", "dedupe_key", "to_email", "subject", "body", "attempts")
            .order_by("pk")
        )
        if emails:
            OutboundEmail.objects.filter(pk__in=[email.pk for email in emails]).update(
                status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    for email in emails:
        email.attempts += 1
    return emails


def _message(email: OutboundEmail) -> EmailMessage:
    return EmailMessage(
        subject=email.subject,
        body=email.body,
        to=[email.to_email],
        headers={"Message-ID": message_id(email.dedupe_key)},
    )


def _record_failure(email: OutboundEmail, error: BaseException) -> str:
    error_text = f"{type(error).__name__}: {error}"[:2000]
    last = email.attempts >= MAX_ATTEMPTS
    OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
        status=Status.FAILED if last else Status.PENDING,
        next_attempt_at=timezone.now() + backoff(email.attempts),
        last_error=error_text,
    )
    if last:
        logger.error("Outbox email %s failed after %s attempts.", email.pk, email.attempts)
    return error_text


def _release(emails: list[OutboundEmail]) -> None:
    """Give back claimed rows that were not tried: pending again, the attempt not counted, and
    published at once for another task."""
    if not emails:
        return
    ids = [email.pk for email in emails]
    OutboundEmail.objects.filter(pk__in=ids, status=Status.SENDING).update(
        status=Status.PENDING, attempts=F("attempts") - 1, next_attempt_at=timezone.now()
    )
    _publish(ids)


def _close_quietly(mailer: BaseEmailBackend) -> None:
    """Drop the SMTP connection; a broken one must not fail the rows still to send."""
    try:
        mailer.close()
    except Exception:
        logger.warning("Closing the mail server connection failed.", exc_info=True)


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    released: int = 0
    not_claimed: int = 0
    last_error: str = ""

    def counts(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "failed": self.failed,
            "released": self.released,
            "not_claimed": self.not_claimed,
        }


def deliver_batch(email_ids: list[int]) -> BatchResult:
    """Send the rows of one batch that nobody else is sending, over one SMTP connection.

    Each row is recorded as sent as soon as the server accepted it, so a worker that dies
    halfway leaves at most the message in flight to be sent again (with the same Message-ID);
    the rows it had claimed and not tried wait for the claim timeout. A failed send counts
    against that row only; the connection is opened again for the next row.
    """
    result = BatchResult()
    emails = _claim(email_ids, timezone.now())
    result.not_claimed = len(set(email_ids)) - len(emails)
    if not emails:
        return result
    # No row is started once its claim could be taken for a dead worker's: the batch stops at
    # half the claim timeout if that comes first (it does only where the timeout is set short).
    deadline = time.monotonic() + min(BATCH_SECONDS, claim_timeout().total_seconds() / 2)
    mailer = mailers.default
    try:
        for index, email in enumerate(emails):
            if time.monotonic() > deadline:
                _release(emails[index:])
                result.released = len(emails) - index
                break
            try:
                mailer.open()  # once per batch; again only after a failure closed it
                mailer.send_messages([_message(email)])
            except Exception as error:
                result.failed += 1
                result.last_error = _record_failure(email, error)
                _close_quietly(mailer)
                if isinstance(error, SoftTimeLimitExceeded):
                    _release(emails[index + 1 :])
                    result.released = len(emails) - index - 1
                    raise
                continue
            OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
                status=Status.SENT, sent_at=timezone.now(), last_error=""
            )
            result.sent += 1
    finally:
        _close_quietly(mailer)
    return result


def deliver(email_id: int) -> str:
    """Send one email if nobody else is. Returns what happened; raises DeliveryFailed after a
    failed try (the row is then pending again with its next attempt set, or failed)."""
    result = deliver_batch([email_id])
    if result.failed:
        raise DeliveryFailed(result.last_error)
    return "sent" if result.sent else "not_claimed"


def give_up(email_id: int) -> None:
    """Leave the row visibly failed (the last try failed, or a claim was lost once too often)."""
    OutboundEmail.objects.filter(pk=email_id).exclude(status=Status.SENT).update(
        status=Status.FAILED
    )


def requeue_due(now: dt.datetime | None = None) -> int:
    """Publish again what is due and was not picked up: pending rows a minute past their time,
    and claims older than the claim timeout. Claims that used up their attempts become failed."""
    now = now or timezone.now()
    stale_claim = Q(status=Status.SENDING, claimed_at__lt=now - claim_timeout())
    exhausted = OutboundEmail.objects.filter(stale_claim, attempts__gte=MAX_ATTEMPTS)
    for email_id in exhausted.values_list("id", flat=True):
        give_up(email_id)
    due = OutboundEmail.objects.filter(
        Q(status=Status.PENDING, next_attempt_at__lte=now - pickup_grace()) | stale_claim,
        attempts__lt=MAX_ATTEMPTS,
    ).values_list("id", flat=True)
    ids = list(due.order_by("pk")[:5000])
    if ids:
        if transaction.get_connection().in_atomic_block:
            _enqueue(ids)
        else:
            _publish(ids)
    return len(ids)


# The daily job's safety net keeps its name.
requeue_stuck = requeue_due
