from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clinic_portal.accounts.language import language_of
from clinic_portal.accounts.roles import staff_required
from clinic_portal.audit import audit
from clinic_portal.core.pagination import paginate, query_string_without_page
from patients.access import get_patient_for
from portal import services
from portal.access import get_concern_for
from portal.forms import ChoosePasswordForm, ReplyForm
from portal.models import Concern

FAILURES = {
    "invalid": (
        gettext_lazy("This link does not work"),
        gettext_lazy(
            "It may have been copied incompletely. Please use the newest email we sent you."
        ),
    ),
    "expired": (
        gettext_lazy("This link has run out"),
        gettext_lazy(
            "Invitation links work for a limited time. Call us and we will send you a new one."
        ),
    ),
    "used": (
        gettext_lazy("This link has already been used"),
        gettext_lazy(
            "You have already chosen a password. You can log in, or reset your password if you "
            "have forgotten it."
        ),
    ),
    "replaced": (
        gettext_lazy("A newer invitation replaced this link"),
        gettext_lazy("Please use the link in the most recent email from us."),
    ),
    "archived": (
        gettext_lazy("This account is closed"),
        gettext_lazy("Please call the clinic if you think this is a mistake."),
    ),
}


def _failure(request, reason: str) -> HttpResponse:
    title, advice = FAILURES.get(reason, FAILURES["invalid"])
    return render(
        request,
        "portal/invitation_problem.html",
        {"title": title, "advice": advice},
        status=410 if reason in {"expired", "used", "replaced"} else 400,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.open_invitation(token)
    except services.InvitationError as error:
        return _failure(request, error.reason)
    user = invitation.patient.user
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # The invited patient's preferred language, unless they picked one with the switcher.
        request.LANGUAGE_CODE = language_of(user)
        translation.activate(request.LANGUAGE_CODE)
    form = ChoosePasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except services.InvitationError as error:
            return _failure(request, error.reason)
        login(request, user, backend="clinic_portal.accounts.signed_in.ModelBackend")
        messages.success(request, _("Welcome. Your password is set and you are logged in."))
        return redirect("core:home")
    return render(
        request,
        "portal/accept.html",
        {"form": form, "patient": invitation.patient},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def invite(request: HttpRequest, patient_uuid) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    try:
        services.send_invitation(patient=patient, actor=request.user)
    except services.InvitationError as error:
        messages.error(
            request,
            _("This patient has no email address.")
            if error.reason == "no_email"
            else _("An archived patient cannot be invited."),
        )
    else:
        messages.success(
            request,
            _("An invitation is on its way to %(email)s.") % {"email": patient.user.email},
        )
    return redirect("patients:record_tab", patient.uuid, "details")  # the record's tab


# --- triage (nurses and rheumatologists) -------------------------------------------------------


@staff_required
def triage_list(request: HttpRequest) -> HttpResponse:
    show_closed = request.GET.get("closed") == "1"
    items = Concern.objects.select_related("patient").order_by("-urgent", "-created_at")
    items = (
        items.filter(status=Concern.Status.RESOLVED)
        if show_closed
        else items.exclude(status=Concern.Status.RESOLVED)
    )
    page = paginate(items, request.GET.get("page"), 50)
    audit.record_read("concern.list", patients={c.patient.uuid for c in page.object_list})
    return render(
        request,
        "portal/triage_list.html",
        {
            "page": page,
            "show_closed": show_closed,
            "query_string": query_string_without_page(request),
        },
    )


def _triage(action: str, concern, actor, body: str) -> None:
    """The button pressed, to its service."""
    if action == "reply":
        services.reply_to_concern(concern=concern, actor=actor, body=body)
        return
    act = {
        "acknowledge": services.acknowledge_concern,
        "escalate": services.escalate_concern,
        "resolve": services.resolve_concern,
    }.get(action)
    if act is None:
        raise services.TriageError(_("Unknown action."))
    act(concern=concern, actor=actor)


@staff_required
@require_http_methods(["GET", "POST"])
def triage_detail(request: HttpRequest, concern_uuid) -> HttpResponse:
    concern = get_concern_for(request.user, concern_uuid)
    audit.record_read("concern.view", patients=[concern.patient], obj=concern)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _triage(
                request.POST.get("action", ""), concern, request.user, form.cleaned_data["body"]
            )
        except services.TriageError as error:
            form.add_error("body" if "reply" in str(error).lower() else None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("portal:triage_detail", concern.uuid)
    return render(
        request,
        "portal/triage_detail.html",
        {
            "concern": concern,
            "patient": concern.patient,
            "notes": concern.messages.select_related("author"),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
