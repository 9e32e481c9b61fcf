"""A patient's Kineret state and latest neutrophil count in one line each, for many patients at
once (a fixed number of queries however many are asked for).

This is the one place that turns therapy courses into the words staff see on the banner, the
homes and the lists; the state itself comes from ``TherapyCourse.state_on`` (followups.rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from followups.models import NeutrophilResult, TherapyCourse
from followups.rules import CourseState


@dataclass(frozen=True)
class TherapyState:
    key: str  # a CourseState value ("planned", "on_hold", "active", ...) or "none"
    label: str | Promise  # "On Kineret", "Kineret planned", …
    detail: str  # "100 mg once a day since 3 Nov 2026"
    tone: str  # a Bootstrap colour name for the badge

    @property
    def is_on(self) -> bool:
        return self.key == CourseState.ACTIVE


NONE = TherapyState("none", gettext_lazy("Not on Kineret"), "", "secondary")


def _day(day: dt.date | None) -> str:
    return date_format(day) if day else ""


def dose_words(course: TherapyCourse) -> str:
    """ "100 mg once a day": the dose and interval in the words staff use."""
    interval = {"daily": _("once a day"), "every_other_day": _("every other day")}
    return _("%(dose)s mg %(interval)s") % {
        "dose": course.dose_mg,
        "interval": interval.get(course.interval, course.get_interval_display()),
    }


def _because(reason: str) -> str:
    return f": {reason}" if reason else ""


def _state_of(course: TherapyCourse | None, today: dt.date) -> TherapyState:
    """The words for the course's lifecycle state (``TherapyCourse.state_on``, followups.rules)."""
    if course is None:
        return NONE
    state = course.state_on(today)
    start = _day(course.start_date)
    if state == CourseState.CANCELLED:
        return TherapyState(
            state,
            _("Kineret cancelled"),
            _("before its planned start on %(day)s") % {"day": start}
            + _because(course.cancel_reason),
            "secondary",
        )
    if state == CourseState.STOPPED:
        return TherapyState(
            state,
            _("Kineret stopped"),
            _("on %(day)s") % {"day": _day(course.stopped_on)} + _because(course.stop_reason),
            "secondary",
        )
    if state == CourseState.ON_HOLD:
        return TherapyState(
            state,
            _("Kineret on hold"),
            _("before its start on %(day)s") % {"day": start} + _because(course.hold_reason),
            "danger",
        )
    if state == CourseState.PLANNED:
        return TherapyState(
            state,
            _("Kineret planned"),
            _("to start on %(day)s, %(dosing)s") % {"day": start, "dosing": dose_words(course)},
            "info",
        )
    return TherapyState(
        state,
        _("On Kineret"),
        _("%(dosing)s since %(day)s") % {"dosing": dose_words(course), "day": start},
        "success",
    )


def therapy_states(patient_ids: Iterable[int], today: dt.date) -> dict[int, TherapyState]:
    """Each patient's ongoing course (planned, on hold or active), or else their latest one that
    ended (stopped or cancelled)."""
    ids = set(patient_ids)
    latest: dict[int, TherapyCourse] = {}
    courses = TherapyCourse.objects.filter(patient_id__in=ids).order_by(
        "patient_id", "-start_date", "-id"
    )
    for course in courses:
        current = latest.get(course.patient_id)
        if current is None or (not current.is_ongoing and course.is_ongoing):
            latest[course.patient_id] = course
    return {pid: _state_of(latest.get(pid), today) for pid in ids}


def therapy_state(patient, today: dt.date) -> TherapyState:
    loaded = getattr(patient, "loaded_courses", None)  # the record page loads them once
    if loaded is not None:  # the same choice as therapy_states: ongoing, else the latest
        return _state_of(
            next((c for c in loaded if c.is_ongoing), loaded[0] if loaded else None), today
        )
    return therapy_states([patient.pk], today)[patient.pk]


def latest_count(patient) -> NeutrophilResult | None:
    """The patient's newest count that no correction has replaced."""
    loaded = getattr(patient, "loaded_current_results", None)  # the record page loads them once
    if loaded is not None:
        return loaded[-1] if loaded else None
    return latest_counts([patient.pk]).get(patient.pk)


def latest_counts(patient_ids: Iterable[int]) -> dict[int, NeutrophilResult]:
    """Each patient's newest neutrophil count that no correction has replaced."""
    newest: dict[int, NeutrophilResult] = {}
    results = NeutrophilResult.objects.filter(
        patient_id__in=set(patient_ids), superseded_by__isnull=True
    ).order_by("patient_id", "sample_date", "recorded_at")
    for result in results.only("patient_id", "value", "sample_date", "recorded_at"):
        newest[result.patient_id] = result
    return newest
