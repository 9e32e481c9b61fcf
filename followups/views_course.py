"""The course's pages: start (through the start gate), postpone, cancel, confirm after a hold,
stop, and an extra neutrophil check. Thin doorways to followups.courses and services."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinic_portal.accounts.roles import clinician_required, staff_required
from clinic_portal.audit import audit
from clinic_portal.core.clock import clinic_today
from followups import services
from followups.access import get_therapy_for
from followups.forms import (
    CancelCourseForm,
    ConfirmStartForm,
    ExtraCheckForm,
    PostponeForm,
    StopTherapyForm,
    TherapyStartForm,
)
from screening.access import get_screening_for
from screening.engine.result import Dosing
from screening.selectors import default_start, start_gate


def form_page(request, template: str, context: dict, bound: bool) -> HttpResponse:
    """A form page: 400 when a submitted form comes back with errors."""
    return render(request, template, context, status=400 if bound else 200)


def refused(form, error: services.TherapyError) -> None:
    """A service refusal shown on the form: beside the field it names, or above the form."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


@clinician_required
@require_http_methods(["GET", "POST"])
def therapy_start(request: HttpRequest, screening_uuid) -> HttpResponse:
    screening = get_screening_for(request.user, screening_uuid)
    audit.record_read("therapy.start_form", patients=[screening.patient], obj=screening)
    today = clinic_today()
    form = TherapyStartForm(
        request.POST or None,
        today=today,
        recommended=screening.evaluation.dosing if screening.evaluation else Dosing.DAILY,
        default_start=default_start(screening, today),
        gate=lambda day: start_gate(screening, start=day, today=today),
    )
    if request.method == "POST" and form.is_valid():
        try:
            course = services.start_therapy(
                screening=screening,
                actor=request.user,
                start_date=form.cleaned_data["start_date"],
                interval=form.cleaned_data["interval"],
                override_reason=form.cleaned_data["override_reason"],
                dose_mg=form.cleaned_data["dose_mg"],
                today=today,
            )
        except services.TherapyError as error:
            refused(form, error)
        else:
            if course.start_date > today:
                messages.success(
                    request,
                    _("Kineret is planned to start on %(day)s; the monitoring plan is in place.")
                    % {"day": date_format(course.start_date)},
                )
            else:
                messages.success(
                    request, _("Kineret is started and the monitoring plan is in place.")
                )
            return redirect(screening.patient)
    return form_page(
        request,
        "followups/therapy_start.html",
        {
            "form": form,
            "screening": screening,
            "patient": screening.patient,
            "gate": start_gate(screening, start=default_start(screening, today), today=today),
        },
        request.method == "POST",
    )


def _course_decision(request, therapy_uuid, form_class, template, act, form_kwargs, action):
    """The shared doorway for postponing, cancelling and confirming a not-yet-started course."""
    therapy = get_therapy_for(request.user, therapy_uuid)
    audit.record_read(f"therapy.{action}_form", patients=[therapy.patient], obj=therapy)
    form = form_class(request.POST or None, **form_kwargs(therapy))
    if request.method == "POST" and form.is_valid():
        try:
            message = act(therapy, form)
        except services.TherapyError as error:
            refused(form, error)
        else:
            messages.success(request, message)
            return redirect(therapy.patient)
    return form_page(
        request,
        template,
        {"form": form, "therapy": therapy, "patient": therapy.patient},
        request.method == "POST",
    )


@clinician_required
@require_http_methods(["GET", "POST"])
def therapy_postpone(request: HttpRequest, therapy_uuid) -> HttpResponse:
    today = clinic_today()

    def act(therapy, form):
        course = services.postpone_course(
            course=therapy,
            actor=request.user,
            new_start=form.cleaned_data["new_start"],
            reason=form.cleaned_data["reason"],
            today=today,
        )
        return _("The start is moved to %(day)s, and the checks with it.") % {
            "day": date_format(course.start_date)
        }

    return _course_decision(
        request,
        therapy_uuid,
        PostponeForm,
        "followups/therapy_postpone.html",
        act,
        lambda t: {"gate": lambda day: start_gate(t.screening, start=day, today=today)},
        "postpone",
    )


@clinician_required
@require_http_methods(["GET", "POST"])
def therapy_cancel(request: HttpRequest, therapy_uuid) -> HttpResponse:
    today = clinic_today()

    def act(therapy, form):
        services.cancel_course(
            course=therapy, actor=request.user, reason=form.cleaned_data["reason"], today=today
        )
        return _("The planned course is cancelled, with its checks.")

    return _course_decision(
        request,
        therapy_uuid,
        CancelCourseForm,
        "followups/therapy_cancel.html",
        act,
        lambda t: {},
        "cancel",
    )


@clinician_required
@require_http_methods(["GET", "POST"])
def therapy_confirm(request: HttpRequest, therapy_uuid) -> HttpResponse:
    today = clinic_today()

    def act(therapy, form):
        course = services.confirm_start(
            course=therapy, actor=request.user, note=form.cleaned_data["note"], today=today
        )
        return _("The hold is lifted: Kineret starts on %(day)s.") % {
            "day": date_format(course.start_date)
        }

    return _course_decision(
        request,
        therapy_uuid,
        ConfirmStartForm,
        "followups/therapy_confirm.html",
        act,
        lambda t: {},
        "confirm",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def therapy_extra_check(request: HttpRequest, therapy_uuid) -> HttpResponse:
    today = clinic_today()

    def act(therapy, form):
        followup = services.add_extra_check(
            therapy=therapy,
            actor=request.user,
            due_date=form.cleaned_data["due_date"],
            reason=form.cleaned_data["reason"],
            today=today,
        )
        return _("An extra neutrophil check is due on %(day)s.") % {
            "day": date_format(followup.due_date)
        }

    return _course_decision(
        request,
        therapy_uuid,
        ExtraCheckForm,
        "followups/extra_check_form.html",
        act,
        lambda t: {"today": today},
        "extra_check",
    )


@clinician_required
@require_http_methods(["GET", "POST"])
def therapy_stop(request: HttpRequest, therapy_uuid) -> HttpResponse:
    therapy = get_therapy_for(request.user, therapy_uuid)
    audit.record_read("therapy.stop_form", patients=[therapy.patient], obj=therapy)
    today = clinic_today()
    form = StopTherapyForm(request.POST or None, today=today, started=therapy.start_date)
    if request.method == "POST" and form.is_valid():
        try:
            services.stop_therapy(
                therapy=therapy,
                actor=request.user,
                stopped_on=form.cleaned_data["stopped_on"],
                reason=form.cleaned_data["reason"],
                today=today,
            )
        except services.TherapyError as error:
            refused(form, error)
        else:
            messages.success(
                request,
                _("Kineret is stopped. Checks after the last day of treatment are cancelled."),
            )
            return redirect(therapy.patient)
    return form_page(
        request,
        "followups/therapy_stop.html",
        {"form": form, "therapy": therapy, "patient": therapy.patient},
        request.method == "POST",
    )
