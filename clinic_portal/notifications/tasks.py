"""Outbox tasks. Retries are not Celery countdowns held in the broker: a failed try sets the
row's ``next_attempt_at`` and the per-minute ``requeue_due`` beat publishes it when it is due,
so no message waits for an hour in Redis and a short visibility timeout is safe."""

from __future__ import annotations

from celery import shared_task

from clinic_portal.notifications import services

MAX_RETRIES = services.MAX_ATTEMPTS - 1


def backoff_seconds(retries: int) -> int:
    """1, 2, 4, 8, 16, 32 minutes: patient enough for a mail server's bad hour."""
    return int(services.backoff(retries + 1).total_seconds())


@shared_task(
    name=services.SEND_TASK,
    soft_time_limit=services.BATCH_SECONDS * 2,
    time_limit=services.BATCH_SECONDS * 3,
)
def send_outbound_emails(email_ids: list[int]) -> dict[str, int]:
    """One batch of outbox rows (what ``queue_emails`` and ``requeue_due`` publish)."""
    return services.deliver_batch(email_ids).counts()


@shared_task(name="notifications.send_outbound_email", soft_time_limit=60, time_limit=90)
def send_outbound_email(email_id: int) -> str:
    """One row: the message of releases that published a task per row, still honoured so that a
    queue left over from before an upgrade is delivered."""
    try:
        return services.deliver(email_id)
    except services.DeliveryFailed:
        return "retry_later"


@shared_task(name="notifications.requeue_due")
def requeue_due() -> int:
    return services.requeue_due()
