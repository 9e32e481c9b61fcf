"""Authentication events go to the audit log. Django only offers signals for these."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from clinic_portal.audit import audit
from clinic_portal.audit.models import AuditEvent


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    audit.record("auth.login", actor=user, obj=user, kind=AuditEvent.Kind.AUTH)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.record("auth.logout", actor=user, obj=user, kind=AuditEvent.Kind.AUTH)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Only the username typed is kept; the password is never logged.
    attempted = str(credentials.get("username", ""))[:254]
    audit.record(
        "auth.login_failed",
        actor=None,
        detail={"attempted_email": attempted},
        kind=AuditEvent.Kind.AUTH,
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit.record(
        "auth.locked_out",
        actor=None,
        detail={"attempted_email": str(username)[:254]},
        kind=AuditEvent.Kind.AUTH,
    )
