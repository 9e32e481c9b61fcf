"""A patient's Kineret state and latest neutrophil count in one line each, for many patients at
once (a fixed number of queries however many are asked for).

This is the one place that turns therapy courses into the words staff see on the banner, the
homes and the lists. When courses gain more states (planned, on hold, cancelled), only
``_state_of`` changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from followups.models import NeutrophilResult, TherapyCourse


@dataclass(frozen=True)
class TherapyState:
    key: str  # "planned", "on", "stopped" or "none"
    label: str  # "On Kineret", "Kineret planned", …
    detail: str  # "100 mg once a day since 3 Nov 2026"
    tone: str  # a Bootstrap colour name for the badge

    @property
    def is_on(self) -> bool:
        return self.key == "on"


NONE = TherapyState("none", "Not on Kineret", "", "secondary")


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def dose_words(course: TherapyCourse) -> str:
    """ "100 mg once a day": the dose and interval in the words staff use."""
    interval = {"daily": "once a day", "every_other_day": "every other day"}
    return f"{course.dose_mg} mg {interval.get(course.interval, course.get_interval_display())}"


def _state_of(course: TherapyCourse | None, today: dt.date) -> TherapyState:
    if course is None:
        return NONE
    if course.stopped_on is not None:
        return TherapyState(
            "stopped",
            "Kineret stopped",
            f"on {_day(course.stopped_on)}"
            + (f": {course.stop_reason}" if course.stop_reason else ""),
            "secondary",
        )
    if course.start_date > today:
        return TherapyState(
            "planned",
            "Kineret planned",
            f"{dose_words(course)} from {_day(course.start_date)}",
            "info",
        )
    return TherapyState(
        "on", "On Kineret", f"{dose_words(course)} since {_day(course.start_date)}", "success"
    )


def therapy_states(patient_ids: Iterable[int], today: dt.date) -> dict[int, TherapyState]:
    """Each patient's current course, or else their last stopped one."""
    ids = set(patient_ids)
    latest: dict[int, TherapyCourse] = {}
    courses = TherapyCourse.objects.filter(patient_id__in=ids).order_by(
        "patient_id", "-start_date", "-id"
    )
    for course in courses:
        current = latest.get(course.patient_id)
        if current is None or (current.stopped_on is not None and course.stopped_on is None):
            latest[course.patient_id] = course
    return {pid: _state_of(latest.get(pid), today) for pid in ids}


def therapy_state(patient, today: dt.date) -> TherapyState:
    return therapy_states([patient.pk], today)[patient.pk]


def latest_counts(patient_ids: Iterable[int]) -> dict[int, NeutrophilResult]:
    """Each patient's newest neutrophil count that no correction has replaced."""
    newest: dict[int, NeutrophilResult] = {}
    results = NeutrophilResult.objects.filter(
        patient_id__in=set(patient_ids), superseded_by__isnull=True
    ).order_by("patient_id", "sample_date", "recorded_at")
    for result in results.only("patient_id", "value", "sample_date", "recorded_at"):
        newest[result.patient_id] = result
    return newest
