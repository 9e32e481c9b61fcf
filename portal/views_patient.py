"""The patient's own pages: reporting concerns, their messages, profile and access log."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from clinic_portal.accounts import language
from clinic_portal.accounts.roles import patient_required
from clinic_portal.audit import audit
from clinic_portal.audit.models import AuditEvent
from clinic_portal.audit.selectors import newest_first
from clinic_portal.core.clock import clinic_today
from clinic_portal.core.pagination import paginate_newest
from patients.access import get_own_patient
from patients.services import StaleEditError
from portal import services
from portal.forms import ConcernForm, MessageForm, ProfileForm
from portal.models import Concern
from portal.urgency import pregnancy_holds_treatment

READ_LABELS = {
    "patient.view": gettext_lazy("your record"),
    "patient.list": gettext_lazy("your name in the patient list"),
    "patient.edit_form": gettext_lazy("your details, to update them"),
    "patient.history": gettext_lazy("earlier versions of your details"),
    "screening.view": gettext_lazy("a screening"),
    "screening.new_form": gettext_lazy("your record, to start a screening"),
    "followup.view": gettext_lazy("a planned check"),
    "followup.worklist": gettext_lazy("your name on the nurses' list of checks"),
    "alert.view": gettext_lazy("an alert about you"),
    "concern.view": gettext_lazy("something you reported"),
    "treatment.diary": gettext_lazy("your injection diary"),
    "treatment.card": gettext_lazy("your Kineret card or letter"),
    "treatment.teaching_form": gettext_lazy("your record, to note your injection teaching"),
    "treatment.cdai_form": gettext_lazy("your record, to score how your arthritis is"),
    "treatment.attention": gettext_lazy("your injection diary, to follow it up"),
    "calendar.read": gettext_lazy("your check dates, through a nurse's calendar"),
    "education.unread_report": gettext_lazy("your reading, to follow it up"),
    "lab_result.view": gettext_lazy("a lab result"),
    "lab_result.attach_form": gettext_lazy("a lab result, to file it on your record"),
    "fhir.export": gettext_lazy(
        "your record, to include it in an export for a registry or research"
    ),
}
# Reads through the FHIR API, by a system the clinic connected (a hospital record, a registry).
READ_LABELS |= {
    f"fhir.{kind}.{how}": gettext_lazy("your record, to share it with a connected health system")
    for kind in (
        "patient",
        "observation",
        "immunization",
        "medicationstatement",
        "questionnaireresponse",
        "flag",
    )
    for how in ("read", "search")
}


def _my_concern(request, concern_uuid) -> Concern:
    concern = Concern.objects.filter(
        patient=get_own_patient(request.user), uuid=concern_uuid
    ).first()
    if concern is None:
        raise Http404("Not found.")
    return concern


@patient_required
def concern_start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/concern_start.html",
        {"categories": Concern.Category.choices, "urgent": Concern.URGENT},
    )


@patient_required
@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest, category: str) -> HttpResponse:
    if category not in Concern.Category.values:
        raise Http404("No such category.")
    patient = get_own_patient(request.user)
    today = clinic_today()
    form = ConcernForm(
        request.POST or None, category=category, today=today, born=patient.date_of_birth
    )
    if request.method == "POST" and form.is_valid():
        try:
            concern = services.report_concern(
                patient=patient,
                author=request.user,
                category=category,
                details=form.details(),
                message=form.cleaned_data["message"],
                today=today,
            )
        except services.ImplausibleDate as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except services.RateLimited:
            form.add_error(
                None,
                _(
                    "You have sent several reports in the last hour. Please call us instead, so "
                    "that we can help you straight away."
                ),
            )
        else:
            return redirect("portal:concern_detail", concern.uuid)
    label = Concern.Category(category).label
    return render(
        request,
        "portal/concern_form.html",
        {
            "form": form,
            "category": category,
            "label": label,
            "urgent": category in Concern.URGENT,
            "pregnancy_hold": pregnancy_holds_treatment(settings.CLINIC_SCREENING_POLICY),
        },
        status=400 if request.method == "POST" else 200,
    )


@patient_required
def concern_list(request: HttpRequest) -> HttpResponse:
    patient = get_own_patient(request.user)
    audit.record_read("portal.concerns", patients=[patient])
    return render(
        request, "portal/concern_list.html", {"concerns": Concern.objects.filter(patient=patient)}
    )


@patient_required
@require_http_methods(["GET", "POST"])
def concern_detail(request: HttpRequest, concern_uuid) -> HttpResponse:
    concern = _my_concern(request, concern_uuid)
    audit.record_read("portal.concern", patients=[concern.patient], obj=concern)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_patient_message(
            concern=concern, author=request.user, body=form.cleaned_data["body"]
        )
        messages.success(request, _("Your message is sent to your care team."))
        return redirect("portal:concern_detail", concern.uuid)
    return render(
        request,
        "portal/concern_detail.html",
        {
            "concern": concern,
            "notes": concern.messages.select_related("author"),
            "form": form,
            "pregnancy_hold": pregnancy_holds_treatment(settings.CLINIC_SCREENING_POLICY),
        },
        status=400 if request.method == "POST" else 200,
    )


@patient_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Who on the staff looked at my record, from the audit log."""
    patient = get_own_patient(request.user)
    audit.record_read("portal.access_log", patients=[patient])
    reads = (
        AuditEvent.objects.for_patient(patient.uuid)
        .reads()
        .exclude(actor=request.user)
        .exclude(actor_role="patient")
    )
    reads = reads.only("occurred_at", "actor_role", "action").order_by("-occurred_at", "-id")
    # Read newest months first and stop at the page: no count across every month of the log.
    page = paginate_newest(
        lambda offset, limit: newest_first(reads, limit, offset), request.GET.get("page"), 50
    )
    rows = [
        (event, READ_LABELS.get(event.action, _("something in your record")))
        for event in page.object_list
    ]
    return render(request, "portal/access_log.html", {"page": page, "rows": rows})


@patient_required
@require_http_methods(["GET", "POST"])
def profile_view(request: HttpRequest) -> HttpResponse:
    patient = get_own_patient(request.user)
    audit.record_read("portal.profile", patients=[patient])
    form = ProfileForm(
        request.POST or None,
        initial={
            "phone": patient.phone,
            "preferred_language": patient.preferred_language,
            "email": patient.user.email,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent_to = services.save_profile(
                patient=patient,
                actor=request.user,
                phone=form.cleaned_data["phone"],
                preferred_language=form.cleaned_data["preferred_language"],
                email=form.cleaned_data["email"],
            )
        except services.EmailChangeError as error:
            form.add_error("email", str(error))
        except StaleEditError:
            form.add_error(
                None,
                _("Your details changed while you were editing. Please check them and save again."),
            )
        else:
            if sent_to:
                messages.info(
                    request,
                    _("We sent a link to %(email)s. Your address changes once you open it.")
                    % {"email": sent_to},
                )
            # The next page is in the language just chosen.
            request.session.pop(language.SESSION_KEY, None)
            messages.success(request, _("Your details are saved."))
            return redirect("portal:profile")
    return render(
        request,
        "portal/profile.html",
        {"form": form, "patient": patient},
        status=400 if request.method == "POST" else 200,
    )


@patient_required
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.confirm_email_change(token=token, user=request.user)
    except services.EmailChangeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your new email address is confirmed."))
    return redirect("portal:profile")
