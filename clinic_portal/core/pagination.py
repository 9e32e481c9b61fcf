"""Pages of a list whose cost does not grow with the table.

Django's ``Paginator`` counts every matching row (``COUNT(*)``) on every request, so a list
page gets slower as the clinic grows. ``paginate`` counts at most ``COUNT_CAP`` rows and reads
one row past the page to know whether there is a next one, so page one costs the same at 200
patients as at 20,000. Above the cap the page says "more than 1,000" instead of the number;
every row stays reachable with Next, and filters narrow the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connections

from clinic_portal.core.params import int_or_none

COUNT_CAP = 1000
MAX_PAGE = 100_000  # keeps OFFSET inside a database integer, whatever the URL says


@dataclass(frozen=True)
class CappedCount:
    """How many rows match, counting no further than ``cap``."""

    value: int
    cap: int = COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.value > self.cap

    @property
    def cap_label(self) -> str:
        return f"{self.cap:,}"

    def __str__(self) -> str:
        return f"{self.cap_label}+" if self.capped else f"{self.value:,}"


def capped_count(queryset, cap: int = COUNT_CAP) -> CappedCount:
    """``SELECT COUNT(*) FROM (... LIMIT cap + 1)``: bounded work, however large the table.

    Unordered: which rows fill the cap does not matter, and a search's matches need no sort
    to be counted. (``capped_counts`` keeps the order it is given, for index-ordered tabs.)
    """
    return CappedCount(queryset.order_by()[: cap + 1].count(), cap)


def capped_counts(querysets: dict[str, Any], cap: int = COUNT_CAP) -> dict[str, CappedCount]:
    """Several capped counts in one round trip: one scalar subquery per queryset."""
    parts, params = [], []
    for queryset in querysets.values():
        sql, part_params = queryset.values("pk")[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")
        params.extend(part_params)
    if not parts:
        return {}
    any_queryset = next(iter(querysets.values()))
    with connections[any_queryset.db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        values = cursor.fetchone()
    return {name: CappedCount(value, cap) for name, value in zip(querysets, values, strict=True)}


def _page_count(total: CappedCount, per_page: int) -> int | None:
    """How many pages the rows fill, or None when the count stopped at its cap."""
    return None if total.capped else max(1, -(-total.value // per_page))


def query_string_without_page(request) -> str:
    """The list's filters and sort, for the page links to carry."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@dataclass
class Page:
    object_list: list[Any]
    number: int
    per_page: int
    has_next: bool
    total: CappedCount
    num_pages: int | None = field(init=False)

    def __post_init__(self) -> None:
        self.num_pages = _page_count(self.total, self.per_page)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def paginate(queryset, page_param: str | None, per_page: int, *, total: CappedCount | None = None):
    """The page asked for: page one when the number is not a number, the last page when it is
    past the end. ``total`` may be passed when the caller has already counted the same rows."""
    total = total if total is not None else capped_count(queryset)
    number = min(max(int_or_none(page_param) or 1, 1), _page_count(total, per_page) or MAX_PAGE)
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1]) if total.value else []
    if not rows and number > 1:
        number, rows = 1, list(queryset[: per_page + 1])
    return Page(
        object_list=rows[:per_page],
        number=number,
        per_page=per_page,
        has_next=len(rows) > per_page,
        total=total,
    )


def paginate_newest(fetch, page_param: str | None, per_page: int) -> Page:
    """The page asked for of a list read by ``fetch(offset, limit)`` newest first, without
    counting the list: for logs whose count would cost more than the page (the audit log, read
    a few months at a time). Until the last page is reached the pager says "Page 3" and offers
    Next; on the last page it knows, and says, how many pages there are. Past the end: page one.
    """
    number = min(max(int_or_none(page_param) or 1, 1), MAX_PAGE)
    rows = fetch((number - 1) * per_page, per_page + 1)
    if not rows and number > 1:
        number, rows = 1, fetch(0, per_page + 1)
    seen = (number - 1) * per_page + len(rows)
    has_next = len(rows) > per_page
    # With a next page the total is only known to be more than what this page reaches.
    total = CappedCount(seen, seen - 1) if has_next else CappedCount(seen, max(seen, COUNT_CAP))
    return Page(
        object_list=rows[:per_page],
        number=number,
        per_page=per_page,
        has_next=has_next,
        total=total,
    )
