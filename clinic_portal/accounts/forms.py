import uuid

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.template import loader

from clinic_portal.accounts.models import User
from clinic_portal.notifications.services import EmailSpec, queue_emails


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
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
    """Password reset emails go through the outbox and the queue like every other email: the
    request never talks to the mail server, so it costs the same for a known and an unknown
    address, and a mail server that is down loses nothing (the row is retried)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
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
