"""The clinic's calendar. Domain code takes ``today`` as an argument; this is where it comes from."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def clinic_today() -> dt.date:
    """Today's date in the clinic's time zone (or the override used by tests and demos)."""
    override = settings.CLINIC_TODAY_OVERRIDE
    if override:
        return dt.date.fromisoformat(override)
    return timezone.localdate()


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the clinic's time zone, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
