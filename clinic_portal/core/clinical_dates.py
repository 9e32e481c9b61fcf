"""Is a clinical date plausible? The one check every form and service uses.

A date is refused when it falls before the patient's birth, before 1900, or in the future for
something that has already happened (a sample, a vaccination, a stop, a symptom's onset). Pure:
``today`` and the date of birth are arguments, so services and forms give the same answer.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import Promise  # a label translated lazily

from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST_CLINICAL_DATE = dt.date(1900, 1, 1)


class ImplausibleDate(ValueError):
    """A clinical date that cannot be right; ``field`` names the form field it came from."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def date_problem(
    day: dt.date, *, born: dt.date | None, today: dt.date, past_event: bool
) -> str | None:
    """What is wrong with ``day`` in plain words, or None when it is plausible."""
    if day < EARLIEST_CLINICAL_DATE:
        return _("This date is before 1900; check the year.")
    if born is not None and day < born:
        return _("This date is before the patient's birth (%(born)s).") % {
            "born": date_format(born)
        }
    if past_event and day > today:
        return _("This date is in the future; record it once it has happened.")
    return None


def check_clinical_date(
    day: dt.date,
    *,
    field: str,
    label: str | Promise,
    born: dt.date | None,
    today: dt.date,
    past_event: bool = True,
) -> None:
    """Raise ``ImplausibleDate`` naming the field when ``day`` is not plausible."""
    problem = date_problem(day, born=born, today=today, past_event=past_event)
    if problem:
        raise ImplausibleDate(field, f"{label}: {problem}")
