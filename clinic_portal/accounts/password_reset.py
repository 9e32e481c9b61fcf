"""The worker's half of a password reset: look the account up and write its email to the outbox,
in the account holder's language. The form (``forms.OutboxPasswordResetForm``) publishes the task
(``tasks.send_password_reset``), and the task calls ``queue_password_reset``; both build on the
class here, so neither imports the other."""

from __future__ import annotations

import uuid

from django.contrib.auth import forms as auth_forms
from django.db import transaction
from django.template import loader
from django.utils import translation

from clinic_portal.accounts.language import language_of
from clinic_portal.notifications.services import EmailSpec, queue_emails


class PasswordResetEmail(auth_forms.PasswordResetForm):
    """Django's reset form, writing its email to the outbox instead of sending it."""

    def queue(self, *, domain: str, use_https: bool) -> None:
        """Look the account up and write its reset email to the outbox (the worker's half)."""
        super().save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # The worker writes it in the account holder's language.
        with translation.override(language_of(context["user"])):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
        with transaction.atomic():
            queue_emails(
                [
                    EmailSpec(
                        dedupe_key=f"password-reset:{context['user'].pk}:{uuid.uuid4().hex}",
                        purpose="password_reset",
                        to_email=to_email,
                        subject=subject[:200],
                        body=body,
                    )
                ]
            )


def queue_password_reset(*, email: str, domain: str, use_https: bool) -> None:
    """The reset email for ``email``'s account, if there is one, written to the outbox."""
    form = PasswordResetEmail({"email": email})
    if form.is_valid():
        form.queue(domain=domain, use_https=use_https)
