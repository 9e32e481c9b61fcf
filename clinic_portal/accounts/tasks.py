from __future__ import annotations

from celery import shared_task


@shared_task(name="accounts.send_password_reset")
def send_password_reset(email: str, domain: str, use_https: bool) -> None:
    """The worker's half of a password reset: find the account (if any) and queue its email."""
    from clinic_portal.accounts.forms import OutboxPasswordResetForm

    form = OutboxPasswordResetForm({"email": email})
    if form.is_valid():
        form.queue(domain=domain, use_https=use_https)
