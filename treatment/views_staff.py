"""Staff pages for the patient's treatment: the diary (read only, audited), teaching, CDAI, the
nurse's attention items, the card and letter, and the private calendar feeds."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic_portal.accounts.language import language_of
from clinic_portal.accounts.roles import Role, clinician_required, staff_required
from clinic_portal.audit import audit
from clinic_portal.core.clock import clinic_today
from patients.access import get_patient_for, get_patient_object_for
from patients.models import Patient
from treatment import calendar_feed, selectors, services
from treatment.documents import facts_for, letter, wallet_card
from treatment.forms import CdaiForm, ResolveForm, TeachingForm
from treatment.models import AttentionItem, CalendarToken, InjectionEntry, PatientGlobal
from treatment.pdf_views import pdf_response
from treatment.views_patient import calendar_page


@staff_required
def patient_diary(request: HttpRequest, patient_uuid) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    audit.record_read("treatment.diary", patients=[patient])
    today = clinic_today()
    therapy = selectors.current_course(patient)
    entries = (
        list(InjectionEntry.objects.filter(therapy=therapy).order_by("-day")[:120])
        if therapy
        else []
    )
    return render(
        request,
        "treatment/staff_diary.html",
        {
            "patient": patient,
            "today": today,
            "diary": selectors.staff_diary(patient, today),
            "entries": entries,
            "trend": selectors.cdai_trend(patient),
        },
    )


def _course_or_404(patient, *, ongoing: bool = False):
    """The patient's course for the card (not a cancelled one) or for teaching (``ongoing``:
    planned, on hold or active)."""
    therapy = selectors.current_course(patient)
    if therapy is None or therapy.cancelled_at is not None:
        raise Http404("No Kineret course.")
    if ongoing and not therapy.is_ongoing:
        raise Http404("No planned or active Kineret course.")
    return therapy


@staff_required
@require_http_methods(["GET", "POST"])
def teaching(request: HttpRequest, patient_uuid) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    therapy = _course_or_404(patient, ongoing=True)
    today = clinic_today()
    form = TeachingForm(request.POST or None, today=today, born=patient.date_of_birth)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_injection_teaching(
                therapy=therapy,
                nurse=request.user,
                taught_on=form.cleaned_data["taught_on"],
                today=today,
            )
        except services.TreatmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Injection teaching recorded. The patient's diary is open.")
            )
            return redirect("patients:record_tab", patient.uuid, "diary")  # where it shows
    audit.record_read("treatment.teaching_form", patients=[patient])
    return render(
        request,
        "treatment/teaching_form.html",
        {"form": form, "patient": patient, "done": selectors.teaching_done(therapy)},
        status=400 if request.method == "POST" else 200,
    )


@clinician_required
@require_http_methods(["GET", "POST"])
def cdai(request: HttpRequest, patient_uuid) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    therapy = selectors.current_course(patient)
    today = clinic_today()
    review = selectors.open_review(patient, today)
    patient_score = None
    if review is not None:
        entered = PatientGlobal.objects.filter(followup=review).first()
        patient_score = entered.score if entered else None
    form = CdaiForm(
        request.POST or None,
        today=today,
        patient_score=patient_score,
        born=patient.date_of_birth,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_cdai(
                patient=patient,
                therapy=therapy,
                clinician=request.user,
                assessed_on=data["assessed_on"],
                tender=data["tender_joints"],
                swollen=data["swollen_joints"],
                patient_global=data["patient_global"],
                evaluator_global=data["evaluator_global"],
                today=today,
            )
        except services.TreatmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("CDAI recorded."))
            return redirect("patients:record_tab", patient.uuid, "diary")  # where it shows
    audit.record_read("treatment.cdai_form", patients=[patient])
    return render(
        request,
        "treatment/cdai_form.html",
        {
            "form": form,
            "patient": patient,
            "review": review,
            "trend": selectors.cdai_trend(patient),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def attention(request: HttpRequest) -> HttpResponse:
    items = selectors.attention_for(request.user)
    audit.record_read("treatment.attention", patients=[item.patient for item in items])
    forms = [(item, ResolveForm(auto_id=f"id_{item.uuid.hex}_%s")) for item in items]
    return render(request, "treatment/attention.html", {"items": forms})


@staff_required
@require_POST
def attention_resolve(request: HttpRequest, item_uuid) -> HttpResponse:
    item = get_patient_object_for(request.user, AttentionItem.objects.all(), item_uuid)
    form = ResolveForm(request.POST)
    if form.is_valid():
        services.resolve_attention_item(
            item=item, actor=request.user, note=form.cleaned_data["note"]
        )
        messages.success(request, _("Closed."))
    else:
        messages.error(request, _("Say what was done before closing it."))
    return redirect("treatment:attention")


def _staff_facts(request, patient_uuid):
    patient = get_patient_for(request.user, patient_uuid)
    therapy = _course_or_404(patient)
    audit.record_read("treatment.card", patients=[patient])
    return facts_for(
        patient=patient,
        therapy=therapy,
        clinic_name=settings.CLINIC_NAME,
        clinic_phone=settings.CLINIC_PHONE,
        today=clinic_today(),
    )


@staff_required
def staff_card(request: HttpRequest, patient_uuid) -> HttpResponse:
    return pdf_response(wallet_card(_staff_facts(request, patient_uuid)), "kineret-wallet-card.pdf")


@staff_required
def staff_letter(request: HttpRequest, patient_uuid) -> HttpResponse:
    return pdf_response(letter(_staff_facts(request, patient_uuid)), "kineret-letter.pdf")


@staff_required
@require_http_methods(["GET", "POST"])
def staff_calendar(request: HttpRequest) -> HttpResponse:
    return calendar_page(request, "treatment/staff_calendar.html")


# --- The feeds: no session; the long random token in the link is the key -----------------------


@login_not_required
@never_cache
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    found = (
        CalendarToken.objects.current().filter(token=token).select_related("user").first()
        if len(token) <= 64
        else None
    )
    if found is None or not found.user.is_active:
        raise Http404("No such calendar.")
    user = found.user
    today = clinic_today()
    stamp = timezone.now()
    domain = settings.SITE_URL.split("://", 1)[1].split("/")[0]
    # A calendar app fetches the feed without a session: the titles are in the owner's language.
    with translation.override(language_of(user)):
        body, patients = _feed_for(user, today=today, stamp=stamp, domain=domain)
    audit.record_read("calendar.read", patients=patients, actor=user, detail={"by": "calendar"})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="clinic.ics"'
    return response


def _feed_for(user, *, today, stamp, domain) -> tuple[bytes, list]:
    if user.role == Role.PATIENT:
        patient = Patient.objects.filter(user=user, archived_at__isnull=True).first()
        if patient is None:
            raise Http404("No such calendar.")
        checks = list(calendar_feed.open_checks_from(today).filter(patient=patient))
        body = calendar_feed.patient_feed(
            clinic_name=settings.CLINIC_NAME,
            checks=checks,
            therapy=selectors.current_course(patient),
            today=today,
            stamp=stamp,
            domain=domain,
        )
        patients = [patient]
    elif user.role == Role.NURSE:
        checks = list(
            calendar_feed.open_checks_from(today)
            .filter(patient__primary_nurse=user, patient__archived_at__isnull=True)
            .select_related("patient")
            .order_by("due_date")[:2000]
        )
        body = calendar_feed.nurse_feed(
            clinic_name=settings.CLINIC_NAME, checks=checks, stamp=stamp, domain=domain
        )
        patients = list({c.patient_id: c.patient for c in checks}.values())
    else:
        raise Http404("No such calendar.")
    return body, patients
