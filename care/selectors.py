"""The patient list's care columns and filters: whether a patient is on Kineret or waiting to
start it (followups), the outcome of their latest signed screening (screening) and whether a
check is overdue (followups). Each app answers with its own QuerySet methods; this module puts
the answers beside the patient, which ``patients`` itself may not (it is the leaf below them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy

from clinic_portal.core.pagination import CappedCount
from followups.models import FollowUp, TherapyCourse
from patients.models import Patient, PatientQuerySet
from patients.selectors import SORTS, first_matches, is_name_search, search
from screening.models import Screening

CARE_STATUS_FIELDS = ("on_therapy", "kineret_planned_on", "latest_outcome", "has_overdue")
THERAPY_FILTERS = {"active": gettext_lazy("On Kineret"), "none": gettext_lazy("Not on Kineret")}
OUTCOME_FILTERS = {
    "none": gettext_lazy("Not screened"),
    "clear": gettext_lazy("Clear"),
    "needs_review": gettext_lazy("Needs review"),
    "contraindicated": gettext_lazy("Contraindicated"),
}


@dataclass(frozen=True)
class PatientFilters:
    query: str = ""
    clinician_id: int | None = None
    archived: bool = False
    sort: str = "name"
    therapy: str = ""
    outcome: str = ""
    overdue: bool = False


def _care_status_expressions(today: dt.date) -> dict:
    patient = OuterRef("pk")
    latest_signed = Screening.objects.signed().filter(patient=patient).order_by("-signed_at")
    ongoing = TherapyCourse.objects.ongoing().filter(patient=patient)
    not_started = TherapyCourse.objects.not_started_on(today).filter(patient=patient)
    return {
        "on_therapy": Exists(ongoing),
        "kineret_planned_on": Subquery(not_started.values("start_date")[:1]),
        "latest_outcome": Subquery(latest_signed.values("outcome")[:1]),
        "has_overdue": Exists(FollowUp.objects.overdue(today).filter(patient=patient)),
    }


def with_care_status(patients: PatientQuerySet, today: dt.date, *names: str) -> PatientQuerySet:
    """Therapy, latest signed screening outcome and overdue checks (or only ``names`` of
    them), as subqueries."""
    expressions = _care_status_expressions(today)
    return patients.annotate(**{name: expressions[name] for name in names or expressions})


def patient_list(
    patients: PatientQuerySet, filters: PatientFilters, *, today: dt.date
) -> tuple[PatientQuerySet, int | None, CappedCount | None]:
    """The matching patients in order; the search's limit when a broad name search was cut
    there (else None); and how many match when that is already known (a name search's matches
    are counted as they are found), else None. Care status is computed only where a filter
    needs it (``page_status`` reads it for the page shown)."""
    patients = patients.archived() if filters.archived else patients.active()
    if filters.clinician_id:
        patients = patients.filter(responsible_clinician_id=filters.clinician_id)
    conditions = _care_conditions(filters)
    if conditions:
        needed = [
            name for name in CARE_STATUS_FIELDS if any(c.startswith(name) for c in conditions)
        ]
        patients = with_care_status(patients, today, *needed).filter(**conditions)
    cut_at, total = None, None
    if is_name_search(filters.query):
        first, cut = first_matches(patients, filters.query)
        patients = Patient.objects.filter(pk__in=first)
        cut_at = settings.CLINIC_SEARCH_MAX_MATCHES if cut else None
        total = CappedCount(len(first))
    else:
        patients = search(patients, filters.query)
    order = SORTS.get(filters.sort, SORTS["name"])
    return patients.order_by(*order), cut_at, total


def _care_conditions(filters: PatientFilters) -> dict[str, object]:
    """The care-status lookups the filters ask for, by annotation name."""
    conditions: dict[str, object] = {}
    if filters.therapy in THERAPY_FILTERS:
        conditions["on_therapy"] = filters.therapy == "active"
    if filters.outcome == "none":
        conditions["latest_outcome__isnull"] = True
    elif filters.outcome in OUTCOME_FILTERS:
        conditions["latest_outcome"] = filters.outcome
    if filters.overdue:
        conditions["has_overdue"] = True
    return conditions


def page_status(pks: list[int], today: dt.date) -> dict[int, dict]:
    """What the list shows beside each patient of the page, by pk: the care status and the
    rheumatologist's name, in one query.

    Read for the page's rows rather than joined into the list query, which would otherwise
    join and sort every match of a broad search before the LIMIT.
    """
    if not pks:
        return {}
    status = with_care_status(Patient.objects.filter(pk__in=pks), today).values(
        "pk", "responsible_clinician__full_name", *CARE_STATUS_FIELDS
    )
    return {row["pk"]: row for row in status}
