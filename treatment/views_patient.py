"""The patient's own treatment pages: My treatment, the injection diary, the card and letter,
the calendar link and the score before a review. Only the patient writes here."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods

from clinic_portal.accounts.roles import patient_required
from clinic_portal.audit import audit
from clinic_portal.core.clock import clinic_today
from followups.rules import CourseState
from patients.access import get_own_patient
from treatment import selectors, services
from treatment.forms import InjectionForm, MissedForm, PatientGlobalForm, ReactionForm
from treatment.models import InjectionEntry, PatientGlobal
from treatment.pdf_views import pdf_response


def _bad(request) -> int:
    return 400 if request.method == "POST" else 200


@patient_required
def my_treatment(request: HttpRequest) -> HttpResponse:
    patient = get_own_patient(request.user)
    today = clinic_today()
    audit.record_read("treatment.mine", patients=[patient])
    mine = selectors.my_kineret(patient, today)
    review = selectors.open_review(patient, today)
    score = PatientGlobal.objects.filter(followup=review).first() if review is not None else None
    return render(
        request,
        "treatment/my_treatment.html",
        {"mine": mine, "today": today, "review": review, "review_score": score},
    )


# Why the diary is closed, in plain words, for each course state that closes it.
DIARY_CLOSED = {
    CourseState.PLANNED: gettext_lazy("Your diary opens on your first day of Kineret."),
    CourseState.ON_HOLD: gettext_lazy(
        "Please do not start Kineret yet: your care team will call you about the start date. "
        "Your diary opens once you start."
    ),
    CourseState.STOPPED: gettext_lazy("Your Kineret has stopped, so the diary is closed."),
    CourseState.CANCELLED: gettext_lazy(
        "Your planned Kineret course will not go ahead, so there is no diary."
    ),
}


def _writable_course(request):
    """The patient and their running course; the diary is only written while one runs."""
    patient = get_own_patient(request.user)
    today = clinic_today()
    mine = selectors.my_kineret(patient, today)
    if mine.therapy is None:
        messages.info(request, _("The diary opens when your Kineret course has started."))
        return None
    if mine.state in DIARY_CLOSED:
        messages.info(request, DIARY_CLOSED[mine.state])
        return None
    if not mine.diary_open:
        messages.info(
            request, _("Your nurse will show you how to inject before you use the diary.")
        )
        return None
    return patient, today, mine


@patient_required
@require_http_methods(["GET", "POST"])
def diary(request: HttpRequest) -> HttpResponse:
    found = _writable_course(request)
    if found is None:
        return redirect("treatment:mine")
    patient, today, mine = found
    now = timezone.localtime()
    form = InjectionForm(
        request.POST or None,
        today=today,
        start=mine.therapy.start_date,
        suggested=mine.suggested_site,
        now_time=now.time(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.log_injection(
                patient=patient,
                therapy=mine.therapy,
                day=data["day"],
                time=data["time"],
                site=data["site"],
                reaction=data["reaction"],
                note=data["note"],
                now=now,
                today=today,
            )
        except services.TreatmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Saved: injection on %(day)s.")
                % {
                    "day": date_format(
                        data["day"], pgettext("date format: weekday, day and month", "l j F")
                    )
                },
            )
            return redirect("treatment:diary")
    audit.record_read("treatment.diary", patients=[patient])
    return render(
        request,
        "treatment/diary.html",
        {"form": form, "mine": mine, "today": today},
        status=_bad(request),
    )


@patient_required
@require_http_methods(["GET", "POST"])
def missed(request: HttpRequest) -> HttpResponse:
    found = _writable_course(request)
    if found is None:
        return redirect("treatment:mine")
    patient, today, mine = found
    initial_day = request.GET.get("day")
    form = MissedForm(
        request.POST or None,
        today=today,
        start=mine.therapy.start_date,
        initial={"day": initial_day} if initial_day else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.log_missed_dose(
                patient=patient,
                therapy=mine.therapy,
                day=data["day"],
                reason=data["reason"],
                note=data["note"],
                today=today,
            )
        except services.TreatmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Saved: missed dose on %(day)s.")
                % {
                    "day": date_format(
                        data["day"], pgettext("date format: weekday, day and month", "l j F")
                    )
                },
            )
            return redirect("treatment:diary")
    return render(
        request, "treatment/missed.html", {"form": form, "mine": mine}, status=_bad(request)
    )


@patient_required
@require_http_methods(["GET", "POST"])
def reaction(request: HttpRequest, entry_uuid) -> HttpResponse:
    patient = get_own_patient(request.user)
    entry = InjectionEntry.objects.taken().filter(patient=patient, uuid=entry_uuid).first()
    if entry is None:
        raise Http404("Not found.")
    form = ReactionForm(
        request.POST or None, initial={"reaction": entry.reaction} if entry.reaction else None
    )
    if request.method == "POST" and form.is_valid():
        entry = services.record_site_reaction(entry=entry, reaction=form.cleaned_data["reaction"])
        if entry.is_severe:
            messages.warning(
                request,
                _(
                    "Thank you. Your nurse has been told and will be in touch. If the area is hot, "
                    "spreading or you feel feverish, call the clinic today."
                ),
            )
        else:
            messages.success(request, _("Saved."))
        return redirect("treatment:diary")
    return render(
        request, "treatment/reaction.html", {"form": form, "entry": entry}, status=_bad(request)
    )


@patient_required
@require_http_methods(["GET", "POST"])
def review_score(request: HttpRequest) -> HttpResponse:
    patient = get_own_patient(request.user)
    today = clinic_today()
    review = selectors.open_review(patient, today)
    form = PatientGlobalForm(request.POST or None)
    if review is not None and request.method == "POST" and form.is_valid():
        try:
            services.enter_patient_global(
                patient=patient, review=review, score=form.cleaned_data["score"]
            )
        except services.TreatmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. Your rheumatologist will see your answer."))
            return redirect("treatment:mine")
    return render(
        request,
        "treatment/review_score.html",
        {"form": form, "review": review},
        status=_bad(request),
    )


def _card_facts(request):
    from treatment.documents import facts_for

    patient = get_own_patient(request.user)
    therapy = selectors.current_course(patient)
    if therapy is None or therapy.cancelled_at is not None:
        raise Http404("No Kineret course.")
    audit.record_read("treatment.card", patients=[patient])
    return facts_for(
        patient=patient,
        therapy=therapy,
        clinic_name=settings.CLINIC_NAME,
        clinic_phone=settings.CLINIC_PHONE,
        today=clinic_today(),
    )


@patient_required
def card_pdf(request: HttpRequest) -> HttpResponse:
    from treatment.documents import wallet_card

    return pdf_response(wallet_card(_card_facts(request)), "kineret-wallet-card.pdf")


@patient_required
def letter_pdf(request: HttpRequest) -> HttpResponse:
    from treatment.documents import letter

    return pdf_response(letter(_card_facts(request)), "kineret-letter.pdf")


@patient_required
def other_doctor(request: HttpRequest) -> HttpResponse:
    patient = get_own_patient(request.user)
    therapy = selectors.current_course(patient)
    if therapy is not None and therapy.cancelled_at is not None:
        therapy = None  # a course that never began has no card
    return render(request, "treatment/other_doctor.html", {"therapy": therapy})


@patient_required
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    get_own_patient(request.user)
    return calendar_page(request, "treatment/calendar.html")


def calendar_page(request: HttpRequest, template: str) -> HttpResponse:
    if request.method == "POST":
        services.reset_calendar_token(user=request.user)
        messages.success(
            request, _("Your calendar link is new. The old link no longer works: subscribe again.")
        )
        return redirect(request.path)
    token = services.calendar_token_for(user=request.user)
    path = reverse("treatment:feed", args=[token.token])
    return render(
        request,
        template,
        {"feed_url": f"{settings.SITE_URL}{path}", "webcal_url": _webcal(settings.SITE_URL, path)},
    )


def _webcal(site_url: str, path: str) -> str:
    return "webcal://" + site_url.split("://", 1)[1] + path
