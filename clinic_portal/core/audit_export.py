"""The clinic admin's page that exports the audit log as CSV. It lives with the role pages, not
in ``audit``: the audit app records and reads events and knows nothing of roles or accounts."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic_portal.accounts.roles import Role, role_required
from clinic_portal.audit import audit
from clinic_portal.audit.export import csv_rows, events_between
from clinic_portal.audit.models import AuditEvent

MAX_DAYS = 366


class ExportForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    patient = forms.UUIDField(required=False, label=gettext_lazy("Patient identifier (optional)"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end is before the start."))
            elif (end - start).days > MAX_DAYS:
                self.add_error(
                    "end", _("Export at most %(days)s days at a time.") % {"days": MAX_DAYS}
                )
        return data


@role_required(Role.ADMIN)
def export_audit_log(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        start, end, patient = (form.cleaned_data[k] for k in ("start", "end", "patient"))
        audit.record(
            "audit.export",
            patient=patient,
            detail={"start": start, "end": end},
            kind=AuditEvent.Kind.READ if patient else AuditEvent.Kind.SYSTEM,
        )
        response = StreamingHttpResponse(
            csv_rows(events_between(start, end, patient)), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="audit-{start}-{end}.csv"'
        return response
    return render(request, "audit/export.html", {"form": form}, status=400 if request.GET else 200)


urlpatterns = [path("export/", export_audit_log, name="export")]
