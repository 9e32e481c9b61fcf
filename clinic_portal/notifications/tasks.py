from __future__ import annotations

from celery import shared_task

from clinic_portal.notifications import services

MAX_RETRIES = 6


def backoff_seconds(retries: int) -> int:
    """1, 2, 4, 8, 16, 32 minutes: patient enough for a mail server's bad hour."""
    return min(60 * 2**retries, 3600)


@shared_task(bind=True, max_retries=MAX_RETRIES, name="notifications.send_outbound_email")
def send_outbound_email(self, email_id: int) -> str:
    try:
        return services.deliver(email_id)
    except services.DeliveryFailed as error:
        if self.request.retries >= self.max_retries:
            services.give_up(email_id)
            return "failed"
        raise self.retry(exc=error, countdown=backoff_seconds(self.request.retries)) from error
