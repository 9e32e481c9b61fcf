"""Capped counting and look-ahead pages: what list pages use instead of COUNT(*)."""

import pytest

from clinic_portal.core.pagination import (
    MAX_PAGE,
    CappedCount,
    capped_count,
    capped_counts,
    paginate,
)
from patients.models import Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_patients():
    PatientFactory.create_batch(5)
    return Patient.objects.order_by("pk")


def test_a_count_stops_one_past_its_cap(five_patients):
    assert capped_count(five_patients, cap=10) == CappedCount(5, 10)
    over = capped_count(five_patients, cap=3)
    assert (over.value, over.capped, str(over)) == (4, True, "3+")
    assert str(CappedCount(1234, 5000)) == "1,234"


def test_several_counts_come_back_from_one_query(five_patients, django_assert_num_queries):
    second_pk = five_patients[1].pk
    with django_assert_num_queries(1):
        counts = capped_counts(
            {"all": five_patients, "first_two": five_patients.filter(pk__lte=second_pk)}, cap=3
        )
    assert (counts["all"].value, counts["all"].capped) == (4, True)
    assert (counts["first_two"].value, counts["first_two"].capped) == (2, False)


def test_pages_know_their_neighbours_and_their_number(five_patients):
    ids = list(five_patients.values_list("pk", flat=True))
    second = paginate(five_patients, "2", 2)
    assert [p.pk for p in second] == ids[2:4]
    assert (second.has_previous, second.has_next, second.num_pages) == (True, True, 3)
    last = paginate(five_patients, "3", 2)
    assert ([p.pk for p in last], last.has_next) == (ids[4:], False)


@pytest.mark.parametrize("asked", [None, "", "0", "-4", "two", "9" * 5000])
def test_nonsense_page_numbers_give_page_one(five_patients, asked):
    page = paginate(five_patients, asked, 2)
    assert page.number == 1 and len(page) == 2


def test_a_page_past_the_end_gives_the_last_page(five_patients):
    assert paginate(five_patients, "99", 2).number == 3


def test_above_the_cap_every_row_stays_reachable_with_next(five_patients):
    total = capped_count(five_patients, cap=2)
    page = paginate(five_patients, "3", 2, total=total)
    assert page.num_pages is None  # unknown above the cap: the page says "more than"
    assert (page.number, len(page), page.has_next) == (3, 1, False)
    assert paginate(five_patients, str(MAX_PAGE * 10), 2, total=total).number == 1


def test_an_empty_list_has_one_empty_page():
    page = paginate(Patient.objects.none(), "5", 25)
    assert (page.number, list(page), page.has_other_pages, str(page.total)) == (1, [], False, "0")
