"""The patient record: a summary first, the rest in tabs; each app contributes its sections.

The summary (``overview``) is what a clinician needs on opening the record: where the patient is
with Kineret, the checks that are overdue, due or next, the latest counts, open patient reports
and any disagreement between the record and the latest signed screening (the banner above it
gives identity, allergies, care status and open alerts). Everything else is a tab of its own:
each has its own URL, works without JavaScript (htmx only loads it into the page), and each read
of it is written to the access log like the record's own.

A section is a template plus a function that builds its context. Later features add a line here
instead of growing one template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django.db.models import Prefetch, prefetch_related_objects
from django.forms import ModelMultipleChoiceField
from django.template.context import make_context
from django.template.loader import get_template
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from education.forms import AssignForm
from education.selectors import assigned_for_staff
from followups import record_sections as followup_sections
from followups.models import STATUS_LABELS, FollowUp, NeutrophilResult, TherapyCourse
from followups.status import Status
from patients import selectors
from patients.models import Patient
from portal.models import Concern
from screening.selectors import (
    allergies_note,
    history_for,
    latest_current,
    latest_current_of,
    medicines_note,
)
from treatment.record_section import treatment_section


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    template: str
    context: Callable[[Patient, object, dt.date], dict]
    wide: bool = False  # full width; otherwise half of a wide screen
    bare: bool = False  # draws its own cards (the summary); otherwise one card with the title


def _demographics(patient: Patient, user, today: dt.date) -> dict:
    return {"age": patient.age_on(today)}


def _invitation(patient: Patient, user, today: dt.date) -> dict:
    return {"invitation": patient.invitations.first()}


def _allergies(patient: Patient, user, today: dt.date) -> dict:
    # Where the allergies or the current medicines differ from the latest signed screening, the
    # section says so (that screening found among the screenings the page has read).
    allergies = list(patient.allergies.all())
    latest = latest_current_of(_screenings_of(patient))
    return {
        "allergies": allergies,
        "allergies_note": latest
        and allergies_note(patient, latest=latest, record_lists=bool(allergies)),
        "medicines_note": latest and medicines_note(patient, latest=latest),
    }


def _screenings_of(patient: Patient) -> list:
    loaded = getattr(patient, "loaded_screenings", None)  # the record page loads them once
    return loaded if loaded is not None else history_for(patient)


def _screenings(patient: Patient, user, today: dt.date) -> dict:
    return {"screenings": _screenings_of(patient)}


def _education(patient: Patient, user, today: dt.date) -> dict:
    form = AssignForm(patient=patient)
    # The pages on offer, read once: the template asks whether there are any, then draws them
    # (the queryset itself would be read twice, the second time through a server-side cursor).
    pages = cast(ModelMultipleChoiceField, form.fields["pages"])
    offered = pages.queryset if pages.queryset is not None else []
    pages.choices = [(page.pk, pages.label_from_instance(page)) for page in offered]
    return {"materials": assigned_for_staff(patient), "assign_form": form}


def _timeline(patient: Patient, user, today: dt.date) -> dict:
    return {"events": selectors.timeline(patient)}


# What a clinician needs on opening the record, on its first view.
LATEST_COUNTS = 3  # the newest counts on the summary; the rest are on the counts tab
NEXT_CHECKS = 3  # open checks after the overdue and due ones


def _overview(patient: Patient, user, today: dt.date) -> dict:
    latest = latest_current(patient)  # the latest signed screening no amendment replaced
    allergies = patient.loaded_allergies  # type: ignore[attr-defined]
    checks = list(FollowUp.objects.open().filter(patient=patient).order_by("due_date", "id"))
    statuses = [(check, check.status_on(today)) for check in checks]
    pressing = [(c, s) for c, s in statuses if s in (Status.OVERDUE, Status.DUE)]
    upcoming = [(c, s) for c, s in statuses if s not in (Status.OVERDUE, Status.DUE)]
    return {
        **followup_sections.therapy_context(patient, user, today, latest_screening=latest),
        "open_checks": [
            (check, status.value, STATUS_LABELS[status])
            for check, status in pressing + upcoming[:NEXT_CHECKS]
        ],
        "more_checks": max(len(upcoming) - NEXT_CHECKS, 0),
        "checks_url": reverse("patients:record_tab", args=[patient.uuid, "checks"]),
        "latest_counts": patient.loaded_latest_counts,  # type: ignore[attr-defined]
        "reports": list(
            Concern.objects.filter(patient=patient)
            .exclude(status=Concern.Status.RESOLVED)
            .only("uuid", "category", "urgent", "status", "created_at", "patient_id")
        ),
        "allergies_note": latest
        and allergies_note(patient, latest=latest, record_lists=bool(allergies)),
        "medicines_note": latest and medicines_note(patient, latest=latest),
    }


def _checks(patient: Patient, user, today: dt.date) -> dict:
    return followup_sections.checks_context(patient, user, today)


OVERVIEW = Section(
    "overview", gettext_lazy("Summary"), "patients/record/_overview.html", _overview, bare=True
)
THERAPY = Section(
    "therapy",
    gettext_lazy("Kineret and checks"),
    "patients/record/_therapy_checks.html",
    _checks,
    wide=True,
)
NEUTROPHILS = Section(
    "neutrophils",
    gettext_lazy("Neutrophil counts"),
    "patients/record/_neutrophils.html",
    followup_sections.neutrophil_context,
)
ALERTS = Section(
    "alerts",
    gettext_lazy("Alerts"),
    "patients/record/_alerts.html",
    followup_sections.alert_context,
    wide=True,
)
SCREENINGS = Section(
    "screenings",
    gettext_lazy("Kineret screening"),
    "patients/record/_screenings.html",
    _screenings,
    wide=True,
)
ALLERGIES = Section(
    "allergies",
    gettext_lazy("Allergies and medicines"),
    "patients/record/_allergies.html",
    _allergies,
)
DEMOGRAPHICS = Section(
    "demographics", gettext_lazy("Details"), "patients/record/_demographics.html", _demographics
)
VACCINATIONS = Section(
    "vaccinations",
    gettext_lazy("Vaccinations"),
    "patients/record/_vaccinations.html",
    followup_sections.vaccination_context,
    wide=True,
)
TREATMENT = Section(
    "treatment",
    gettext_lazy("Kineret diary and response"),
    "treatment/_record_section.html",
    treatment_section,
    wide=True,
)
EDUCATION = Section(
    "education", gettext_lazy("Education"), "patients/record/_education.html", _education, wide=True
)
PORTAL = Section(
    "portal", gettext_lazy("Patient portal"), "patients/record/_invitation.html", _invitation
)
TIMELINE = Section(
    "timeline", gettext_lazy("Timeline"), "patients/record/_timeline.html", _timeline, wide=True
)


@dataclass(frozen=True)
class Tab:
    key: str
    title: str | Promise
    sections: tuple[Section, ...]


# The summary first, then the tabs in the order they are most looked at.
TABS: list[Tab] = [
    Tab("overview", gettext_lazy("Summary"), (OVERVIEW,)),
    Tab("checks", gettext_lazy("Checks and counts"), (THERAPY, NEUTROPHILS)),
    Tab("screening", gettext_lazy("Screening"), (SCREENINGS,)),
    Tab("diary", gettext_lazy("Diary and response"), (TREATMENT,)),
    Tab("vaccinations", gettext_lazy("Vaccinations"), (VACCINATIONS,)),
    Tab("education", gettext_lazy("Education"), (EDUCATION,)),
    Tab("details", gettext_lazy("Details and medicines"), (ALLERGIES, DEMOGRAPHICS, PORTAL)),
    Tab("alerts", gettext_lazy("Alerts"), (ALERTS,)),
    Tab("timeline", gettext_lazy("Timeline"), (TIMELINE,)),
]
TABS_BY_KEY = {tab.key: tab for tab in TABS}


def tab_links(patient: Patient) -> list[tuple[Tab, str]]:
    """Each tab with its URL: the summary is the record's own URL."""
    summary = reverse("patients:detail", args=[patient.uuid])
    tab_url = reverse("patients:record_tab", args=[patient.uuid, "-"])[:-2]  # reversed once
    return [(tab, summary if tab.key == "overview" else f"{tab_url}{tab.key}/") for tab in TABS]


def load_banner_rows(patient: Patient) -> None:
    """What the summary and the banner show, loaded once (three queries): the allergies
    (``loaded_allergies``), every
    Kineret course (``loaded_courses``, without their screening or teaching, which the summary
    does not show) and the newest current counts (``loaded_latest_counts``, newest first)."""
    patient.loaded_allergies = list(patient.allergies.all())  # type: ignore[attr-defined]
    patient.loaded_courses = list(patient.therapies.all())  # type: ignore[attr-defined]
    patient.loaded_latest_counts = list(  # type: ignore[attr-defined]
        NeutrophilResult.objects.filter(patient=patient, superseded_by__isnull=True).order_by(
            "-sample_date", "-recorded_at"
        )[:LATEST_COUNTS]
    )


def load_shared_rows(patient: Patient) -> None:
    """What several sections of the tabs and the patient banner read, loaded once: the
    allergies, every Kineret course (``loaded_courses``) and the current neutrophil counts
    (``loaded_current_results``). The selectors use them when present. (The screenings are read
    by the one tab that shows them, with the medicines note beside the allergies.)"""
    prefetch_related_objects(
        [patient],
        "allergies",
        Prefetch(
            "therapies",
            queryset=TherapyCourse.objects.select_related(
                "screening", "started_by", "injection_teaching"
            ),
            to_attr="loaded_courses",
        ),
        Prefetch(
            "neutrophil_results",
            queryset=NeutrophilResult.objects.filter(superseded_by__isnull=True)
            .select_related("recorded_by", "supersedes")
            .order_by("sample_date", "recorded_at"),
            to_attr="loaded_current_results",
        ),
    )


def render_tab(request, patient: Patient, tab: Tab, today: dt.date, *, banner: bool):
    """The tab's sections, each rendered with its own variables, in order, in one template
    context: the context processors (user, CSRF token, navigation...) run once for the page.
    ``banner``: the page around them draws the patient banner too (not when htmx loads only the
    tab into a record already open)."""
    if tab.key == "overview":
        load_banner_rows(patient)
    elif banner or tab.key in ("checks", "details"):
        load_shared_rows(patient)
    templates = [get_template(section.template).template for section in tab.sections]  # type: ignore[attr-defined]
    context = make_context({"patient": patient, "today": today}, request)
    rendered = []
    with context.bind_template(templates[0]):
        for section, template in zip(tab.sections, templates, strict=True):
            with context.push(section.context(patient, request.user, today)):
                rendered.append((section, template.render(context)))
    return rendered
