"""'Who saw my record' at scale: read newest months first and stop at a page (issue 21).

The page reads the audit log a few months at a time, so these tests spread the reads over
monthly partitions (and into the default partition, older than every month) and check that
what the patient sees is every staff read of their record, newest first, page by page."""

import datetime as dt
import re

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from clinic_portal.audit import partitions
from clinic_portal.audit.models import AuditEvent
from clinic_portal.audit.partitions import forget_oldest_month


def months_back(months: int) -> dt.date:
    this_month = timezone.now().astimezone(dt.UTC).date().replace(day=1)
    return partitions.add_months(this_month, -months)


def with_past_months(months: int) -> None:
    """The monthly partitions of the last ``months`` months, as on a log that is years old."""
    partitions.ensure_months_ahead(months_back(months), months=months)
    forget_oldest_month()


def read(patient, actor, role, when, **extra):
    return AuditEvent(
        kind="read",
        action="patient.view",
        actor=actor,
        actor_role=role,
        patient_uuid=patient.uuid,
        occurred_at=when,
        **extra,
    )


def staff_reads_over_the_years(patient, nurse, clinician) -> list[AuditEvent]:
    """Three reads a month for 15 months, and six from 2015, older than every partition."""
    events = []
    for back in range(15):
        first = dt.datetime.combine(months_back(back), dt.time(9), tzinfo=dt.UTC)
        for n in range(3):
            who, role = (nurse, "nurse") if n % 2 else (clinician, "clinician")
            events.append(read(patient, who, role, first + dt.timedelta(days=n * 5, minutes=back)))
    for n in range(6):
        events.append(read(patient, nurse, "nurse", dt.datetime(2015, 3, 2 + n, 8, tzinfo=dt.UTC)))
    return AuditEvent.objects.bulk_create(events)


def shown_times(page) -> list[str]:
    return re.findall(r"<li class=\"mb-2\"><strong>([^<]+)</strong>", page.text)


def as_shown(events) -> list[str]:
    newest_first = sorted(events, key=lambda e: (e.occurred_at, e.pk), reverse=True)
    return [date_filter(timezone.localtime(e.occurred_at), "j M Y, H:i") for e in newest_first]


def test_every_staff_read_over_the_years_is_listed_newest_first_page_by_page(
    web_as, patient, other_patient, nurse, clinician
):
    with_past_months(14)
    staff = staff_reads_over_the_years(patient, nurse, clinician)
    # Not listed: the patient's own reads, anything read in the patient's role, and other
    # patients' records.
    AuditEvent.objects.bulk_create(
        [
            read(patient, patient.user, "patient", timezone.now()),
            read(patient, None, "patient", timezone.now() - dt.timedelta(days=40)),
            read(other_patient, nurse, "nurse", timezone.now() - dt.timedelta(days=70)),
        ]
    )
    expected = as_shown(staff)
    assert len(expected) == 51

    first = web_as(patient.user).get(reverse("portal:access_log"))
    assert shown_times(first) == expected[:50]
    # The log is not counted: until the last page the pager only says where it is.
    assert "Page 1</span>" in first.text and "Page 1 of" not in first.text

    last = first.click("Next")
    assert shown_times(last) == expected[50:]  # the oldest, from the default partition
    assert "Page 2 of 2" in last.text
    assert "page=3" not in last.text
    assert shown_times(last.click("Previous")) == expected[:50]


def test_a_page_past_the_end_shows_the_first_page(web_as, patient, nurse, clinician):
    with_past_months(14)
    expected = as_shown(staff_reads_over_the_years(patient, nurse, clinician))
    page = web_as(patient.user).get(reverse("portal:access_log") + "?page=40")
    assert shown_times(page) == expected[:50]
    assert "Page 1</span>" in page.text


def test_a_few_reads_long_ago_are_found_and_counted(web_as, patient, nurse):
    with_past_months(30)
    long_ago = [
        read(patient, nurse, "nurse", dt.datetime.combine(months_back(back), dt.time(10), dt.UTC))
        for back in (29, 21, 3)
    ]
    AuditEvent.objects.bulk_create(long_ago)
    page = web_as(patient.user).get(reverse("portal:access_log"))
    assert shown_times(page) == as_shown(long_ago)
    assert "page=" not in page.text  # one page, no pager
