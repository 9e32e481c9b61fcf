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


def overdue_before(today: dt.date, *, grace_days: int) -> dt.date:
    """An open check due before this day is overdue: the one definition of "overdue"."""
    return today - dt.timedelta(days=grace_days)


def due_until(today: dt.date, *, due_window_days: int) -> dt.date:
    """An open check due on or before this day (and not overdue) is due."""
    return today + dt.timedelta(days=due_window_days)


def open_status(due: dt.date, today: dt.date, *, due_window_days: int, grace_days: int) -> Status:
    """Scheduled until ``due_window_days`` before the date, due until ``grace_days`` after it,
    overdue from then on."""
    if due < overdue_before(today, grace_days=grace_days):
        return Status.OVERDUE
    if due <= due_until(today, due_window_days=due_window_days):
        return Status.DUE
    return Status.SCHEDULED
