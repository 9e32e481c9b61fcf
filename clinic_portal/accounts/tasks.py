from __future__ import annotations

from celery import shared_task


@shared_task(name="accounts.send_password_reset")
def send_password_reset(email: str, domain: str, use_https: bool) -> None:
    """The worker's half of a password reset: find the account (if any) and queue its email."""
    from clinic_portal.accounts.password_reset import queue_password_reset

    queue_password_reset(email=email, domain=domain, use_https=use_https)
