"""Where an open follow-up stands on a given day (pure)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class Status(StrEnum):
    SCHEDULED = "scheduled"
    DUE = "due"
    OVERDUE = "overdue"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NOT_DONE = "not_done"


OPEN = (Status.SCHEDULED, Status.DUE, Status.OVERDUE)
CLOSED = (Status.COMPLETED, Status.CANCELLED, Status.NOT_DONE)


def open_status(due: dt.date, today: dt.date, *, due_window_days: int, grace_days: int) -> Status:
    """Scheduled until ``due_window_days`` before the date, due until ``grace_days`` after it,
    overdue from then on."""
    if today < due - dt.timedelta(days=due_window_days):
        return Status.SCHEDULED
    if today <= due + dt.timedelta(days=grace_days):
        return Status.DUE
    return Status.OVERDUE
