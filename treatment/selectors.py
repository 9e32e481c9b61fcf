"""Reads for the patient's own treatment pages, the staff record section and the nurse's
attention list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When

from followups.models import ONGOING, FollowUp, TherapyCourse
from followups.planner import Kind
from followups.rules import CourseState
from treatment import core
from treatment.models import AttentionItem, CdaiAssessment, InjectionEntry, InjectionTeaching

DIARY_DAYS = 14
RECENT_SITES = 6


# The course states in which the patient keeps the diary, and sees injection days ahead.
DIARY_OPEN = frozenset({CourseState.ACTIVE})
INJECTING = frozenset({CourseState.PLANNED, CourseState.ACTIVE})


def current_course(patient) -> TherapyCourse | None:
    """The patient's course (planned, on hold or active: followups' "ongoing"), else the latest
    one that ended, stopped or cancelled, so the patient still reads what happened to it."""
    loaded = getattr(patient, "loaded_courses", None)  # the record page loads them once
    if loaded is not None:
        return next((c for c in loaded if c.is_ongoing), loaded[0] if loaded else None)
    return (
        TherapyCourse.objects.filter(patient=patient)
        .select_related("started_by", "injection_teaching")
        .order_by(
            Case(When(ONGOING, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "-start_date",
            "-id",
        )
        .first()
    )


def teaching_done(therapy: TherapyCourse | None) -> InjectionTeaching | None:
    """The course's teaching record (already fetched by ``current_course``)."""
    if therapy is None:
        return None
    try:
        return therapy.injection_teaching
    except InjectionTeaching.DoesNotExist:
        return None


def next_checks(patient, today: dt.date, count: int = 2) -> list[FollowUp]:
    return list(
        FollowUp.objects.open()
        .filter(patient=patient, due_date__gte=today)
        .exclude(kind=Kind.INJECTION_TEACHING)
        .order_by("due_date", "id")[:count]
    )


def open_review(patient, today: dt.date) -> FollowUp | None:
    """The response review coming up within four weeks (or overdue), for the patient's score."""
    return (
        FollowUp.objects.open()
        .filter(
            patient=patient,
            kind=Kind.RESPONSE_REVIEW,
            due_date__lte=today + dt.timedelta(days=28),
        )
        .order_by("due_date")
        .first()
    )


@dataclass(frozen=True)
class DiaryDay:
    day: dt.date
    injection_day: bool
    entry: InjectionEntry | None

    @property
    def unlogged(self) -> bool:
        return self.injection_day and self.entry is None


@dataclass(frozen=True)
class MyKineret:
    therapy: TherapyCourse | None
    state: CourseState | None
    teaching: InjectionTeaching | None
    next_injection: dt.date | None
    checks: list[FollowUp]
    suggested_site: core.Site | None
    logged_today: bool
    days: list[DiaryDay] = field(default_factory=list)

    @property
    def every_other_day(self) -> bool:
        return (
            self.therapy is not None
            and self.therapy.interval == core.Interval.EVERY_OTHER_DAY.value
        )

    @property
    def diary_open(self) -> bool:
        """The patient writes the diary only while the course is active (not planned, on hold,
        stopped or cancelled) and once the nurse has shown them how to inject."""
        return self.state in DIARY_OPEN and self.teaching is not None

    @property
    def missed_recently(self) -> list[dt.date]:
        return [d.day for d in self.days if d.unlogged]


def my_kineret(
    patient, today: dt.date, *, diary_days: int = DIARY_DAYS, with_checks: bool = True
) -> MyKineret:
    """The course, its recent diary and the suggested site, in three queries (four with the
    next checks)."""
    therapy = current_course(patient)
    checks = next_checks(patient, today) if with_checks else []
    if therapy is None:
        return MyKineret(None, None, None, None, checks, None, False)
    state = therapy.state_on(today)
    first = max(therapy.start_date, today - dt.timedelta(days=diary_days - 1))
    # One query serves both the visible days and the last few sites used.
    latest = list(
        InjectionEntry.objects.filter(therapy=therapy, day__lte=today).order_by("-day", "-id")[
            : diary_days + 3 * RECENT_SITES
        ]
    )
    entries = {e.day: e for e in latest if e.day >= first}
    recent_sites = [e.site for e in latest if e.kind == InjectionEntry.Kind.TAKEN][:RECENT_SITES]
    interval = core.Interval(therapy.interval)
    # The stop day is the last day of treatment: no injection is expected after it.
    last = min(today, therapy.stopped_on) if therapy.stopped_on else today
    days = [
        DiaryDay(day, core.is_injection_day(therapy.start_date, interval, day), entries.get(day))
        for day in (last - dt.timedelta(days=i) for i in range((last - first).days + 1))
    ]
    logged_today = today in entries
    return MyKineret(
        therapy=therapy,
        state=state,
        teaching=teaching_done(therapy),
        next_injection=core.next_injection_day(
            therapy.start_date, interval, today, done_today=logged_today
        )
        if state in INJECTING
        else None,
        checks=checks,
        suggested_site=core.suggest_site(recent_sites) if state in DIARY_OPEN else None,
        logged_today=logged_today,
        days=days,
    )


@dataclass(frozen=True)
class StaffDiary:
    therapy: TherapyCourse | None
    adherence: core.Adherence | None
    reactions: list[InjectionEntry]
    open_items: list[AttentionItem]
    teaching: InjectionTeaching | None
    last_entries: list[InjectionEntry]


def staff_diary(patient, today: dt.date) -> StaffDiary:
    therapy = current_course(patient)
    items = list(AttentionItem.objects.open().filter(patient=patient).select_related("entry"))
    if therapy is None:
        return StaffDiary(None, None, [], items, None, [])
    window_start = today - dt.timedelta(days=29)
    rows = list(
        InjectionEntry.objects.filter(therapy=therapy, day__gte=window_start).values_list(
            "day", "kind"
        )
    )
    result = core.adherence(
        start=therapy.start_date,
        interval=core.Interval(therapy.interval),
        taken=[d for d, k in rows if k == InjectionEntry.Kind.TAKEN],
        missed=[d for d, k in rows if k == InjectionEntry.Kind.MISSED],
        today=today,
        stopped_on=therapy.stopped_on,
    )
    reactions = list(
        InjectionEntry.objects.filter(therapy=therapy)
        .exclude(reaction__in=["", core.Reaction.NONE.value])
        .order_by("-day")[:10]
    )
    return StaffDiary(
        therapy=therapy,
        adherence=result,
        reactions=reactions,
        open_items=items,
        teaching=teaching_done(therapy),
        last_entries=list(InjectionEntry.objects.filter(therapy=therapy).order_by("-day")[:7]),
    )


def attention_for(user) -> list[AttentionItem]:
    """Open items, the user's own patients first."""
    items = AttentionItem.objects.open().select_related("patient", "entry", "nurse")
    return sorted(items[:200], key=lambda item: (item.nurse_id != user.pk, -item.pk))


def cdai_trend(patient) -> list[core.TrendPoint]:
    return core.cdai_trend(
        CdaiAssessment.objects.filter(patient=patient).values_list("assessed_on", "score")
    )


def cdai_history(patient) -> list[CdaiAssessment]:
    return list(CdaiAssessment.objects.filter(patient=patient).select_related("recorded_by"))
