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
from html import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from clinic_portal.core.links import uuid_urls
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


# The course line's words (``_course_line.html``'s), translated once per page.
CANCELLED = gettext_noop("Kineret course cancelled")
STOPPED = gettext_noop("Kineret stopped %(day)s")
ON_HOLD = gettext_noop("Kineret %(dosing)s, on hold before its start on %(day)s")
PLANNED = gettext_noop("Kineret %(dosing)s, planned to start on %(day)s")
SINCE = gettext_noop("Kineret %(dosing)s, since %(day)s")
_URL_NAMES = (
    "patients:detail",
    "followups:followup",
    "followups:followup_reschedule",
    "followups:followup_not_done",
    *ACTIONS.values(),
)


class _Page:
    """What the rows of one page share, worked out once: each date formatted (a page of checks
    shares a handful of dates), each text translated, each URL pattern looked up."""

    def __init__(self) -> None:
        self.days: dict[dt.date, str] = {}
        self.texts: dict[str, str] = {}
        self.labels: dict[tuple, str] = {}
        self.urls = {name: uuid_urls(name) for name in _URL_NAMES}

    def day(self, value: dt.date) -> str:
        text = self.days.get(value)
        if text is None:
            text = self.days[value] = _day(value)
        return text

    def text(self, message: str) -> str:
        """The msgid ``message`` in the current language."""
        text = self.texts.get(message)
        if text is None:
            text = self.texts[message] = _(message)
        return text

    def label(self, table: dict, code) -> str:
        """``table[code]`` (a lazy label) in the current language."""
        key = (id(table), code)
        text = self.labels.get(key)
        if text is None:
            text = self.labels[key] = str(table[code])
        return text


def course_line(values: dict, today: dt.date, page: _Page | None = None) -> str:
    """Where the check's Kineret course stands, in the words of ``_course_line.html``."""
    page = _Page() if page is None else page
    start = values["therapy__start_date"]
    if values["therapy__cancelled_at"]:
        return page.text(CANCELLED)
    if values["therapy__stopped_on"]:
        return page.text(STOPPED) % {"day": page.day(values["therapy__stopped_on"])}
    if start is None:
        return ""
    interval = values["therapy__interval"]
    dosing = page.label(INTERVAL_LABELS, interval) if interval in INTERVAL_LABELS else interval
    words = {"dosing": dosing, "day": page.day(start)}
    if values["therapy__held_at"]:
        return page.text(ON_HOLD) % words
    if start > today:
        return page.text(PLANNED) % words
    return page.text(SINCE) % words


def row(values: dict, today: dt.date, page: _Page | None = None) -> WorklistRow:
    page = _Page() if page is None else page
    urls = page.urls
    uuid = str(values["uuid"])
    is_open = values["status"] in OPEN
    closed = ""
    if not is_open:
        closed = page.label(STATUS_LABELS, Status(values["status"]))
        if values["closed_at"]:
            closed += " " + page.day(timezone.localtime(values["closed_at"]).date())
    is_blood_test = values["kind"] == Kind.NEUTROPHIL_COUNT
    action = _ACTION_OF.get(values["kind"], "vaccination")
    patient_uuid = values["patient__uuid"]
    return WorklistRow(
        uuid=uuid,
        patient_uuid=str(patient_uuid),
        due=page.day(values["due_date"]),
        closed=closed,
        kind=values["kind"],
        is_open=is_open,
        is_blood_test=is_blood_test,
        patient_url=urls["patients:detail"](patient_uuid),
        patient_name=f"{values['patient__family_name']}, {values['patient__given_name']}",
        mrn=values["patient__mrn"],
        check_url=urls["followups:followup"](uuid),
        label=values["label"],
        course=course_line(values, today, page),
        clinician=values["patient__responsible_clinician__full_name"] or "",
        action=action,
        action_url=urls[ACTIONS[action]](patient_uuid if action in BY_PATIENT else uuid),
        move_url=urls["followups:followup_reschedule"](uuid),
        not_done_url=urls["followups:followup_not_done"](uuid),
    )


def rows(values_rows, today: dt.date) -> list[WorklistRow]:
    page = _Page()
    return [row(values, today, page) for values in values_rows]


# A row's markup, filled in Python: measured, the template engine spent about 0.2 ms a row on
# the ``row`` partial (a dozen variable nodes, three ``{% translate %}``, the action's
# ``{% if %}`` chain); a format string with escaped values costs a tenth of that. The words are
# translated once per page (``Words``), not once per row.
_ROW = (
    '<tr id="row-{uuid}">\n'
    "<td>{due}{closed}{saved}</td>\n"
    '<td><a href="{patient_url}">{patient_name}</a><br>'
    '<span class="small text-body-secondary">{mrn}</span></td>\n'
    '<td><a href="{check_url}">{label}</a><br>'
    '<span class="small text-body-secondary">{course}</span></td>\n'
    "<td>{clinician}</td>\n"
    "<td>{actions}</td>\n"
    "</tr>\n"
)
_ACTIONS = (
    '<div class="d-flex flex-wrap gap-1">{action}\n'
    '<a class="btn btn-sm btn-outline-secondary" href="{move_url}" hx-get="{move_url}">{move}</a>\n'
    '<a class="btn btn-sm btn-outline-secondary" href="{not_done_url}" hx-get="{not_done_url}">'
    "{not_done}</a></div>"
)
_IN_ROW = '<a class="btn btn-sm btn-primary" href="{url}" hx-get="{url}">{text}</a>'
_TO_PAGE = '<a class="btn btn-sm btn-primary" href="{url}">{text}</a>'


@dataclass(frozen=True, slots=True)
class Words:
    """The row's button words in the current language, escaped once for a page."""

    result: str
    vaccination: str
    teaching: str
    cdai: str
    move: str
    not_done: str
    # A CDAI is a rheumatologist's to record: a nurse's row shows no button for it.
    may_record_cdai: bool

    @classmethod
    def for_role(cls, role: str) -> Words:
        return cls(
            result=escape(_("Record result")),
            vaccination=escape(_("Record vaccination")),
            teaching=escape(_("Record teaching")),
            cdai=escape(_("Record CDAI")),
            move=escape(_("Move")),
            not_done=escape(_("Not done")),
            may_record_cdai=role == "clinician",
        )


def _action(row: WorklistRow, words: Words) -> str:
    url = escape(row.action_url)
    if row.action == "result":
        return _IN_ROW.format(url=url, text=words.result)
    if row.action == "teaching":
        return _TO_PAGE.format(url=url, text=words.teaching)
    if row.action == "cdai":
        return _TO_PAGE.format(url=url, text=words.cdai) if words.may_record_cdai else ""
    return _IN_ROW.format(url=url, text=words.vaccination)


def markup(row: WorklistRow, words: Words, saved: str = "") -> str:
    """One row's ``<tr>``, every value escaped."""
    actions = ""
    if row.is_open:
        actions = _ACTIONS.format(
            action=_action(row, words),
            move_url=escape(row.move_url),
            move=words.move,
            not_done_url=escape(row.not_done_url),
            not_done=words.not_done,
        )
    return _ROW.format(
        uuid=escape(row.uuid),
        due=escape(row.due),
        closed=f'<br><span class="small">{escape(row.closed)}</span>' if row.closed else "",
        saved=(
            f'<br><span class="badge text-bg-success" role="status">{escape(saved)}</span>'
            if saved
            else ""
        ),
        patient_url=escape(row.patient_url),
        patient_name=escape(row.patient_name),
        mrn=escape(row.mrn),
        check_url=escape(row.check_url),
        label=escape(row.label),
        course=escape(row.course),
        clinician=escape(row.clinician),
        actions=actions,
    )


def page_markup(page_rows: list[WorklistRow], role: str) -> SafeString:
    """The ``<tr>`` of every row of a page, for the worklist's table body."""
    words = Words.for_role(role)
    return SafeString("".join(markup(one, words) for one in page_rows))


def row_of(followup: FollowUp, today: dt.date) -> WorklistRow:
    """One check's row, as the worklist draws it (after an action in the row)."""
    return row(FollowUp.objects.filter(pk=followup.pk).values(*FIELDS).get(), today)
