"""Every list page costs the same number of queries with a little data and with a lot.

Each case loads its page, grows the data the page lists, and loads it again: the query count
must stay within the budget and not change, while what the page shows must have grown (so
the test cannot pass on an empty page). The worklist and the patient list have their own
tests beside their features.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic_portal.audit.models import AuditEvent
from education import services as education_services
from education.models import Assignment, Page
from followups.models import Alert, FollowUp, NeutrophilResult, TherapyCourse, Vaccination
from patients.models import Allergy
from portal.models import Concern
from screening.models import Screening
from tests.factories import PatientFactory
from treatment.models import CdaiAssessment

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    who: str  # a persona fixture
    url: Callable  # (personas) -> str
    grow: Callable  # (personas, times) -> None
    shown: Callable  # (response) -> int: how much of the data the page shows
    budget: int


def add_patients_awaiting_screening(p, times):
    PatientFactory.create_batch(times, responsible_clinician=p["clinician"])


def add_alerts(p, times):
    for n in range(times):
        patient = PatientFactory(responsible_clinician=p["clinician"])
        Alert.objects.create(
            patient=patient,
            clinician=p["clinician"],
            severity="urgent",
            cause="low_anc",
            message=f"Neutrophils low ({n})",
            source_type="test",
            source_id=str(patient.pk),
        )


def add_courses(p, times, *, patient=None):
    """Therapy courses with three checks each: overdue, due this week, upcoming."""
    today = p["today"]
    for _ in range(times):
        owner = patient or PatientFactory(responsible_clinician=p["clinician"])
        screening = Screening.objects.create(
            patient=owner, created_by=p["clinician"], policy="strict", answers={}
        )
        course = TherapyCourse.objects.create(
            patient=owner,
            screening=screening,
            start_date=today - dt.timedelta(days=30),
            interval="daily",
            started_by=p["clinician"],
        )
        for days in (-20, 2, 12):
            FollowUp.objects.create(
                therapy=course,
                patient=owner,
                kind="neutrophil_count",
                label="Neutrophil count",
                due_date=today + dt.timedelta(days=days),
            )


def add_checks_to_the_patient(p, times):
    """More planned checks on the patient's one active course."""
    patient, today = p["patient"], p["today"]
    course = TherapyCourse.objects.filter(patient=patient).first()
    if course is None:
        add_courses(p, 1, patient=patient)
        course = TherapyCourse.objects.get(patient=patient)
    first = course.followups.count()
    for n in range(first, first + times):
        FollowUp.objects.create(
            therapy=course,
            patient=patient,
            kind="neutrophil_count",
            label="Neutrophil count",
            due_date=today + dt.timedelta(days=20 + n),
        )


def add_pages(p, times):
    for n in range(len(Page.objects.all()), len(Page.objects.all()) + times):
        page = education_services.create_page(
            actor=p["clinician"],
            slug=f"budget-page-{n}",
            title=f"Budget page {n}",
            summary="A page for counting queries.",
            body="Plain words.",
        )
        education_services.publish_page(page=page, clinician=p["clinician"])


def add_assigned_pages(p, times):
    add_pages(p, times)
    education_services.assign_pages(
        pages=list(Page.objects.filter(slug__startswith="budget-page-")),
        patients=[p["patient"]],
        actor=p["clinician"],
    )


def add_unread_essentials(p, times):
    essential = Page.objects.filter(essential=True, current_version__isnull=False)
    patients = PatientFactory.create_batch(times, responsible_clinician=p["clinician"])
    education_services.assign_pages(pages=list(essential), patients=patients, actor=p["nurse"])
    Assignment.objects.update(assigned_at=timezone.now() - dt.timedelta(days=10))


def add_concerns(p, times, *, patient=None):
    for n in range(times):
        Concern.objects.create(
            patient=patient or PatientFactory(responsible_clinician=p["clinician"]),
            category="rash" if n % 2 else "surgery",
            urgent=bool(n % 2),
        )


def add_reads_of_the_patient(p, times):
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                kind="read",
                action="patient.view",
                actor=p["nurse"],
                actor_role="nurse",
                patient_uuid=p["patient"].uuid,
            )
            for _ in range(times)
        ]
    )


def add_to_the_record(p, times):
    patient = p["patient"]
    add_checks_to_the_patient(p, times)
    course = TherapyCourse.objects.get(patient=patient)
    for n in range(times):
        NeutrophilResult.objects.create(
            patient=patient,
            therapy=course,
            value=2 + n / 10,
            sample_date=p["today"] - dt.timedelta(days=times - n),
            lab="Test lab",
            recorded_by=p["nurse"],
        )
    add_concerns(p, times, patient=patient)


def add_record_rows(p, times):
    """A little of everything the record's tabs list, on the one patient."""
    patient, today, nurse = p["patient"], p["today"], p["nurse"]
    add_to_the_record(p, times)
    course = TherapyCourse.objects.get(patient=patient)
    first = Vaccination.objects.filter(patient=patient).count()
    for n in range(first, first + times):
        Vaccination.objects.create(
            patient=patient,
            name=f"Budget vaccine {n}",
            given_on=today - dt.timedelta(days=n),
            recorded_by=nurse,
        )
        Allergy.objects.create(patient=patient, substance=f"Budget allergen {n}")
        Alert.objects.create(
            patient=patient,
            clinician=p["clinician"],
            severity="attention",
            cause="low_anc",
            message=f"Budget alert {n}",
            source_type="test",
            source_id=f"budget-{n}",
        )
        Screening.objects.create(
            patient=patient, created_by=p["clinician"], policy="strict", answers={}
        )
        CdaiAssessment.objects.create(
            patient=patient,
            therapy=course,
            assessed_on=today - dt.timedelta(days=n),
            tender_joints=2,
            swollen_joints=1,
            patient_global=Decimal("3.0"),
            evaluator_global=Decimal("2.0"),
            score=Decimal("8.0"),
            band="low",
            recorded_by=p["clinician"],
        )
        AuditEvent.objects.create(
            kind="write",
            action="patient.update",
            actor=nurse,
            actor_role="nurse",
            patient_uuid=patient.uuid,
        )
    add_assigned_pages(p, times)


def record_tab(key: str) -> Callable:
    return lambda p: reverse("patients:record_tab", args=[p["patient"].uuid, key])


def count(marker: str) -> Callable:
    return lambda response: response.content.decode().count(marker)


CASES = {
    "clinician home: awaiting screening": Case(
        "clinician",
        lambda p: reverse("core:home"),
        add_patients_awaiting_screening,
        count("/patients/"),
        11,  # the staff homes write one read event for the patients they show
    ),
    "clinician home: open alerts": Case(
        "clinician", lambda p: reverse("core:home"), add_alerts, count("Neutrophils low"), 11
    ),
    "nurse home": Case(
        "nurse",
        lambda p: reverse("core:home"),
        add_courses,
        lambda r: r.context["counts"]["overdue"].value,
        10,  # and the read event, the injection diaries waiting for a look
    ),
    "patient home": Case(
        "patient_user",
        lambda p: reverse("core:home"),
        lambda p, times: (
            add_checks_to_the_patient(p, times),
            add_assigned_pages(p, times),
        ),
        count("Budget page"),
        14,
    ),
    "education pages (staff)": Case(
        "clinician", lambda p: reverse("education:pages"), add_pages, count("Budget page"), 8
    ),
    "unread essentials report": Case(
        "nurse",
        lambda p: reverse("education:unread"),
        add_unread_essentials,
        lambda r: len(r.context["page"]),
        10,
    ),
    "patient library": Case(
        "patient_user",
        lambda p: reverse("education:library"),
        add_assigned_pages,
        count("Budget page"),
        12,
    ),
    "patient reports (triage)": Case(
        "nurse", lambda p: reverse("portal:triage"), add_concerns, count("/concerns/"), 10
    ),
    "my reports": Case(
        "patient_user",
        lambda p: reverse("portal:concerns"),
        lambda p, times: add_concerns(p, times, patient=p["patient"]),
        count("/my/concerns/"),
        10,
    ),
    "who saw my record": Case(
        "patient_user",
        lambda p: reverse("portal:access_log"),
        add_reads_of_the_patient,
        count("a nurse"),
        # 6 measured: the page reads the log newest months first and stops at the page, with
        # no count (clinic_portal/audit/selectors.py); 7 with the capped count before.
        6,
    ),
    "patient record": Case(
        "clinician",
        lambda p: p["patient"].get_absolute_url(),
        add_to_the_record,
        count("/concerns/"),
        # 11 (23 before the summary and tabs): the session and the user with their
        # authenticator (clinic_portal/accounts/signed_in.py); the patient, without the accounts
        # of the care team; its allergies, courses and three newest counts, which the banner
        # shows too (care/record.py, load_banner_rows); the latest signed screening (therapy
        # start and the notes); the open checks; the open reports; the banner's open alerts;
        # the read events in one INSERT.
        11,
    ),
    # Each tab of the record, with a little and a lot of what it lists: the banner's reads
    # (allergies, courses, current counts, open alerts), the patient with the care team's
    # accounts, the session and the read events, then the tab's own (two to six).
    "record tab: checks and counts": Case(
        "clinician", record_tab("checks"), add_record_rows, count("Test lab"), 9
    ),
    "record tab: screening": Case(
        "clinician", record_tab("screening"), add_record_rows, count("/screenings/"), 9
    ),
    "record tab: diary and response": Case(
        "clinician", record_tab("diary"), add_record_rows, count("<td>8.0</td>"), 13
    ),
    "record tab: vaccinations": Case(
        "nurse", record_tab("vaccinations"), add_record_rows, count("Budget vaccine"), 9
    ),
    "record tab: education": Case(
        "nurse", record_tab("education"), add_record_rows, count("Budget page"), 13
    ),
    "record tab: details and medicines": Case(
        "nurse", record_tab("details"), add_record_rows, count("Budget allergen"), 10
    ),
    "record tab: alerts": Case(
        "clinician", record_tab("alerts"), add_record_rows, count("Budget alert"), 9
    ),
    "record tab: timeline": Case(
        "nurse", record_tab("timeline"), add_record_rows, count("<time "), 9
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_list_pages_cost_the_same_queries_with_more_data(
    name, request, client_for, today, django_assert_max_num_queries
):
    case = CASES[name]
    personas = {
        key: request.getfixturevalue(key)
        for key in ("clinician", "nurse", "patient", "patient_user")
    } | {"today": today}
    client = client_for(personas[case.who])
    case.grow(personas, 2)
    url = case.url(personas)
    client.get(url)  # the first request of a session also records the session's start
    with django_assert_max_num_queries(case.budget) as small:
        before = client.get(url)
    case.grow(personas, 12)
    with django_assert_max_num_queries(case.budget) as large:
        after = client.get(url)
    assert before.status_code == after.status_code == 200
    assert case.shown(after) > case.shown(before)
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [3, 12])
def test_a_batch_of_outbox_emails_costs_its_claim_and_one_update_per_email(
    size, mailoutbox, django_assert_num_queries
):
    from clinic_portal.notifications import services
    from clinic_portal.notifications.models import OutboundEmail

    ids = [
        OutboundEmail.objects.create(
            dedupe_key=f"reminder:budget:{n}",
            purpose="reminder",
            to_email=f"patient{n}@test.clinic.invalid",
            subject="A check is due",
            body="Your blood test is due this week.",
        ).pk
        for n in range(size)
    ]
    # The claim (BEGIN, SELECT ... FOR UPDATE SKIP LOCKED, one UPDATE, COMMIT), then each row
    # recorded as sent right after the server took it. Before batches every email cost a new
    # connection, its own claim (BEGIN, UPDATE, COMMIT), a SELECT and the final UPDATE.
    with django_assert_num_queries(4 + size):
        result = services.deliver_batch(ids)
    assert result.sent == size == len(mailoutbox)
