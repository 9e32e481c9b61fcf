from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from clinic_portal.accounts.models import User
from clinic_portal.accounts.roles import Role, staff_required
from clinic_portal.audit import audit
from clinic_portal.core.clock import clinic_today
from clinic_portal.core.pagination import paginate, query_string_without_page
from clinic_portal.core.params import int_or_none
from followups import alerts, selectors, services, worklist_rows
from followups.access import get_alert_for, get_followup_for, get_result_for
from followups.forms import (
    AlertNoteForm,
    NeutrophilResultForm,
    ReasonForm,
    RescheduleForm,
    VaccinationForm,
)
from followups.models import STATUS_LABELS
from followups.views_course import form_page, refused
from patients.access import get_patient_for

# A screen or two of checks, as on the patient list; Next goes on, and the filters narrow.
WORKLIST_PAGE = 25


@staff_required
def worklist(request: HttpRequest) -> HttpResponse:
    filters = selectors.WorklistFilters(
        tab=request.GET.get("tab") if request.GET.get("tab") in selectors.TABS else "overdue",
        kind=request.GET.get("kind", ""),
        clinician_id=int_or_none(request.GET.get("clinician")),
        query=request.GET.get("q", "")[:100],
        order=request.GET.get("order", ""),
    )
    today = clinic_today()
    rows, counts = selectors.worklist(filters, today)
    page = paginate(
        rows.values(*worklist_rows.FIELDS),
        request.GET.get("page"),
        WORKLIST_PAGE,
        total=counts[filters.tab],
    )
    page.object_list = worklist_rows.rows(page.object_list, today)
    rows_html = worklist_rows.page_markup(page.object_list, request.user.role)
    audit.record_read(
        "followup.worklist",
        patients={row.patient_uuid for row in page.object_list},
        detail={"tab": filters.tab},
    )
    return render(
        request,
        "followups/worklist.html",
        {
            "page": page,
            "rows_html": rows_html,
            "filters": filters,
            "counts": counts,
            "tabs": selectors.TABS,
            "kinds": selectors.KIND_FILTER_LABELS,
            "today": today,
            "clinicians": User.objects.filter(role=Role.CLINICIAN, is_active=True).values(
                "pk", "full_name"
            ),
            "query_string": query_string_without_page(request),
        },
    )


@staff_required
def followup_detail(request: HttpRequest, followup_uuid) -> HttpResponse:
    followup = get_followup_for(request.user, followup_uuid)
    audit.record_read("followup.view", patients=[followup.patient], obj=followup)
    today = clinic_today()
    return render(
        request,
        "followups/followup_detail.html",
        {
            "followup": followup,
            "patient": followup.patient,
            "status": STATUS_LABELS[followup.status_on(today)],
            "today": today,
            "result_form": NeutrophilResultForm(
                today=today,
                therapy_start=followup.therapy.start_date,
                born=followup.patient.date_of_birth,
            ),
            "vaccination_form": VaccinationForm(today=today, born=followup.patient.date_of_birth),
            "reason_form": ReasonForm(),
            "reschedule_form": RescheduleForm(today=today),
        },
    )


# (heading, button) of each form when it opens inside a worklist row; the buttons say what the
# full pages' buttons say.
INLINE_FORMS = {
    NeutrophilResultForm: (
        gettext_lazy("Record the neutrophil count"),
        gettext_lazy("Save result"),
    ),
    VaccinationForm: (gettext_lazy("Record the vaccination"), gettext_lazy("Save vaccination")),
    RescheduleForm: (gettext_lazy("Move this check"), gettext_lazy("Move check")),
    ReasonForm: (gettext_lazy("Mark this check as not done"), gettext_lazy("Mark not done")),
}


def _worklist_row(request, followup_uuid, saved: str = "") -> HttpResponse:
    """One worklist row, as the worklist draws it (``worklist_rows.markup``)."""
    followup = get_followup_for(request.user, followup_uuid)
    row = worklist_rows.row_of(followup, clinic_today())
    words = worklist_rows.Words.for_role(request.user.role)
    return HttpResponse(worklist_rows.markup(row, words, saved=saved))


def _followup_action(request, followup_uuid, form_class, template, act, form_kwargs):
    """A check's form: a page of its own, or, asked by htmx from the worklist, a form inside
    the row that saves in place and gives the row back."""
    inline = bool(request.htmx)
    if inline and request.GET.get("row"):  # "Cancel" on the inline form
        return _worklist_row(request, followup_uuid)
    followup = get_followup_for(request.user, followup_uuid)
    form = form_class(request.POST or None, **form_kwargs(followup))
    if request.method == "POST" and form.is_valid():
        try:
            act(followup, form)
        except services.TherapyError as error:
            refused(form, error)
        else:
            if inline:  # the outcome is said in the row, not on some later page
                said = " ".join(str(m) for m in messages.get_messages(request))
                return _worklist_row(request, followup_uuid, saved=said or _("Saved."))
            return redirect("followups:worklist")
    audit.record_read("followup.view", patients=[followup.patient], obj=followup)
    context = {"form": form, "followup": followup, "patient": followup.patient}
    if inline:
        # 200 even with errors: htmx swaps only successful answers into the page.
        return render(
            request,
            "followups/_inline_action.html",
            {
                **context,
                "heading": INLINE_FORMS[form_class][0],
                "submit": INLINE_FORMS[form_class][1],
            },
        )
    return form_page(request, template, context, request.method == "POST")


@staff_required
@require_http_methods(["GET", "POST"])
def followup_result(request: HttpRequest, followup_uuid) -> HttpResponse:
    today = clinic_today()

    def act(followup, form):
        result = services.record_result(
            patient=followup.patient,
            actor=request.user,
            followup=followup,
            today=today,
            **form.cleaned_data,
        )
        _announce_result(request, result)

    return _followup_action(
        request,
        followup_uuid,
        NeutrophilResultForm,
        "followups/result_form.html",
        act,
        form_kwargs=lambda f: {
            "today": today,
            "therapy_start": f.therapy.start_date,
            "born": f.patient.date_of_birth,
        },
    )


def _announce_result(request, result) -> None:
    if result.therapy is not None:
        result.therapy.refresh_from_db(fields=["held_at"])
        if result.therapy.is_held:
            messages.warning(
                request,
                _(
                    "Saved. The planned Kineret start is on hold: the rheumatologist has an urgent "
                    "alert to confirm or postpone it."
                ),
            )
            return
    if result.interpretation == "urgent":
        messages.warning(
            request, _("Saved. The count is below 1.0: the rheumatologist has an urgent alert.")
        )
    elif result.interpretation == "attention":
        messages.warning(
            request, _("Saved. The count is below 1.5: the rheumatologist has an alert.")
        )
    else:
        messages.success(request, _("Saved. The count is in the normal range."))


@staff_required
@require_http_methods(["GET", "POST"])
def followup_vaccination(request: HttpRequest, followup_uuid) -> HttpResponse:
    today = clinic_today()

    def act(followup, form):
        vaccination = services.record_vaccination(
            patient=followup.patient,
            actor=request.user,
            followup=followup if followup.is_open else None,
            today=today,
            **form.cleaned_data,
        )
        _announce_vaccination(request, vaccination, against=followup)

    return _followup_action(
        request,
        followup_uuid,
        VaccinationForm,
        "followups/vaccination_form.html",
        act,
        form_kwargs=lambda f: {"today": today, "born": f.patient.date_of_birth},
    )


def _announce_vaccination(request, vaccination, against=None) -> None:
    alerted = vaccination.patient.alerts.filter(
        cause="LIVE_VACCINE_ON_THERAPY", source_id=str(vaccination.uuid)
    ).exists()
    if vaccination.live is None:
        messages.warning(
            request,
            _(
                "Saved. The vaccine is not in the catalogue, so it is flagged for the rheumatologist."
            ),
        )
    elif vaccination.live and alerted:
        messages.warning(
            request,
            _(
                "Saved. This is a live vaccine close to or during Kineret: "
                "the rheumatologist has an urgent alert."
            ),
        )
    elif against is not None and against.is_open and vaccination.followup_id is None:
        messages.info(
            request,
            _("Vaccination saved. It does not complete the %(check)s, which stays open.")
            % {"check": against.label.lower()},
        )
    else:
        messages.success(request, _("Vaccination saved."))


@staff_required
@require_http_methods(["GET", "POST"])
def followup_not_done(request: HttpRequest, followup_uuid) -> HttpResponse:
    def act(followup, form):
        services.mark_not_done(
            followup=followup, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Marked as not done."))

    return _followup_action(
        request,
        followup_uuid,
        ReasonForm,
        "followups/not_done_form.html",
        act,
        form_kwargs=lambda f: {},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def followup_reschedule(request: HttpRequest, followup_uuid) -> HttpResponse:
    today = clinic_today()

    def act(followup, form):
        services.reschedule_followup(
            followup=followup,
            actor=request.user,
            new_date=form.cleaned_data["new_date"],
            reason=form.cleaned_data["reason"],
            today=today,
        )
        messages.success(request, _("The check is moved."))

    return _followup_action(
        request,
        followup_uuid,
        RescheduleForm,
        "followups/reschedule_form.html",
        act,
        form_kwargs=lambda f: {"today": today},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def patient_result(request: HttpRequest, patient_uuid) -> HttpResponse:
    """A count outside the plan (or a correction of an earlier one, with ?corrects=<uuid>)."""
    patient = get_patient_for(request.user, patient_uuid)
    corrects = (
        get_result_for(request.user, request.GET["corrects"])
        if request.GET.get("corrects")
        else None
    )
    if corrects is not None and corrects.patient_id != patient.pk:
        corrects = None
    therapy = selectors.ongoing_course(patient)
    today = clinic_today()
    form = NeutrophilResultForm(
        request.POST or None,
        today=today,
        therapy_start=therapy.start_date if therapy else None,
        born=patient.date_of_birth,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.record_result(
                patient=patient,
                actor=request.user,
                supersedes=corrects,
                today=today,
                **form.cleaned_data,
            )
        except services.TherapyError as error:
            refused(form, error)
        else:
            _announce_result(request, result)
            return redirect(patient)
    audit.record_read("result.form", patients=[patient], obj=patient)
    return form_page(
        request,
        "followups/result_form.html",
        {"form": form, "patient": patient, "corrects": corrects},
        request.method == "POST",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def patient_vaccination(request: HttpRequest, patient_uuid) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    today = clinic_today()
    form = VaccinationForm(request.POST or None, today=today, born=patient.date_of_birth)
    if request.method == "POST" and form.is_valid():
        try:
            vaccination = services.record_vaccination(
                patient=patient, actor=request.user, today=today, **form.cleaned_data
            )
        except services.TherapyError as error:
            refused(form, error)
        else:
            _announce_vaccination(request, vaccination)
            return redirect("patients:record_tab", patient.uuid, "vaccinations")
    audit.record_read("vaccination.form", patients=[patient], obj=patient)
    return form_page(
        request,
        "followups/vaccination_form.html",
        {"form": form, "patient": patient},
        request.method == "POST",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def alert_detail(request: HttpRequest, alert_uuid) -> HttpResponse:
    alert = get_alert_for(request.user, alert_uuid)
    audit.record_read("alert.view", patients=[alert.patient], obj=alert)
    form = AlertNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = (
            alerts.resolve_alert
            if request.POST.get("action") == "resolve"
            else alerts.acknowledge_alert
        )
        try:
            action(alert=alert, clinician=request.user, note=form.cleaned_data["note"])
        except alerts.AlertRefused as error:
            messages.error(request, str(error))
            return redirect(alert)
        messages.success(request, _("Alert updated."))
        return redirect(alert)
    return render(
        request,
        "followups/alert_detail.html",
        {"alert": alert, "patient": alert.patient, "form": form},
        status=400 if request.method == "POST" else 200,
    )
