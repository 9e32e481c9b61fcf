import datetime as dt

import pytest
from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from patients.services import archive_patient
from tests.factories import PatientFactory, UserFactory

LIST = reverse("patients:list")


def _names(response) -> list[str]:
    return [p.family_name for p in response.context["page"].object_list]


@pytest.fixture
def three_patients(clinician):
    other_doctor = UserFactory(role="clinician")
    return [
        PatientFactory(
            family_name="Abbott",
            given_name="Lena",
            mrn="AB0001",
            date_of_birth=dt.date(1950, 1, 2),
            responsible_clinician=clinician,
        ),
        PatientFactory(
            family_name="Brandt",
            given_name="Kai",
            mrn="KB0002",
            date_of_birth=dt.date(1980, 6, 30),
            responsible_clinician=other_doctor,
        ),
        PatientFactory(
            family_name="Castro",
            given_name="Lena",
            mrn="LC0003",
            date_of_birth=dt.date(1965, 9, 9),
            responsible_clinician=clinician,
        ),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lena", ["Abbott", "Castro"]),
        ("lena castro", ["Castro"]),
        ("kb-0002", ["Brandt"]),
        ("kb0", ["Brandt"]),
        ("1980-06-30", ["Brandt"]),
        ("09/09/1965", ["Castro"]),
        ("nobody", []),
    ],
)
def test_staff_find_patients_by_name_record_number_or_birthday(
    client_for, nurse, three_patients, query, expected
):
    response = client_for(nurse).get(LIST, {"q": query})
    assert response.status_code == 200
    assert _names(response) == expected


def test_the_list_filters_by_responsible_clinician(client_for, nurse, clinician, three_patients):
    response = client_for(nurse).get(LIST, {"clinician": clinician.pk})
    assert _names(response) == ["Abbott", "Castro"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Abbott", "Brandt", "Castro"]),
        ("-name", ["Castro", "Brandt", "Abbott"]),
        ("dob", ["Abbott", "Castro", "Brandt"]),
        ("-dob", ["Brandt", "Castro", "Abbott"]),
        ("nonsense", ["Abbott", "Brandt", "Castro"]),
    ],
)
def test_the_list_sorts(client_for, nurse, three_patients, sort, expected):
    assert _names(client_for(nurse).get(LIST, {"sort": sort})) == expected


@pytest.mark.parametrize(
    "params", [{"page": "999"}, {"page": "x"}, {"clinician": "abc"}, {"q": "x" * 5000}]
)
def test_odd_query_strings_never_fail(client_for, nurse, three_patients, params):
    assert client_for(nurse).get(LIST, params).status_code == 200


def test_archived_patients_leave_the_list_but_can_be_listed_apart(
    client_for, clinician, three_patients
):
    archive_patient(patient=three_patients[0], actor=clinician, reason="Moved away")
    client = client_for(clinician)
    assert _names(client.get(LIST)) == ["Brandt", "Castro"]
    assert _names(client.get(LIST, {"archived": "1"})) == ["Abbott"]


def test_the_list_paginates_25_at_a_time(client_for, nurse, clinician):
    PatientFactory.create_batch(30, responsible_clinician=clinician)
    client = client_for(nurse)
    assert len(client.get(LIST).context["page"].object_list) == 25
    assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 5


def test_every_patient_shown_in_the_list_is_written_to_the_access_log(
    client_for, nurse, three_patients
):
    client_for(nurse).get(LIST, {"q": "lena"})
    reads = AuditEvent.objects.filter(action="patient.list", actor=nurse)
    assert {e.patient_uuid for e in reads} == {three_patients[0].uuid, three_patients[2].uuid}


def test_the_list_costs_the_same_queries_for_5_or_60_patients(
    client_for, nurse, clinician, django_assert_max_num_queries
):
    client = client_for(nurse)
    PatientFactory.create_batch(5, responsible_clinician=clinician)
    client.get(LIST)  # the first request of a session also records the session's start
    with django_assert_max_num_queries(7) as small:
        client.get(LIST)
    PatientFactory.create_batch(55, responsible_clinician=clinician)
    with django_assert_max_num_queries(7) as large:
        client.get(LIST)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_patients_and_admins_cannot_use_the_staff_list(client_for, patient_user, clinic_admin):
    assert client_for(patient_user).get(LIST).status_code == 404
    assert client_for(clinic_admin).get(LIST).status_code == 403


def test_the_list_filters_by_therapy_screening_outcome_and_overdue_checks(
    client_for, clinician, nurse, today
):
    import datetime as dt

    from followups.models import FollowUp, TherapyCourse
    from screening.models import Screening

    on_kineret, screened_only, _not_screened = (
        PatientFactory(family_name=name, responsible_clinician=clinician)
        for name in ("Kent", "Lowe", "Moss")
    )
    signed = Screening.objects.create(
        patient=on_kineret, created_by=clinician, policy="strict", answers={}
    )
    Screening.objects.filter(pk=signed.pk).update(
        outcome="clear",
        decision="eligible",
        signed_by=clinician,
        signed_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
    review = Screening.objects.create(
        patient=screened_only, created_by=clinician, policy="strict", answers={}
    )
    Screening.objects.filter(pk=review.pk).update(
        outcome="needs_review",
        decision="eligible",
        signed_by=clinician,
        signed_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
    )
    course = TherapyCourse.objects.create(
        patient=on_kineret,
        screening=signed,
        start_date=today,
        interval="daily",
        started_by=clinician,
    )
    FollowUp.objects.create(
        therapy=course,
        patient=on_kineret,
        kind="neutrophil_count",
        label="x",
        due_date=today - dt.timedelta(days=30),
    )
    client = client_for(nurse)
    assert _names(client.get(LIST, {"therapy": "active"})) == ["Kent"]
    assert _names(client.get(LIST, {"therapy": "none"})) == ["Lowe", "Moss"]
    assert _names(client.get(LIST, {"outcome": "needs_review"})) == ["Lowe"]
    assert _names(client.get(LIST, {"outcome": "none"})) == ["Moss"]
    assert _names(client.get(LIST, {"overdue": "1"})) == ["Kent"]


def test_a_broad_search_stops_at_its_first_matches_after_every_filter(
    client_for, nurse, clinician, settings
):
    settings.CLINIC_SEARCH_MAX_MATCHES = 25
    other_doctor = UserFactory(role="clinician")
    for n in range(30):
        PatientFactory(family_name=f"Berg{n:02d}", responsible_clinician=clinician)
    for n in range(5):
        PatientFactory(family_name=f"Aberg{n}", responsible_clinician=other_doctor)
    client = client_for(nurse)

    everyone = client.get(LIST, {"q": "berg"})
    assert everyone.context["page"].total.value == 25
    # The page says the list was cut, and how to narrow it.
    assert "Showing the closest 25 matches; type more to narrow." in everyone.text
    shown = _names(everyone)
    assert shown == sorted(shown)  # the list's own order, over the matches kept
    # The closest kept: family names that start with the word, before those that contain it.
    assert all(name.startswith("Berg") for name in shown)

    # The clinician filter applies before the cut: Dr Other's patients take no place.
    mine = client.get(LIST, {"q": "berg", "clinician": clinician.pk})
    assert mine.context["page"].total.value == 25
    assert all(name.startswith("Berg") for name in _names(mine))

    by_name_desc = _names(client.get(LIST, {"q": "berg", "sort": "-name"}))
    assert by_name_desc == sorted(by_name_desc, reverse=True)

    # A narrower search is not cut, and says nothing of a cut.
    narrower = client.get(LIST, {"q": "berg2"})
    assert narrower.context["page"].total.value == 11  # Berg2x, Aberg2
    assert "type more to narrow" not in narrower.text


def test_a_search_with_exactly_the_limit_of_matches_is_not_called_cut(client_for, nurse, settings):
    settings.CLINIC_SEARCH_MAX_MATCHES = 25
    for n in range(25):
        PatientFactory(family_name=f"Lind{n:02d}")
    response = client_for(nurse).get(LIST, {"q": "lind"})
    assert response.context["page"].total.value == 25
    assert "type more to narrow" not in response.text


def test_a_row_shows_names_as_text_never_as_markup(web_as, nurse):
    # The rows are filled in Python (care/list_rows.py), not by the template engine, so every
    # value they show must be escaped there.
    PatientFactory(family_name="<b>Bold</b>", given_name="<script>x</script>", mrn="X&Y1")
    page = web_as(nurse).get(LIST)
    assert "<script>x</script>" not in page.text and "<b>Bold</b>" not in page.text
    cells = [cell.get_text() for cell in page.html.select("tbody tr td")]
    assert "<b>Bold</b>, <script>x</script>" in cells and "X&Y1" in cells
