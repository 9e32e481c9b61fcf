import datetime as dt

import pytest
from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from clinic_portal.core.clock import start_of_day
from followups.models import FollowUp, TherapyCourse
from followups.planner import Kind
from followups.views import WORKLIST_PAGE
from patients.models import Patient
from screening.models import Screening
from tests.factories import PatientFactory
from tests.support.web import submit

WORKLIST = reverse("followups:worklist")


def make_courses(n, clinician, start):
    """Therapy rows with plans, written directly: the worklist only reads them."""
    for _ in range(n):
        patient = PatientFactory(responsible_clinician=clinician)
        screening = Screening.objects.create(
            patient=patient, created_by=clinician, policy="strict", answers={}
        )
        course = TherapyCourse.objects.create(
            patient=patient,
            screening=screening,
            start_date=start,
            interval="daily",
            started_by=clinician,
        )
        for months, due in enumerate(
            [start, start + dt.timedelta(days=3), start + dt.timedelta(days=20)]
        ):
            FollowUp.objects.create(
                therapy=course,
                patient=patient,
                kind="neutrophil_count",
                label=f"Check {months}",
                due_date=due,
            )


def test_the_tabs_sort_checks_by_their_dates(client_for, nurse, clinician, today):
    make_courses(
        1, clinician, today - dt.timedelta(days=10)
    )  # due: -10 (overdue), -7 (this week), +10 (upcoming)
    client = client_for(nurse)
    counts = client.get(WORKLIST).context["counts"]
    assert {tab: count.value for tab, count in counts.items()} == {
        "overdue": 1,
        "week": 1,
        "upcoming": 1,
        "completed": 0,
    }
    labels = {
        tab: [f.label for f in client.get(WORKLIST, {"tab": tab}).context["page"]]
        for tab in ("overdue", "week", "upcoming")
    }
    assert labels == {"overdue": ["Check 0"], "week": ["Check 1"], "upcoming": ["Check 2"]}


def test_the_worklist_filters_by_kind_clinician_and_patient(client_for, nurse, clinician, today):
    make_courses(2, clinician, today)
    client = client_for(nurse)
    assert (
        client.get(WORKLIST, {"tab": "week", "kind": "vaccination"}).context["page"].total.value
        == 0
    )
    assert client.get(WORKLIST, {"tab": "week", "kind": "blood"}).context["page"].total.value == 4
    someone = FollowUp.objects.first().patient
    assert client.get(WORKLIST, {"tab": "week", "q": someone.mrn}).context["page"].total.value == 2
    assert (
        client.get(WORKLIST, {"tab": "week", "clinician": "999999"}).context["page"].total.value
        == 0
    )


def test_recently_completed_lists_the_last_14_days_newest_first(
    client_for, nurse, clinician, today
):
    make_courses(1, clinician, today - dt.timedelta(days=30))
    first, second, third = FollowUp.objects.order_by("due_date")
    for check, days_ago in ((first, 3), (second, 1), (third, 15)):
        check.status = "completed"
        check.closed_at = start_of_day(today - dt.timedelta(days=days_ago)) + dt.timedelta(hours=9)
        check.save()
    client = client_for(nurse)
    newest_first = client.get(WORKLIST, {"tab": "completed"}).context["page"]
    assert [row.uuid for row in newest_first] == [str(second.uuid), str(first.uuid)]
    oldest_first = client.get(WORKLIST, {"tab": "completed", "order": "asc"}).context["page"]
    assert [row.uuid for row in oldest_first] == [str(first.uuid), str(second.uuid)]


def test_the_worklist_writes_read_events_for_the_patients_shown(
    client_for, nurse, clinician, today
):
    make_courses(2, clinician, today)
    client_for(nurse).get(WORKLIST, {"tab": "week"})
    assert AuditEvent.objects.filter(action="followup.worklist", actor=nurse).count() == 2


def test_the_worklist_query_count_does_not_grow_with_rows(
    client_for, nurse, clinician, today, django_assert_max_num_queries
):
    client = client_for(nurse)
    make_courses(3, clinician, today)
    client.get(WORKLIST)  # the first request of a session also records the session's start
    with django_assert_max_num_queries(6) as small:
        client.get(WORKLIST, {"tab": "week"})
    make_courses(60, clinician, today)
    with django_assert_max_num_queries(6) as large:
        response = client.get(WORKLIST, {"tab": "week"})
    assert len(large.captured_queries) == len(small.captured_queries)
    page = response.context["page"]
    assert (str(page.total), page.has_next, len(page)) == ("99+", True, WORKLIST_PAGE)
    assert "More than 99 checks" in response.content.decode()


@pytest.mark.parametrize(
    "params", [{"tab": "nonsense"}, {"page": "-1"}, {"clinician": "x"}, {"order": "sideways"}]
)
def test_odd_worklist_parameters_never_fail(client_for, nurse, params):
    assert client_for(nurse).get(WORKLIST, params).status_code == 200


def test_the_nurse_home_shows_the_worklist_counts(client_for, nurse, clinician, today):
    make_courses(1, clinician, today - dt.timedelta(days=10))
    html = client_for(nurse).get(reverse("core:home")).content.decode()
    assert "Overdue" in html and "Due this week" in html


def test_moving_and_closing_checks_is_audited(web_as, nurse, clinician, today):
    make_courses(1, clinician, today)
    check = FollowUp.objects.order_by("due_date").first()
    web = web_as(nurse)
    new_day = today + dt.timedelta(days=5)
    submit(
        web,
        reverse("followups:followup_reschedule", args=[check.uuid]),
        new_date=new_day.isoformat(),
        reason="Patient away",
    )
    check.refresh_from_db()
    assert (check.due_date, check.rescheduled_from) == (new_day, today)
    submit(web, reverse("followups:followup_not_done", args=[check.uuid]), reason="Declined")
    check.refresh_from_db()
    assert check.status == "not_done"
    assert (
        AuditEvent.objects.filter(action__in=["followup.reschedule", "followup.not_done"]).count()
        == 2
    )


def test_moving_onto_an_existing_check_of_the_same_kind_is_refused(web_as, nurse, clinician, today):
    make_courses(1, clinician, today)
    first, second = FollowUp.objects.order_by("due_date")[:2]
    response = submit(
        web_as(nurse),
        reverse("followups:followup_reschedule", args=[first.uuid]),
        new_date=second.due_date.isoformat(),
        reason="x",
    )
    assert response.status_code == 400
    first.refresh_from_db()
    assert first.due_date == today


def test_a_check_cannot_be_moved_into_the_past(web_as, nurse, clinician, today):
    make_courses(1, clinician, today)
    check = FollowUp.objects.first()
    response = submit(
        web_as(nurse),
        reverse("followups:followup_reschedule", args=[check.uuid]),
        new_date="2001-01-01",
        reason="x",
    )
    assert response.status_code == 400


FOLLOWUP_URLS = [
    "followup",
    "followup_result",
    "followup_vaccination",
    "followup_not_done",
    "followup_reschedule",
]


@pytest.mark.parametrize("name", FOLLOWUP_URLS)
def test_patients_get_404_on_follow_up_urls(client_for, patient, clinician, today, name):
    make_courses(1, clinician, today)
    check = FollowUp.objects.first()
    assert (
        client_for(patient.user).get(reverse(f"followups:{name}", args=[check.uuid])).status_code
        == 404
    )


HTMX = {"HX-Request": "true"}


def test_a_result_is_recorded_inside_the_worklist_row(web_as, nurse, clinician, today):
    make_courses(1, clinician, today)
    check = FollowUp.objects.filter(kind="neutrophil_count").order_by("due_date").first()
    web = web_as(nurse)
    worklist = web.get(WORKLIST + "?tab=week")
    button = worklist.html.select_one(f"#row-{check.uuid} a[hx-get$='/result/']")
    assert button is not None and button["href"] == button["hx-get"]  # works without JS too
    inline = web.get(button["hx-get"], headers=HTMX)
    assert inline.html.select_one("tr").get("id") == f"row-{check.uuid}"
    assert "<html" not in inline.text  # a fragment for the row, not a page
    form = inline.forms[0]
    form["value"] = "2.4"
    form["sample_date"] = today.isoformat()
    form["lab"] = "City lab"
    row = form.submit(headers=HTMX)
    assert row.status_code == 200
    check.refresh_from_db()
    assert check.status == "completed"
    assert "Saved. The count is in the normal range." in row.text
    assert not row.html.select("form")
    # The message was said in the row; the next page does not repeat it.
    assert "in the normal range" not in web.get(WORKLIST).text


def test_an_inline_mistake_is_shown_in_the_row_and_cancel_gives_the_row_back(
    web_as, nurse, clinician, today
):
    make_courses(1, clinician, today)
    check = FollowUp.objects.order_by("due_date").first()
    web = web_as(nurse)
    url = reverse("followups:followup_not_done", args=[check.uuid])
    form = web.get(url, headers=HTMX).forms[0]
    answer = form.submit(headers=HTMX)
    assert answer.status_code == 200 and "This field is required" in answer.text
    check.refresh_from_db()
    assert check.is_open
    back = web.get(url + "?row=1", headers=HTMX)
    assert back.html.select_one(f"tr#row-{check.uuid}") and "Not done" in back.text


def test_a_worklist_row_says_who_what_and_where_the_course_stands(
    client_for, nurse, clinician, today
):
    """The row is drawn from plain values (followups/worklist_rows.py): each cell still says
    what the check's own page says."""
    make_courses(4, clinician, today - dt.timedelta(days=10))
    courses = list(TherapyCourse.objects.order_by("pk"))
    courses[1].start_date = today + dt.timedelta(days=2)
    courses[1].save()
    courses[2].held_at = start_of_day(today)
    courses[2].start_date = today + dt.timedelta(days=2)
    courses[2].save()
    courses[3].stopped_on = today - dt.timedelta(days=1)
    courses[3].save()
    done = FollowUp.objects.filter(therapy=courses[0]).order_by("due_date").first()
    done.status = "completed"
    done.closed_at = start_of_day(today) + dt.timedelta(hours=9)
    done.save()
    client = client_for(nurse)
    week = client.get(WORKLIST, {"tab": "week"}).content.decode()
    later = client.get(WORKLIST, {"tab": "upcoming"}).content.decode()
    completed = client.get(WORKLIST, {"tab": "completed"})
    day = f"{(today + dt.timedelta(days=2)).day} "
    assert f"Kineret 100 mg once a day, planned to start on {day}" in week + later
    assert f"Kineret 100 mg once a day, on hold before its start on {day}" in week + later
    assert "Kineret stopped " in week + later
    since = today - dt.timedelta(days=10)
    assert f"Kineret 100 mg once a day, since {since.day} " in completed.content.decode()
    row = completed.content.decode().split(f'id="row-{done.uuid}"')[1].split("</tr>")[0]
    assert f"completed {today.day} " in row
    assert done.patient.mrn in row and done.patient.get_absolute_url() in row
    assert done.get_absolute_url() in row and clinician.full_name in row
    assert "Record result" not in row  # a closed check has no buttons


def _due_today(therapy, kind, today):
    check = FollowUp.objects.filter(therapy=therapy, kind=kind).order_by("due_date").first()
    FollowUp.objects.filter(pk=check.pk).update(due_date=today)
    return check


def test_the_kind_filter_has_an_option_for_every_kind_of_check_the_list_shows(
    web_as, nurse, therapy, today
):
    from tests.support.web import form_on

    for kind in ("neutrophil_count", "response_review", "influenza_vaccination"):
        _due_today(therapy, kind, today)
    web = web_as(nurse)
    page = web.get(WORKLIST, {"tab": "week"})
    shown = {f.kind for f in page.context["page"]}
    assert shown == {k.value for k in Kind}  # one check of each kind is due

    reached = set()
    form = form_on(page)
    for value, _selected, _label in form["kind"].options:
        if not value:
            continue
        form["kind"].value = value
        kinds = {f.kind for f in form.submit().context["page"]}
        assert kinds, f"the {value!r} option lists nothing"
        assert not kinds & reached, "two options list the same kind"
        reached |= kinds
    assert reached == shown  # every row of "All" is reachable through one option


def test_a_teaching_or_review_row_offers_its_own_action_never_a_vaccination(
    web_as, nurse, clinician, therapy, today
):
    teaching = _due_today(therapy, "injection_teaching", today)
    review = _due_today(therapy, "response_review", today)
    patient = therapy.patient

    as_nurse = web_as(nurse).get(WORKLIST, {"tab": "week"})
    teaching_row = as_nurse.html.select_one(f"#row-{teaching.uuid}")
    review_row = as_nurse.html.select_one(f"#row-{review.uuid}")
    assert "Record vaccination" not in teaching_row.get_text()
    assert "Record vaccination" not in review_row.get_text()
    teach = teaching_row.find("a", string="Record teaching")
    assert teach["href"] == reverse("treatment:teaching", args=[patient.uuid])
    assert web_as(nurse).get(teach["href"]).status_code == 200

    as_clinician = web_as(clinician).get(WORKLIST, {"tab": "week"})
    cdai = as_clinician.html.select_one(f"#row-{review.uuid}").find("a", string="Record CDAI")
    assert cdai["href"] == reverse("treatment:cdai", args=[patient.uuid])

    # The nurse's home: "Record" on the teaching check opens the teaching form too.
    home = web_as(nurse).get(reverse("core:home"))
    assert reverse("treatment:teaching", args=[patient.uuid]) in home.text
    assert reverse("followups:followup_vaccination", args=[teaching.uuid]) not in home.text


def test_a_row_shows_what_people_typed_as_text_never_as_markup(web_as, nurse, clinician, today):
    # The rows are filled in Python (followups/worklist_rows.py), not by the template engine,
    # so every value they show must be escaped there.
    make_courses(1, clinician, today)
    FollowUp.objects.update(label="<b>Check</b> & <script>x</script>")
    Patient.objects.update(family_name="O'Neil<i>")
    page = web_as(nurse).get(WORKLIST, {"tab": "week"})
    assert "<script>x</script>" not in page.text and "<b>Check</b>" not in page.text
    row = page.html.select_one("tbody tr")
    assert "<b>Check</b> & <script>x</script>" in row.get_text()
    assert "O'Neil<i>" in row.get_text()
