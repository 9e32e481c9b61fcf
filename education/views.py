from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from clinic_portal.accounts.roles import clinician_required, patient_required, staff_required
from clinic_portal.audit import audit
from clinic_portal.core.clock import clinic_today
from clinic_portal.core.pagination import paginate
from education import selectors, services
from education.access import get_page_for_patient, get_page_for_staff
from education.diffing import side_by_side
from education.forms import AssignForm, BulkAssignForm, PageForm, TranslationForm
from education.models import TRANSLATION_LANGUAGES, ContentLanguage, Page, PageTranslation
from education.rendering import render_markdown
from followups.selectors import ongoing_course
from patients.access import get_own_patient, get_patient_for

# --- staff -----------------------------------------------------------------------------------


@staff_required
def page_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    pages = selectors.search_pages(Page.objects.select_related("current_version"), query)
    return render(request, "education/page_list.html", {"pages": pages, "query": query[:200]})


@staff_required
@require_http_methods(["GET", "POST"])
def page_create(request: HttpRequest) -> HttpResponse:
    form = PageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        page = services.create_page(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Draft saved."))
        return redirect(page)
    return render(
        request,
        "education/page_form.html",
        {"form": form, "title": _("New page")},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def page_edit(request: HttpRequest, page_uuid) -> HttpResponse:
    page = get_page_for_staff(page_uuid)
    form = PageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        services.update_draft(page=page, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Draft saved. Publish it to show it to readers."))
        return redirect(page)
    return render(
        request,
        "education/page_form.html",
        {"form": form, "page": page, "title": _("Edit %(name)s") % {"name": page.title}},
        status=400 if request.method == "POST" else 200,
    )


CACHE_SECONDS = 24 * 3600


def _digest(text: str) -> str:
    """Cache keys for what is rendered from a text: the same text, the same HTML."""
    return hashlib.sha256(text.encode()).hexdigest()


@staff_required
def page_detail(request: HttpRequest, page_uuid) -> HttpResponse:
    page = get_page_for_staff(page_uuid)
    published = page.current_version
    diff = []
    if published is not None:
        old = f"# {published.title}\n\n{published.summary}\n\n{published.body}"
        new = f"# {page.title}\n\n{page.summary}\n\n{page.body}"
        diff = cache.get_or_set(
            f"education:diff:{_digest(old + chr(0) + new)}",
            lambda: side_by_side(old, new),
            CACHE_SECONDS,
        )
    return render(
        request,
        "education/page_detail.html",
        {
            "page": page,
            "draft_html": cache.get_or_set(
                f"education:html:{_digest(page.body)}",
                lambda: render_markdown(page.body),
                CACHE_SECONDS,
            ),
            "published": published,
            "diff": diff,
            "versions": page.versions.filter(language="en").select_related("published_by"),
            "translations": translation_rows(page),
            "bulk_form": BulkAssignForm(),
        },
    )


@clinician_required
@require_POST
def page_publish(request: HttpRequest, page_uuid) -> HttpResponse:
    page = get_page_for_staff(page_uuid)
    try:
        opened = dt.datetime.fromisoformat(request.POST.get("draft_version", ""))
    except ValueError:
        opened = dt.datetime.min.replace(tzinfo=dt.UTC)  # no version sent: treat as changed
    try:
        version = services.publish_page(page=page, clinician=request.user, opened_version=opened)
    except services.PublishingError as error:
        messages.info(request, str(error))
    else:
        messages.success(
            request, _("Version %(number)s is published.") % {"number": version.number}
        )
    return redirect(page)


def translation_rows(page: Page) -> list[dict]:
    """Each translation language with its state: missing, draft, current or out_of_date."""
    found = {t.language: t for t in page.translations.select_related("current_version")}
    return [
        {
            "language": language,
            "name": language.label,
            "translation": found.get(language),
            "state": found[language].state if language in found else "missing",
        }
        for language in TRANSLATION_LANGUAGES
    ]


def _translation_language(language: str) -> ContentLanguage:
    if language not in TRANSLATION_LANGUAGES:
        raise Http404("No such language.")
    return ContentLanguage(language)


@staff_required
@require_http_methods(["GET", "POST"])
def translation_edit(request: HttpRequest, page_uuid, language: str) -> HttpResponse:
    page = get_page_for_staff(page_uuid)
    language = _translation_language(language)
    existing = PageTranslation.objects.filter(page=page, language=language).first()
    form = TranslationForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        services.save_translation(
            page=page, language=language, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("Translation saved. Publish it to show it to readers."))
        return redirect("education:translation", page_uuid=page.uuid, language=language)
    versions = page.versions.filter(language=language).select_related(
        "published_by", "source_version"
    )
    return render(
        request,
        "education/translation_form.html",
        {
            "form": form,
            "page": page,
            "language": language,
            "translation": existing,
            "english": page.current_version,
            "versions": versions,
        },
        status=400 if request.method == "POST" else 200,
    )


@clinician_required
@require_POST
def translation_publish(request: HttpRequest, page_uuid, language: str) -> HttpResponse:
    page = get_page_for_staff(page_uuid)
    language = _translation_language(language)
    translation = PageTranslation.objects.filter(page=page, language=language).first()
    if translation is None:
        messages.error(request, _("Write the translation before publishing it."))
        return redirect("education:translation", page_uuid=page.uuid, language=language)
    try:
        opened = dt.datetime.fromisoformat(request.POST.get("draft_version", ""))
    except ValueError:
        opened = dt.datetime.min.replace(tzinfo=dt.UTC)
    try:
        version = services.publish_translation(
            translation=translation, clinician=request.user, opened_version=opened
        )
    except services.PublishingError as error:
        messages.info(request, str(error))
    else:
        messages.success(
            request,
            _("Version %(number)s of the %(language)s translation is published.")
            % {"number": version.number, "language": language.label},
        )
    return redirect("education:translation", page_uuid=page.uuid, language=language)


@staff_required
@require_POST
def page_request_review(request: HttpRequest, page_uuid) -> HttpResponse:
    page = get_page_for_staff(page_uuid)
    if services.request_review(page=page, actor=request.user):
        messages.success(
            request, _("The draft is marked ready for review on the rheumatologists' home.")
        )
    else:
        messages.info(request, _("This draft is already waiting for review."))
    return redirect(page)


@clinician_required
@require_POST
def page_archive(request: HttpRequest, page_uuid) -> HttpResponse:
    page = get_page_for_staff(page_uuid)
    services.archive_page(page=page, actor=request.user)
    messages.success(
        request, _("The page is archived. Patients no longer see it; its versions are kept.")
    )
    return redirect(page)


@staff_required
@require_POST
def page_bulk_assign(request: HttpRequest, page_uuid) -> HttpResponse:
    page = get_page_for_staff(page_uuid)
    form = BulkAssignForm(request.POST)
    if not form.is_valid() or not services.is_assignable(page):
        messages.error(
            request, _("Choose a group, and publish a patient page before assigning it.")
        )
        return redirect(page)
    added = services.assign_pages(
        pages=[page],
        patients=selectors.patients_in_group(form.cleaned_data["group"]),
        actor=request.user,
        source="bulk",
    )
    messages.success(
        request,
        ngettext(
            "Assigned to %(count)s more patient.", "Assigned to %(count)s more patients.", added
        )
        % {"count": added},
    )
    return redirect(page)


@staff_required
@require_POST
def patient_assign(request: HttpRequest, patient_uuid) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose at least one published page."))
        return redirect("patients:record_tab", patient.uuid, "education")
    try:
        added = services.assign_pages(
            pages=form.cleaned_data["pages"], patients=[patient], actor=request.user
        )
    except services.AssignmentRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext("%(count)s page assigned.", "%(count)s pages assigned.", added)
            % {"count": added},
        )
    return redirect("patients:record_tab", patient.uuid, "education")  # the record's tab


@staff_required
def unread_report(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.unread_essentials(), request.GET.get("page"), 50)
    audit.record_read(
        "education.unread_report", patients={row.patient.uuid for row in page.object_list}
    )
    return render(
        request, "education/unread_report.html", {"page": page, "days": selectors.UNREAD_AFTER_DAYS}
    )


# --- patients --------------------------------------------------------------------------------


@patient_required
def library(request: HttpRequest) -> HttpResponse:
    patient = get_own_patient(request.user)
    query = request.GET.get("q", "")
    pages = selectors.search_pages(Page.objects.for_patients(), query, prefix="current_version__")
    return render(
        request,
        "education/library.html",
        {"materials": selectors.materials_for(patient, pages=pages), "query": query[:200]},
    )


@patient_required
def read_page(request: HttpRequest, slug: str) -> HttpResponse:
    patient = get_own_patient(request.user)
    page = get_page_for_patient(slug)
    reading = selectors.reading_for(page)
    services.record_view(patient=patient, version=reading.version)
    status = next(
        m for m in selectors.materials_for(patient, pages=Page.objects.filter(pk=page.pk))
    )
    course = ongoing_course(patient) if "starting" in page.tag_list else None
    return render(
        request,
        "education/read_page.html",
        {
            "page": page,
            "version": reading.version,
            "reading": reading,
            "material": status,
            "course": course,
            "course_state": course.state_on(clinic_today()).value if course else "",
        },
    )


@patient_required
@require_POST
def acknowledge_page(request: HttpRequest, slug: str) -> HttpResponse:
    patient = get_own_patient(request.user)
    page = get_page_for_patient(slug)
    # The version the patient was shown: their language's, or the English one.
    services.acknowledge(patient=patient, version=selectors.reading_for(page).version)
    messages.success(request, _("Thank you. We have noted that you read this page."))
    return redirect("education:read", slug=page.slug)
