"""Queueing and delivering outbox emails. The Celery tasks only call into this module.

The row is the truth, the task message only a nudge:

- ``queue_emails`` inserts rows and, after commit, publishes one task per row. A broker that is
  down never fails the caller's request: the failure is logged and the row waits.
- ``deliver`` claims a row with a conditional UPDATE that also counts the attempt, and commits
  that before it talks to the mail server. A failed send goes back to ``pending`` with a
  ``next_attempt_at`` further out each time (1, 2, 4 … 32 minutes), then ``failed``.
- ``requeue_due`` (beat, every minute) publishes again every row that is pending and due but not
  picked up within a minute (the broker was down, a message was lost), and every claim older than
  ``CLINIC_OUTBOX_CLAIM_TIMEOUT_SECONDS`` (its worker died mid-send).

Every send carries a ``Message-ID`` derived from the row's ``dedupe_key``, so a second send of the
same row, after a worker died between the server's acceptance and our record of it, carries the
same id and mail systems can drop the duplicate. That window is the one this design cannot close.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
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
    patient_uuid: object = None


def message_id(dedupe_key: str) -> str:
    """The same ``Message-ID`` for every send of one outbox row."""
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:40]
    domain = urlsplit(settings.SITE_URL).hostname or "clinic.invalid"
    return f"<outbox.{digest}@{domain}>"


def _publish(ids: Iterable[int]) -> None:
    """Hand rows to the broker. Never raises for a broker that is down: the row stays pending
    and ``requeue_due`` publishes it again once the broker is back."""
    from clinic_portal.notifications.tasks import send_outbound_email

    for email_id in ids:
        try:
            send_outbound_email.apply_async(
                (email_id,), retry=True, retry_policy=PUBLISH_RETRY_POLICY
            )
        except Exception:
            if send_outbound_email.app.conf.task_always_eager:
                raise  # in-process tests: the task's own errors belong to the test
            logger.exception(
                "Could not queue outbox email %s; it stays pending and is re-queued within "
                "a minute of the broker coming back.",
                email_id,
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
    )
    _enqueue(pending.values_list("id", flat=True))
    return len(rows)


def _claimable(now: dt.datetime) -> Q:
    return (
        Q(status=Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Status.SENDING, claimed_at__lt=now - claim_timeout())
    ) & Q(attempts__lt=MAX_ATTEMPTS)


def _claim(email_id: int, now: dt.datetime) -> bool:
    """Take the row and count the attempt in one committed UPDATE, before any SMTP traffic."""
    with transaction.atomic():
        claimed = OutboundEmail.objects.filter(_claimable(now), pk=email_id).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return claimed == 1


def deliver(email_id: int) -> str:
    """Send one email if nobody else is. Returns what happened; raises DeliveryFailed after a
    failed try (the row is then pending again with its next attempt set, or failed)."""
    now = timezone.now()
    if not _claim(email_id, now):
        return "not_claimed"
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        EmailMessage(
            subject=email.subject,
            body=email.body,
            to=[email.to_email],
            headers={"Message-ID": message_id(email.dedupe_key)},
        ).send()
    except Exception as error:
        error_text = f"{type(error).__name__}: {error}"[:2000]
        last = email.attempts >= MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=email_id, status=Status.SENDING).update(
            status=Status.FAILED if last else Status.PENDING,
            next_attempt_at=timezone.now() + backoff(email.attempts),
            last_error=error_text,
        )
        if last:
            logger.error("Outbox email %s failed after %s attempts.", email_id, email.attempts)
        raise DeliveryFailed(error_text) from error
    OutboundEmail.objects.filter(pk=email_id, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


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
    ids = list(due[:5000])
    if ids:
        if transaction.get_connection().in_atomic_block:
            _enqueue(ids)
        else:
            _publish(ids)
    return len(ids)


# The daily job's safety net keeps its name.
requeue_stuck = requeue_due
