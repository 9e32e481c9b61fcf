import logging
import uuid

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from clinic_portal.accounts.language import language_of
from clinic_portal.accounts.models import User
from clinic_portal.notifications.services import PUBLISH_RETRY_POLICY, EmailSpec, queue_emails

logger = logging.getLogger(__name__)


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class AdminUserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "full_name", "role")


class AdminUserChangeForm(auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User
        fields = "__all__"


class OutboxPasswordResetForm(auth_forms.PasswordResetForm):
    """Password reset emails go through the outbox and the queue like every other email.

    The request only publishes one task with the address typed, whatever it is; the worker looks
    the account up and writes the outbox row. So the request costs the same for a known and an
    unknown address, and a mail server that is down loses nothing (the row is retried). If the
    broker is down, the request writes the outbox row itself and the beat sends it later.
    """

    def save(self, domain_override=None, use_https=False, request=None, **options):
        from clinic_portal.accounts.tasks import send_password_reset

        email = self.cleaned_data["email"]
        domain = domain_override or get_current_site(request).domain
        try:
            send_password_reset.apply_async(
                (email, domain, use_https), retry=True, retry_policy=PUBLISH_RETRY_POLICY
            )
        except Exception:
            if send_password_reset.app.conf.task_always_eager:
                raise
            logger.exception("Broker unavailable; writing the password reset to the outbox now.")
            self.queue(domain=domain, use_https=use_https)

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
