import logging

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.sites.shortcuts import get_current_site
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clinic_portal.accounts.models import User
from clinic_portal.accounts.password_reset import PasswordResetEmail
from clinic_portal.accounts.tasks import send_password_reset
from clinic_portal.notifications.services import PUBLISH_RETRY_POLICY

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


class OutboxPasswordResetForm(PasswordResetEmail):
    """Password reset emails go through the outbox and the queue like every other email.

    The request only publishes one task with the address typed, whatever it is; the worker looks
    the account up and writes the outbox row (``password_reset.queue_password_reset``). So the
    request costs the same for a known and an unknown address, and a mail server that is down
    loses nothing (the row is retried). If the broker is down, the request writes the outbox row
    itself and the beat sends it later.
    """

    def save(self, domain_override=None, use_https=False, request=None, **options):
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


# The password rules in words, once per process and language: they depend only on the settings
# (AUTH_PASSWORD_VALIDATORS) and the translations. Django's field asks every validator for its
# help text on every render of the form (measured on the password form, the logged-in floor:
# about a tenth of its CPU, most of it plural lookups through the translation catalogues).
_RULES_HELP: dict[str, str] = {}


def password_rules_help() -> str:
    language = get_language()
    text = _RULES_HELP.get(language)
    if text is None:
        # Django's own markup (a list built with format_html); str() ends its laziness.
        html = str(password_validation.password_validators_help_text_html())
        text = _RULES_HELP[language] = mark_safe(html)
    return text


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_rules_help()
