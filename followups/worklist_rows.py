"""The worklist's rows as plain values: what each cell shows, worked out once in Python.

Measured (docs/performance.md, "The worklist"): drawing a row from model instances cost the
template engine a ``{% with %}``, three date filters, a chain of ``{% if %}``/``{% blocktranslate %}``
for the course line, three URL tags and a dozen attribute lookups through four model instances
(the check, its patient, the patient's rheumatologist, the course). A row is now one query row
(``values()``, no model instances) turned into a ``WorklistRow`` of strings, and the template's
``row`` partial only prints them. The course line's words are the ones ``_course_line.html``
uses on the check's own page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clinic_portal.core.links import uuid_url
from followups.models import INTERVAL_LABELS, OPEN, STATUS_LABELS, FollowUp, Kind, Status

# What a row reads, through the check's patient, rheumatologist and course.
FIELDS = (
    "uuid",
    "due_date",
    "status",
    "closed_at",
    "kind",
    "label",
    "patient__uuid",
    "patient__family_name",
    "patient__given_name",
    "patient__mrn",
    "patient__responsible_clinician__full_name",
    "therapy__cancelled_at",
    "therapy__stopped_on",
    "therapy__held_at",
    "therapy__start_date",
    "therapy__interval",
)
DAY = "j M Y"
# Each kind of check's action in the row, and the page it opens (by the check's uuid, or by
# the patient's for the treatment pages).
_ACTION_OF = {
    Kind.NEUTROPHIL_COUNT: "result",
    Kind.INJECTION_TEACHING: "teaching",
    Kind.RESPONSE_REVIEW: "cdai",
}
ACTIONS = {
    "result": "followups:followup_result",
    "vaccination": "followups:followup_vaccination",
    "teaching": "treatment:teaching",
    "cdai": "treatment:cdai",
}
BY_PATIENT = {"teaching", "cdai"}


@dataclass(frozen=True, slots=True)
class WorklistRow:
    uuid: str
    patient_uuid: str
    due: str
    closed: str  # "" while the check is open: "done 3 Dec 2026"
    kind: str
    is_open: bool
    is_blood_test: bool
    patient_url: str
    patient_name: str
    mrn: str
    check_url: str
    label: str
    course: str
    clinician: str
    # The check's own action: "result" and "vaccination" open in the row (htmx); "teaching"
    # and "cdai" (a rheumatologist's) go to the patient's treatment pages.
    action: str
    action_url: str
    move_url: str
    not_done_url: str


def _day(value: dt.date) -> str:
    return date_format(value, DAY)


def course_line(values: dict, today: dt.date) -> str:
    """Where the check's Kineret course stands, in the words of ``_course_line.html``."""
    start = values["therapy__start_date"]
    if values["therapy__cancelled_at"]:
        return _("Kineret course cancelled")
    if values["therapy__stopped_on"]:
        return _("Kineret stopped %(day)s") % {"day": _day(values["therapy__stopped_on"])}
    if start is None:
        return ""
    words = {
        "dosing": str(
            INTERVAL_LABELS.get(values["therapy__interval"], values["therapy__interval"])
        ),
        "day": _day(start),
    }
    if values["therapy__held_at"]:
        return _("Kineret %(dosing)s, on hold before its start on %(day)s") % words
    if start > today:
        return _("Kineret %(dosing)s, planned to start on %(day)s") % words
    return _("Kineret %(dosing)s, since %(day)s") % words


def row(values: dict, today: dt.date) -> WorklistRow:
    uuid = str(values["uuid"])
    is_open = values["status"] in OPEN
    closed = ""
    if not is_open:
        closed = str(STATUS_LABELS[Status(values["status"])])
        if values["closed_at"]:
            closed += " " + _day(timezone.localtime(values["closed_at"]))
    is_blood_test = values["kind"] == Kind.NEUTROPHIL_COUNT
    action = _ACTION_OF.get(values["kind"], "vaccination")
    patient_uuid = values["patient__uuid"]
    return WorklistRow(
        uuid=uuid,
        patient_uuid=str(patient_uuid),
        due=_day(values["due_date"]),
        closed=closed,
        kind=values["kind"],
        is_open=is_open,
        is_blood_test=is_blood_test,
        patient_url=uuid_url("patients:detail", patient_uuid),
        patient_name=f"{values['patient__family_name']}, {values['patient__given_name']}",
        mrn=values["patient__mrn"],
        check_url=uuid_url("followups:followup", uuid),
        label=values["label"],
        course=course_line(values, today),
        clinician=values["patient__responsible_clinician__full_name"] or "",
        action=action,
        action_url=uuid_url(ACTIONS[action], patient_uuid if action in BY_PATIENT else uuid),
        move_url=uuid_url("followups:followup_reschedule", uuid),
        not_done_url=uuid_url("followups:followup_not_done", uuid),
    )


def rows(values_rows, today: dt.date) -> list[WorklistRow]:
    return [row(values, today) for values in values_rows]


def row_of(followup: FollowUp, today: dt.date) -> WorklistRow:
    """One check's row, as the worklist draws it (after an action in the row)."""
    return row(FollowUp.objects.filter(pk=followup.pk).values(*FIELDS).get(), today)
