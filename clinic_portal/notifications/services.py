"""Queueing and delivering outbox emails. The Celery task only calls ``deliver``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from clinic_portal.notifications.models import OutboundEmail

Status = OutboundEmail.Status
# A claim older than this is taken to belong to a worker that died mid-send.
STALE_CLAIM = dt.timedelta(minutes=15)


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


def _enqueue(ids: Iterable[int]) -> None:
    from clinic_portal.notifications.tasks import send_outbound_email

    for email_id in ids:
        send_outbound_email.delay_on_commit(email_id)


def queue_emails(specs: list[EmailSpec]) -> int:
    """Insert the emails that are not already queued and enqueue every one still pending.

    Must run inside the caller's transaction: the rows and the task messages commit together.
    Returns the number of new rows.
    """
    if not specs:
        return 0
    keys = [spec.dedupe_key for spec in specs]
    existing = set(
        OutboundEmail.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
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
        )
        for spec in specs
        if spec.dedupe_key not in existing
    ]
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
    pending = OutboundEmail.objects.filter(dedupe_key__in=keys, status=Status.PENDING)
    _enqueue(pending.values_list("id", flat=True))
    return len(rows)


def _claim(email_id: int, now: dt.datetime) -> bool:
    claimable = Q(status=Status.PENDING) | Q(
        status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = OutboundEmail.objects.filter(claimable, pk=email_id).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def deliver(email_id: int) -> str:
    """Send one email if nobody else has. Returns what happened; raises DeliveryFailed."""
    now = timezone.now()
    with transaction.atomic():
        if not _claim(email_id, now):
            return "not_claimed"
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        EmailMessage(subject=email.subject, body=email.body, to=[email.to_email]).send()
    except Exception as error:
        OutboundEmail.objects.filter(pk=email_id, status=Status.SENDING).update(
            status=Status.PENDING, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise DeliveryFailed(str(error)) from error
    OutboundEmail.objects.filter(pk=email_id, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def give_up(email_id: int) -> None:
    """After the last retry: leave the row visibly failed."""
    OutboundEmail.objects.filter(pk=email_id).exclude(status=Status.SENT).update(
        status=Status.FAILED
    )


def requeue_stuck(now: dt.datetime | None = None) -> int:
    """Re-enqueue pending emails whose task message was lost (a safety net for the daily job)."""
    now = now or timezone.now()
    stuck = OutboundEmail.objects.filter(
        Q(status=Status.PENDING, created_at__lt=now - STALE_CLAIM)
        | Q(status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    ).values_list("id", flat=True)
    ids = list(stuck)
    _enqueue(ids)
    return len(ids)
