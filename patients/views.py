from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clinic_portal.accounts.roles import Role, clinician_required, staff_required
from clinic_portal.audit import audit
from clinic_portal.core.clock import clinic_today
from patients import services
from patients.access import get_patient_for
from patients.forms import (
    AllergyFormSet,
    ArchiveForm,
    PatientEditForm,
    PatientForm,
    allergies_from,
    check_allergy_statement,
)
from patients.history import readable_versions
from patients.models import Patient


@staff_required
@require_http_methods(["GET", "POST"])
def patient_enroll(request: HttpRequest) -> HttpResponse:
    today = clinic_today()
    form = PatientForm(request.POST or None, today=today)
    if request.method == "GET":
        form.initial.setdefault("responsible_clinician", _default_clinician(request.user))
    allergies = AllergyFormSet(request.POST or None, instance=Patient(), prefix="allergies")
    if (
        request.method == "POST"
        and form.is_valid()
        and allergies.is_valid()
        and check_allergy_statement(form, allergies)
    ):
        try:
            patient = services.enroll_patient(
                actor=request.user,
                email=form.cleaned_data["email"],
                allergies=allergies_from(allergies),
                **form.record_fields(),
            )
        except services.AlreadyEnrolled:
            # The same form sent twice at once: the first one won. Checked again, the form now
            # says "this number already belongs to …", as it would have a moment later.
            form = PatientForm(request.POST, today=today)
            if form.is_valid():
                form.add_error("mrn", _("This number is taken. Check the patient list."))
        else:
            messages.success(request, _("%(name)s is enrolled.") % {"name": patient.full_name})
            return redirect(patient)
    return render(
        request,
        "patients/patient_form.html",
        {"form": form, "allergies": allergies, "title": _("Enroll a patient")},
        status=400 if request.method == "POST" else 200,
    )


def _default_clinician(user) -> int | None:
    return user.pk if user.role == Role.CLINICIAN else None


@staff_required
@require_http_methods(["GET", "POST"])
def patient_edit(request: HttpRequest, patient_uuid) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    audit.record_read("patient.edit_form", patients=[patient], obj=patient)
    form = PatientEditForm(request.POST or None, instance=patient, today=clinic_today())
    allergies = AllergyFormSet(request.POST or None, instance=patient, prefix="allergies")
    if (
        request.method == "POST"
        and form.is_valid()
        and allergies.is_valid()
        and check_allergy_statement(form, allergies)
    ):
        try:
            services.update_patient(
                patient=patient,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                email=form.cleaned_data["email"],
                allergies=allergies_from(allergies),
                **form.record_fields(),
            )
        except services.StaleEditError:
            form.add_error(
                None,
                _(
                    "Someone else saved this record while you were editing it. Nothing of yours "
                    "was saved. Open the record again to see their changes, then redo yours."
                ),
            )
        else:
            messages.success(request, _("The record is saved."))
            return redirect(patient)
    return render(
        request,
        "patients/patient_form.html",
        {
            "form": form,
            "allergies": allergies,
            "patient": patient,
            "title": _("Edit %(name)s") % {"name": patient.full_name},
        },
        status=400 if request.method == "POST" else 200,
    )


@clinician_required
@require_http_methods(["GET", "POST"])
def patient_archive(request: HttpRequest, patient_uuid) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.archive_patient(
                patient=patient, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.ArchiveRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("%(name)s is archived. Their login is switched off.")
                % {"name": patient.full_name},
            )
            return redirect(patient)
    return render(
        request,
        "patients/patient_archive.html",
        {"form": form, "patient": patient},
        status=400 if request.method == "POST" else 200,
    )


@clinician_required
@require_POST
def patient_restore(request: HttpRequest, patient_uuid) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    services.restore_patient(patient=patient, actor=request.user)
    messages.success(request, _("%(name)s is restored.") % {"name": patient.full_name})
    return redirect(patient)


@staff_required
def patient_history(request: HttpRequest, patient_uuid) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    audit.record_read("patient.history", patients=[patient], obj=patient)
    versions = readable_versions(list(patient.versions.select_related("changed_by")))
    return render(
        request, "patients/patient_history.html", {"patient": patient, "versions": versions}
    )
