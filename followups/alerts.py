"""Clinician alerts: raised by results, vaccinations and (later) patient concerns, emailed to the
responsible rheumatologist with a link and no clinical detail."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clinic_portal.accounts.language import language_for
from clinic_portal.audit import audit
from clinic_portal.notifications.services import EmailSpec, queue_emails
from followups.models import Alert


def raise_alert(
    *, patient, severity: str, cause: str, message: str, source, occurrence: str = ""
) -> Alert:
    """Create the alert once per (cause, source[, occurrence]) and queue its email. Call inside
    a transaction. ``occurrence`` tells apart repeated events on one source (a check moved twice).
    """
    alert, created = Alert.objects.get_or_create(
        cause=cause,
        source_type=source._meta.label_lower,
        source_id=f"{source.uuid}:{occurrence}" if occurrence else str(source.uuid),
        defaults={
            "patient": patient,
            "clinician": patient.responsible_clinician,
            "severity": severity,
            "message": message,
        },
    )
    if not created:
        return alert
    audit.record(
        "alert.raise",
        actor=None,
        obj=alert,
        patient=patient,
        detail={"severity": severity, "cause": cause},
    )
    # In the rheumatologist's language, not the language of whoever raised it.
    with translation.override(language_for(alert.clinician.language)):
        if severity == Alert.Severity.URGENT:
            subject = _("An urgent alert is waiting in the clinic portal")
            lead = _("An urgent alert about one of your patients is waiting for you.")
        else:
            subject = _("A new alert is waiting in the clinic portal")
            lead = _("A new alert about one of your patients is waiting for you.")
        body = _("%(lead)s\n\nOpen it here (you will be asked to log in):\n%(link)s\n") % {
            "lead": lead,
            "link": f"{settings.SITE_URL}{alert.get_absolute_url()}",
        }
    queue_emails(
        [
            EmailSpec(
                dedupe_key=f"alert:{alert.uuid}",
                purpose="alert",
                to_email=alert.clinician.email or "",
                subject=subject,
                body=body,
                patient_uuid=patient.uuid,
            )
        ]
    )
    return alert


class AlertRefused(Exception):
    pass


def _require_clinician(user) -> None:
    """Alerts are the rheumatologist's: only they acknowledge or resolve one."""
    if not user.is_clinician:
        raise AlertRefused(_("Only a rheumatologist acknowledges or resolves alerts."))


@transaction.atomic
def acknowledge_alert(*, alert: Alert, clinician, note: str) -> Alert:
    _require_clinician(clinician)
    updated = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=clinician, acknowledged_at=timezone.now(), acknowledgement_note=note
    )
    if updated:
        audit.record(
            "alert.acknowledge",
            actor=clinician,
            obj=alert,
            patient=alert.patient,
            detail={"note": note},
        )
    alert.refresh_from_db()
    return alert


@transaction.atomic
def resolve_alert(*, alert: Alert, clinician, note: str) -> Alert:
    _require_clinician(clinician)
    now = timezone.now()
    updated = Alert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(
        resolved_by=clinician, resolved_at=now, resolution_note=note
    )
    Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=clinician, acknowledged_at=now, acknowledgement_note=note
    )
    if updated:
        audit.record(
            "alert.resolve",
            actor=clinician,
            obj=alert,
            patient=alert.patient,
            detail={"note": note},
        )
    alert.refresh_from_db()
    return alert
