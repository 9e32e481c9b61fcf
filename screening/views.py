from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clinic_portal.accounts.roles import clinician_required, staff_required
from clinic_portal.audit import audit
from clinic_portal.core.clock import clinic_today
from patients.access import get_patient_for
from screening import selectors, services
from screening.access import get_screening_for
from screening.forms import (
    AcknowledgeForm,
    RecordMedicinesForm,
    ScreeningForm,
    SignForm,
    allergy_statement,
    answer_rows,
    field_label,
)
from screening.prefill import prefill_answers


def _evaluate_requested(request: HttpRequest) -> bool:
    return request.POST.get("action") == "evaluate"


@staff_required
@require_http_methods(["GET", "POST"])
def screening_new(request: HttpRequest, patient_uuid) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    audit.record_read("screening.new_form", patients=[patient], obj=patient)
    refusal = services.screening_refusal(patient)
    if refusal:
        messages.error(request, refusal)
        return redirect(patient)
    today = clinic_today()
    form = ScreeningForm(
        request.POST or None,
        today=today,
        initial=ScreeningForm.initial_from_answers(prefill_answers(patient)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.start_screening(
                patient=patient,
                actor=request.user,
                answers=form.answers,
                evaluate_now=_evaluate_requested(request),
                anc_sampled_on=form.cleaned_data["anc_sampled_on"],
                today=today,
            )
        except services.ScreeningRefused as error:
            messages.error(request, str(error))
            return redirect(patient)
        return redirect(screening)
    return render(
        request,
        "screening/screening_form.html",
        {
            "form": form,
            "patient": patient,
            "title": _("Screen %(name)s for Kineret") % {"name": patient.full_name},
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def screening_edit(request: HttpRequest, screening_uuid) -> HttpResponse:
    screening = get_screening_for(request.user, screening_uuid)
    audit.record_read("screening.edit_form", patients=[screening.patient], obj=screening)
    if screening.is_signed:
        messages.info(
            request, _("A signed screening cannot be changed. Amend it to start a new one.")
        )
        return redirect(screening)
    initial = ScreeningForm.initial_from_answers(screening.answers)
    initial["anc_sampled_on"] = screening.anc_sampled_on
    today = clinic_today()
    form = ScreeningForm(request.POST or None, today=today, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_screening_answers(
            screening=screening,
            actor=request.user,
            answers=form.answers,
            evaluate_now=_evaluate_requested(request),
            anc_sampled_on=form.cleaned_data["anc_sampled_on"],
            today=today,
        )
        return redirect(screening)
    return render(
        request,
        "screening/screening_form.html",
        {
            "form": form,
            "patient": screening.patient,
            "screening": screening,
            "title": _("Screening for %(name)s") % {"name": screening.patient.full_name},
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def screening_detail(request: HttpRequest, screening_uuid) -> HttpResponse:
    screening = get_screening_for(request.user, screening_uuid)
    audit.record_read("screening.view", patients=[screening.patient], obj=screening)
    return _render_detail(request, screening)


def _gate_for(screening):
    """The start gate on the day the start form would offer, for the button and its words."""
    if not screening.is_signed or hasattr(screening, "therapy"):
        return None  # nothing to start: unsigned, or its course already exists
    today = clinic_today()
    return selectors.start_gate(
        screening, start=selectors.default_start(screening, today), today=today
    )


def _render_detail(request, screening, *, sign_form=None, ack_form=None, status=200):
    reasons = selectors.explained_reasons(screening)
    waiting = [r for r in reasons if not r["is_contraindication"] and not r["acknowledgement"]]
    answers = answer_rows(screening.answers)
    missing = [
        field_label(name) for name in (screening.evaluation.missing if screening.evaluation else ())
    ]
    return render(
        request,
        "screening/screening_detail.html",
        {
            "screening": screening,
            "patient": screening.patient,
            "result": screening.result,
            "reasons": reasons,
            "waiting": waiting,
            "answers": answers,
            "allergies": allergy_statement(screening.answers),
            "missing": missing,
            "sign_form": sign_form or SignForm(),
            "ack_form": ack_form,
            "gate": _gate_for(screening),
            "medicines": selectors.medicines_offer(screening),
        },
        status=status,
    )


@clinician_required
@require_POST
def screening_acknowledge(request: HttpRequest, screening_uuid) -> HttpResponse:
    screening = get_screening_for(request.user, screening_uuid)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.acknowledge_review_item(
                screening=screening,
                clinician=request.user,
                code=form.cleaned_data["code"],
                note=form.cleaned_data["note"],
            )
        except (services.SigningError, services.FrozenScreeningError) as error:
            messages.error(request, str(error))
        else:
            return redirect(screening)
    else:
        messages.error(request, _("Write a short note before acknowledging the item."))
    return _render_detail(request, screening, ack_form=form, status=400)


@clinician_required
@require_POST
def screening_sign(request: HttpRequest, screening_uuid) -> HttpResponse:
    screening = get_screening_for(request.user, screening_uuid)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.sign_screening(
                screening=screening,
                clinician=request.user,
                not_started_reason=form.cleaned_data["not_started_reason"],
                today=clinic_today(),
            )
        except (services.SigningError, services.FrozenScreeningError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The screening is signed."))
            return redirect(screening)
    screening.refresh_from_db()
    return _render_detail(request, screening, sign_form=form, status=400)


@staff_required
@require_POST
def screening_amend(request: HttpRequest, screening_uuid) -> HttpResponse:
    screening = get_screening_for(request.user, screening_uuid)
    try:
        amendment = services.amend_screening(
            screening=screening, actor=request.user, today=clinic_today()
        )
    except (services.SigningError, services.ScreeningRefused) as error:
        messages.error(request, str(error))
        return redirect(screening)
    messages.info(
        request, _("A new screening was started from the signed one. Sign it to replace it.")
    )
    return redirect("screening:edit", amendment.uuid)


@staff_required
@require_POST
def screening_update_medicines(request: HttpRequest, screening_uuid) -> HttpResponse:
    screening = get_screening_for(request.user, screening_uuid)
    form = RecordMedicinesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Open the screening again and use its button."))
        return redirect(screening)
    try:
        changed = services.update_record_medicines(
            screening=screening,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except services.MedicinesUpdateRefused as error:
        messages.error(request, str(error))
    except services.StaleEditError:
        messages.error(
            request,
            _("Someone changed the record since this page was shown. Check the medicines again."),
        )
    else:
        if changed:
            messages.success(request, _("The record's current medicines now match this screening."))
    return redirect(screening)
