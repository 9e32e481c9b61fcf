"""Staff pages: the unmatched-results list for nurses and API clients for the clinic admin."""

from __future__ import annotations

import uuid as uuid_module

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinic_portal.accounts.roles import Role, role_required, staff_required
from clinic_portal.audit import audit
from clinic_portal.core.clock import clinic_today
from clinic_portal.core.pagination import paginate, query_string_without_page
from interop import clients, services
from interop.forms import ApiClientForm, AttachForm, FindPatientForm, RejectForm
from interop.models import ApiClient, LabResult
from patients.models import Patient


def _uuid_or_404(value) -> uuid_module.UUID:
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        raise Http404("Not found.") from None


def _waiting_result(result_uuid) -> LabResult:
    result = (
        LabResult.objects.select_related("message").filter(uuid=_uuid_or_404(result_uuid)).first()
    )
    if result is None:
        raise Http404("No such result.")
    return result


@staff_required
def unmatched_list(request: HttpRequest) -> HttpResponse:
    page = paginate(
        LabResult.objects.unmatched().select_related("message").order_by("created_at", "id"),
        request.GET.get("page"),
        50,
    )
    return render(
        request,
        "interop/unmatched_list.html",
        {"page": page, "query_string": query_string_without_page(request)},
    )


@staff_required
@require_http_methods(["GET"])
def unmatched_detail(request: HttpRequest, lab_result_uuid) -> HttpResponse:
    result = _waiting_result(lab_result_uuid)
    form = FindPatientForm(request.GET or None)
    if request.GET and form.is_valid():
        patient = Patient.objects.active().filter(mrn=form.cleaned_data["mrn"]).first()
        if patient is not None:
            return redirect("interop:attach", result.uuid, patient.uuid)
        form.add_error("mrn", _("No active patient has that record number."))
    if result.patient_id:
        audit.record_read("lab_result.view", patients=[result.patient], obj=result)
    return render(
        request,
        "interop/unmatched_detail.html",
        {"result": result, "form": form},
        status=400 if request.GET and not form.is_valid() else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def attach(request: HttpRequest, lab_result_uuid, patient_uuid) -> HttpResponse:
    result = _waiting_result(lab_result_uuid)
    patient = Patient.objects.active().filter(uuid=_uuid_or_404(patient_uuid)).first()
    if patient is None:
        raise Http404("No such patient.")
    if result.state != LabResult.State.UNMATCHED:
        messages.info(request, _("This result has already been dealt with."))
        return redirect("interop:unmatched")
    form = AttachForm(request.POST or None, initial={"value": result.value})
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_result(
                result=result,
                patient=patient,
                actor=request.user,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                today=clinic_today(),
            )
        except services.ResultError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The result is filed on %(name)s's record.") % {"name": patient.full_name},
            )
            return redirect("interop:unmatched")
    audit.record_read("lab_result.attach_form", patients=[patient], obj=result)
    return render(
        request,
        "interop/attach.html",
        {"result": result, "patient": patient, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def reject(request: HttpRequest, lab_result_uuid) -> HttpResponse:
    result = _waiting_result(lab_result_uuid)
    if result.state != LabResult.State.UNMATCHED:
        messages.info(request, _("This result has already been dealt with."))
        return redirect("interop:unmatched_detail", result.uuid)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reject_result(
                result=result, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.ResultError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The result is rejected; the reason is kept with it."))
            return redirect("interop:unmatched")
    return render(
        request,
        "interop/reject.html",
        {"result": result, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def api_clients(request: HttpRequest) -> HttpResponse:
    form = ApiClientForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _client, new_token = clients.create_client(
            name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"], actor=request.user
        )
        form = ApiClientForm()
    return render(
        request,
        "interop/api_clients.html",
        {
            "clients": ApiClient.objects.select_related("created_by"),
            "form": form,
            "new_token": new_token,
        },
        status=400 if request.method == "POST" and not new_token else 200,
    )


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def revoke_api_client(request: HttpRequest, api_client_uuid) -> HttpResponse:
    client = ApiClient.objects.filter(uuid=_uuid_or_404(api_client_uuid)).first()
    if client is None:
        raise Http404("No such client.")
    if request.method == "POST":
        clients.revoke_client(client=client, actor=request.user)
        messages.success(request, _("%(name)s can no longer use the API.") % {"name": client.name})
        return redirect("interop:api_clients")
    return render(request, "interop/api_client_revoke.html", {"client": client})
