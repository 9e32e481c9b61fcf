"""The pages that gather several apps: each role's home page, the patient list with its care
columns and the patient record. Their URLs keep their names (``core:home``, ``patients:list``,
``patients:detail``); ``care/urls.py`` places them in those namespaces."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers

from care import dashboards, list_rows, record, selectors
from clinic_portal.accounts.models import User
from clinic_portal.accounts.roles import Role, staff_required
from clinic_portal.audit import audit
from clinic_portal.core.clock import clinic_today
from clinic_portal.core.pagination import paginate, query_string_without_page
from clinic_portal.core.params import int_or_none
from clinic_portal.core.shown_patients import shown_patients
from patients.access import CARE_TEAM, get_patient_for, visible_patients
from patients.selectors import SORT_LABELS

PAGE_SIZE = 25


def home(request: HttpRequest) -> HttpResponse:
    """Each role has its own home page; the URL stays ``/``."""
    builders = {
        Role.CLINICIAN: dashboards.clinician_home,
        Role.NURSE: dashboards.nurse_home,
        Role.PATIENT: dashboards.patient_home,
    }
    builder = builders.get(request.user.role, dashboards.admin_home)
    template, context = builder(request.user, clinic_today())
    if request.user.role != Role.PATIENT:
        # Staff homes show patient names and alerts: every patient shown is a read.
        audit.record_read(f"home.{request.user.role}", patients=shown_patients(context))
    return render(request, template, context)


@staff_required
def patient_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.PatientFilters(
        query=request.GET.get("q", "")[:100],
        clinician_id=int_or_none(request.GET.get("clinician")),
        archived=request.GET.get("archived") == "1",
        sort=request.GET.get("sort", "name"),
        therapy=request.GET.get("therapy", ""),
        outcome=request.GET.get("outcome", ""),
        overdue=request.GET.get("overdue") == "1",
    )
    today = clinic_today()
    patients, search_cut_at, total = selectors.patient_list(
        visible_patients(request.user), filters, today=today
    )
    page = paginate(
        patients.values(*list_rows.FIELDS), request.GET.get("page"), PAGE_SIZE, total=total
    )
    status = selectors.page_status([values["pk"] for values in page.object_list], today)
    page.object_list = list_rows.rows(page.object_list, status)
    audit.record_read(
        "patient.list",
        patients=[row.uuid for row in page.object_list],
        detail={"query": filters.query},
    )
    return render(
        request,
        "patients/patient_list.html",
        {
            "page": page,
            "rows_html": list_rows.markup(page.object_list),
            "filters": filters,
            "clinicians": User.objects.filter(role=Role.CLINICIAN, is_active=True).values(
                "pk", "full_name"
            ),
            "sorts": SORT_LABELS,
            "therapy_filters": selectors.THERAPY_FILTERS,
            "outcome_filters": selectors.OUTCOME_FILTERS,
            "query_string": query_string_without_page(request),
            "search_cut_at": search_cut_at,
        },
    )


def patient_detail(request: HttpRequest, patient_uuid, tab: str = "overview") -> HttpResponse:
    """The record: its summary, or one of its tabs (``patients:record_tab``). A tab asked for by
    htmx from the record comes back alone, to replace the tab shown; asked for otherwise (a
    link, a reload, no JavaScript) it is the whole page."""
    chosen = record.TABS_BY_KEY.get(tab)
    if chosen is None:
        raise Http404("No such part of the record.")
    # The summary shows no one's account but the patient's name: no accounts joined to it.
    patient = get_patient_for(
        request.user, patient_uuid, related=() if chosen.key == "overview" else CARE_TEAM
    )
    if request.user.is_patient:
        return redirect("core:home")
    # Every read of a tab is a read of the record, named with its tab (the summary as before).
    audit.record_read(
        "patient.view",
        patients=[patient],
        obj=patient,
        detail=None if chosen.key == "overview" else {"tab": chosen.key},
    )
    alone = bool(request.htmx) and not request.htmx.history_restore_request
    response = render(
        request,
        "patients/patient_detail.html#tab" if alone else "patients/patient_detail.html",
        {
            "patient": patient,
            "tab": chosen,
            "tabs": record.tab_links(patient),
            "sections": record.render_tab(
                request, patient, chosen, clinic_today(), banner=not alone
            ),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
