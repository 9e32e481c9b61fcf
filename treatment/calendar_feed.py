"""Private .ics feeds (icalendar). A feed names nothing clinical beyond "blood test" or
"vaccination check": a calendar may be synced to other devices and services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event

from followups.models import FollowUp
from followups.planner import Kind
from treatment import core
from treatment.selectors import INJECTING

INJECTION_DAYS_AHEAD = 60
# In the language of the link's owner: the feed view activates it.
TITLES = {
    Kind.NEUTROPHIL_COUNT: gettext_lazy("Blood test"),
    Kind.VACCINATION_REVIEW: gettext_lazy("Vaccination check"),
    Kind.INFLUENZA_VACCINATION: gettext_lazy("Vaccination check"),
    Kind.INJECTION_TEACHING: gettext_lazy("Nurse appointment"),
    Kind.RESPONSE_REVIEW: gettext_lazy("Clinic appointment"),
}


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Clinic Portal//calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def _all_day(uid: str, summary: str, day: dt.date, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("dtstamp", stamp)
    event.add("transp", "TRANSPARENT")
    return event


def patient_feed(
    *,
    clinic_name: str,
    checks: Iterable[FollowUp],
    therapy,
    today: dt.date,
    stamp: dt.datetime,
    domain: str,
) -> bytes:
    cal = _calendar(clinic_name)
    for check in checks:
        cal.add_component(
            _all_day(
                f"check-{check.uuid}@{domain}",
                str(TITLES.get(check.kind, _("Clinic appointment"))),
                check.due_date,
                stamp,
            )
        )
    # Injection days only for a course that is planned or running: not one on hold, stopped
    # or cancelled (followups.rules).
    if (
        therapy is not None
        and therapy.state_on(today) in INJECTING
        and therapy.interval == core.Interval.EVERY_OTHER_DAY.value
    ):
        for day in core.injection_days(
            therapy.start_date,
            core.Interval.EVERY_OTHER_DAY,
            today,
            today + dt.timedelta(days=INJECTION_DAYS_AHEAD),
        ):
            cal.add_component(
                _all_day(
                    f"injection-{therapy.uuid}-{day:%Y%m%d}@{domain}",
                    _("Injection day"),
                    day,
                    stamp,
                )
            )
    return cal.to_ical()


def initials(patient) -> str:
    return "".join(part[:1].upper() for part in (patient.given_name, patient.family_name))


def nurse_feed(
    *, clinic_name: str, checks: Iterable[FollowUp], stamp: dt.datetime, domain: str
) -> bytes:
    cal = _calendar(_("%(clinic)s: my patients' checks") % {"clinic": clinic_name})
    for check in checks:
        title = TITLES.get(check.kind, _("Clinic appointment"))
        cal.add_component(
            _all_day(
                f"check-{check.uuid}@{domain}",
                f"{title}: {initials(check.patient)}",
                check.due_date,
                stamp,
            )
        )
    return cal.to_ical()


def open_checks_from(today: dt.date):
    return FollowUp.objects.open().filter(due_date__gte=today - dt.timedelta(days=30))
