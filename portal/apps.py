from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Patient portal")

    def ready(self) -> None:
        from patients.events import patient_enrolled

        patient_enrolled.connect(_patient_enrolled, dispatch_uid="portal.patient_enrolled")


def _patient_enrolled(sender, *, patient, actor, invite: bool = True, **kwargs) -> None:
    """A newly enrolled patient with an email address is invited at once, unless the enrolling
    clinician chose not to."""
    from portal.invitations import send_invitation

    if invite and patient.user.email:
        send_invitation(patient=patient, actor=actor)
