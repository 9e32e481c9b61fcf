"""The patient record page is a column of sections; each app contributes its own.

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
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from education.forms import AssignForm
from education.selectors import assigned_for_staff
from followups import record_sections as followup_sections
from followups.models import NeutrophilResult, TherapyCourse
from patients import selectors
from patients.models import Patient
from screening.selectors import allergies_note, history_for, latest_current_of, medicines_note
from treatment.record_section import treatment_section


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    template: str
    context: Callable[[Patient, object, dt.date], dict]
    wide: bool = False  # full width; otherwise half of a wide screen


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


# Most looked-at first: what needs acting on, then therapy, then the rest.
SECTIONS: list[Section] = [
    Section(
        "therapy",
        gettext_lazy("Kineret and checks"),
        "patients/record/_therapy.html",
        followup_sections.therapy_context,
        wide=True,
    ),
    Section(
        "alerts",
        gettext_lazy("Alerts"),
        "patients/record/_alerts.html",
        followup_sections.alert_context,
    ),
    Section(
        "neutrophils",
        gettext_lazy("Neutrophil counts"),
        "patients/record/_neutrophils.html",
        followup_sections.neutrophil_context,
    ),
    Section(
        "screenings",
        gettext_lazy("Kineret screening"),
        "patients/record/_screenings.html",
        _screenings,
    ),
    Section(
        "allergies",
        gettext_lazy("Allergies and medicines"),
        "patients/record/_allergies.html",
        _allergies,
    ),
    Section(
        "demographics", gettext_lazy("Details"), "patients/record/_demographics.html", _demographics
    ),
    Section(
        "vaccinations",
        gettext_lazy("Vaccinations"),
        "patients/record/_vaccinations.html",
        followup_sections.vaccination_context,
    ),
    Section(
        "treatment",
        gettext_lazy("Kineret diary and response"),
        "treatment/_record_section.html",
        treatment_section,
    ),
    Section("education", gettext_lazy("Education"), "patients/record/_education.html", _education),
    Section(
        "portal", gettext_lazy("Patient portal"), "patients/record/_invitation.html", _invitation
    ),
    Section(
        "timeline", gettext_lazy("Timeline"), "patients/record/_timeline.html", _timeline, wide=True
    ),
]


def load_shared_rows(patient: Patient) -> None:
    """What several sections and the patient banner read, loaded once for the page (four
    queries instead of nine): the allergies, every Kineret course (``loaded_courses``), the
    current neutrophil counts (``loaded_current_results``) and the screenings
    (``loaded_screenings``, whose latest signed one the medicines note compares with). The
    selectors use them when present."""
    patient.loaded_screenings = history_for(patient)  # type: ignore[attr-defined]
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


def render_sections(request, patient: Patient, today: dt.date) -> list[tuple[Section, str]]:
    """Each section rendered with its own variables, in order, in one template context: the
    context processors (user, CSRF token, navigation...) run once for the page, not once per
    section. Each section's variables are pushed on top and popped after it."""
    load_shared_rows(patient)
    templates = [get_template(section.template).template for section in SECTIONS]  # type: ignore[attr-defined]
    context = make_context({"patient": patient, "today": today}, request)
    rendered = []
    with context.bind_template(templates[0]):
        for section, template in zip(SECTIONS, templates, strict=True):
            with context.push(section.context(patient, request.user, today)):
                rendered.append((section, template.render(context)))
    return rendered
