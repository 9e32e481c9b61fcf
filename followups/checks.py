"""Closing a check: shared by the result, vaccination and not-done services. A conditional
UPDATE, so a check closed by someone else in the meantime is left as they closed it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from followups.courses import TherapyError
from followups.models import FollowUp
from followups.status import OPEN, Status


def close_check(followup: FollowUp, actor, status: Status, reason: str = "") -> None:
    FollowUp.objects.filter(pk=followup.pk, status__in=OPEN).update(
        status=status, reason=reason, closed_by=actor, closed_at=timezone.now()
    )


def require_open(followup: FollowUp) -> None:
    if not FollowUp.objects.filter(pk=followup.pk, status__in=OPEN).exists():
        raise TherapyError(_("This check is already closed."))
