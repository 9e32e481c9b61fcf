"""The portal's services, one function per thing a person does; views call only these.

Invitations, reports (concerns) and the profile stay separate modules behind this one.
"""

from clinic_portal.core.clinical_dates import ImplausibleDate
from portal.concerns import (
    RateLimited,
    TriageError,
    add_patient_message,
    report_concern,
)
from portal.concerns import acknowledge as acknowledge_concern
from portal.concerns import escalate as escalate_concern
from portal.concerns import reply as reply_to_concern
from portal.concerns import resolve as resolve_concern
from portal.invitations import (
    InvitationError,
    accept_invitation,
    link_for,
    open_invitation,
    send_invitation,
)
from portal.profile import EmailChangeError, confirm_email_change, save_profile

__all__ = [
    "EmailChangeError",
    "ImplausibleDate",
    "InvitationError",
    "RateLimited",
    "TriageError",
    "accept_invitation",
    "acknowledge_concern",
    "add_patient_message",
    "confirm_email_change",
    "escalate_concern",
    "link_for",
    "open_invitation",
    "reply_to_concern",
    "report_concern",
    "resolve_concern",
    "save_profile",
    "send_invitation",
]
