"""Every form of every role, submitted exactly as the page rendered it.

A crawler starts at each role's home, follows the links a person could click and submits every
form it meets, unchanged. Each answer must be a success (a page or a redirect to one) or a page
that shows the person what to fix. A bare 400 (an error on a field nobody can see, the way the
patient edit form once failed) or any 500 fails here, whichever page it hides on.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BaseForm, BaseFormSet
from django.urls import Resolver404, resolve
from webtest.forms import Submit

from education import services as education_services
from followups import services as followup_services
from followups.models import FollowUp
from interop import clients
from interop import services as interop_services
from patients import services as patient_services
from portal import concerns, invitations
from portal.models import Concern
from screening import services as screening_services
from tests.factories import PatientFactory
from tests.interop.hl7_fixtures import oru
from tests.screening.cases import CLEAR
from tests.support.web import all_forms, visible_errors
from treatment import services as treatment_services

# Places a crawl must not go: leaving the session, the Django admin (its own tested app) and
# downloads.
SKIP_PREFIXES = ("/accounts/logout/", "/admin/", "/static/", "/audit/export/")
# A page is its path and query (the archived patients, a worklist tab); of the many pages of
# one kind (every follow-up, every translation editor) the walk opens the first few it meets.
MAX_PAGES = 260
PAGES_PER_VIEW = 10


def _planned_course(patient, clinician, today, days_ahead=7):
    """A course signed and planned to start ``days_ahead`` days from today."""
    start = today + dt.timedelta(days=days_ahead)
    screening = screening_services.start_screening(
        patient=patient,
        actor=clinician,
        answers={
            **CLEAR,
            "date_of_birth": patient.date_of_birth.isoformat(),
            "planned_start": start.isoformat(),
        },
        evaluate_now=True,
        anc_sampled_on=today - dt.timedelta(days=2),
        today=today,
    )
    for code in screening.result["review_items"]:
        screening_services.acknowledge_review_item(
            screening=screening, clinician=clinician, code=code, note="Reviewed"
        )
    screening = screening_services.sign_screening(
        screening=screening, clinician=clinician, today=today
    )
    return followup_services.start_therapy(
        screening=screening, actor=clinician, start_date=start, interval="daily", today=today
    )


@pytest.fixture
def clinic_day(therapy, patient, patient_user, clinician, nurse, other_patient, today):
    """One patient on Kineret with a low count (an alert), an urgent and a routine report, a
    diary entry with a large reaction (a diary item for the nurse) and a review coming up; a
    draft screening for another patient; a planned course, a course on hold (a low count
    before its start), a screening waiting for a note, one signed and not yet started, an
    archived patient, a lab result that matched nobody, an API client and a draft page."""
    for name, mrn in (("Planned", "PLAN0001"), ("Held", "HOLD0001")):
        other = PatientFactory(
            given_name="Pat",
            family_name=name,
            mrn=mrn,
            responsible_clinician=clinician,
            primary_nurse=nurse,
        )
        course = _planned_course(other, clinician, today)
        if name == "Held":
            followup_services.record_result(
                patient=other,
                actor=nurse,
                value=Decimal("1.2"),
                sample_date=today,
                lab="City lab",
                today=today,
            )
            course.refresh_from_db()
            assert course.is_held
    interop_services.receive_hl7(
        oru(
            mrn="NOSUCH01",
            family="Nobody",
            given="Nemo",
            sampled=today.strftime("%Y%m%d") + "0005",
            value="800",
            units="/uL",
        ).encode(),
        today=today,
    )
    followup_services.record_result(
        patient=patient,
        actor=nurse,
        value=Decimal("0.9"),
        sample_date=today,
        lab="City lab",
        today=today,
    )
    for category, details in (
        (Concern.Category.FEVER, {"temperature": "38.6", "since": today.isoformat()}),
        (Concern.Category.OTHER, {}),
    ):
        concerns.report_concern(
            patient=patient,
            author=patient_user,
            category=category,
            details=details,
            message="x",
            today=today,
        )
    screening_services.start_screening(
        patient=other_patient,
        actor=clinician,
        answers={
            **CLEAR,
            "date_of_birth": other_patient.date_of_birth.isoformat(),
            "planned_start": (today + dt.timedelta(days=7)).isoformat(),
        },
        evaluate_now=True,
        today=today,
    )
    education_services.create_page(
        actor=nurse, title="Travelling with syringes", slug="travelling", summary="x", body="Draft."
    )
    treatment_services.log_injection(
        patient=patient,
        therapy=therapy,
        day=today,
        time=None,
        site="arm_left",
        reaction="large",
        now=dt.datetime.combine(today, dt.time(23, 59)),
        today=today,
    )
    review = FollowUp.objects.filter(therapy=therapy, kind="response_review").earliest("due_date")
    FollowUp.objects.filter(pk=review.pk).update(due_date=today + dt.timedelta(days=7))
    answers = {**CLEAR, "planned_start": (today + dt.timedelta(days=7)).isoformat()}
    for name, mrn, changes, sign in (
        ("Review", "REVW0001", {"asthma": True}, False),
        ("Signed", "SIGN0001", {}, True),
    ):
        other = PatientFactory(
            given_name="Pat",
            family_name=name,
            mrn=mrn,
            responsible_clinician=clinician,
            primary_nurse=nurse,
            user__is_active=False,  # not yet invited: the record offers the invitation
        )
        screening = screening_services.start_screening(
            patient=other,
            actor=clinician,
            answers={**answers, **changes, "date_of_birth": other.date_of_birth.isoformat()},
            evaluate_now=True,
            today=today,
        )
        if sign:
            screening_services.sign_screening(screening=screening, clinician=clinician, today=today)
    archived = PatientFactory(given_name="Pat", family_name="Archived", mrn="ARCH0001")
    patient_services.archive_patient(patient=archived, actor=clinician, reason="Moved away")
    clients.create_client(name="Lab bridge", scopes=["observations:write"], actor=clinician)


def _links(page) -> list[str]:
    found = []
    for anchor in page.html.find_all("a", href=True):
        href = anchor["href"]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIP_PREFIXES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _submit(form, typed):
    if form.method.upper() == "GET":
        # A search a person types into (the record number that finds a lab result's patient).
        for name, value in typed.items():
            if name in form.fields and not form[name].value:
                form[name] = value
    buttons = [(name, field) for name, field in form.field_order if isinstance(field, Submit)]
    if buttons:
        name, field = buttons[0]
        return form.submit(name, value=field.value_if_submitted(), status="*")
    return form.submit(status="*")


def _flash_messages(page) -> list[str]:
    if "text/html" not in page.content_type:
        return []
    return [node.get_text(" ", strip=True) for node in page.html.select(".messages .alert")]


def _check_answer(where: str, response, problems: list[str]) -> None:
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code}")
    elif response.status_code in (301, 302, 303):
        landed = response.follow(status="*")
        if landed.status_code != 200:
            problems.append(f"{where}: redirected to a {landed.status_code}")
        shown = _flash_messages(landed)
        if len(shown) != len(set(shown)):
            problems.append(f"{where}: a message shown twice: {shown}")
        if shown and set(shown) & set(_flash_messages(landed.goto(landed.request.url, status="*"))):
            problems.append(f"{where}: a message shown again on the next page: {shown}")
    elif response.status_code == 400 or (
        response.status_code == 200
        and response.request.method == "POST"
        and "is-invalid" in response.text
    ):
        if "text/html" in response.content_type and not visible_errors(response):
            problems.append(f"{where}: {response.status_code} with no message on the page")
        elif "text/html" in response.content_type:
            problems.extend(f"{where}: {unseen}" for unseen in _errors_nobody_sees(response))
    elif response.status_code not in (200, 204):
        problems.append(f"{where}: {response.status_code}")


def _bound_forms(response) -> list[BaseForm]:
    """The submitted forms the view rendered the answer with (formsets' forms too)."""
    context = getattr(response, "context", None)
    contexts = context if isinstance(context, list) else [context] if context else []
    found: dict[int, BaseForm] = {}
    for ctx in contexts:
        for layer in getattr(ctx, "dicts", [ctx]):
            for value in layer.values() if hasattr(layer, "values") else []:
                members = value.forms if isinstance(value, BaseFormSet) else [value]
                for form in members:
                    if isinstance(form, BaseForm) and form.is_bound:
                        found[id(form)] = form
    return list(found.values())


def _errors_nobody_sees(response) -> list[str]:
    """Errors a person cannot act on: on a field the page does not show (a hidden or missing
    input, the way the patient edit form once failed), or a form-wide message not printed.
    (An error on a shown field may be told in the page's own words: the page has a message.)"""
    text = " ".join(response.html.get_text(" ").split())
    unseen = []
    for form in _bound_forms(response):
        for name, messages in form.errors.items():
            if name == NON_FIELD_ERRORS:
                unseen.extend(
                    f"{message!r} is not on the page"
                    for message in messages
                    if " ".join(message.split()) not in text
                )
                continue
            field = response.html.find(attrs={"name": form.add_prefix(name)})
            if field is None or field.get("type") == "hidden":
                unseen.append(f"an error on {form.add_prefix(name)!r}, which is not shown")
    return unseen


def _view_name(path: str) -> str:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return path
    # Each of the record's tabs is a page of its own, with its own forms: counted apart.
    tab = match.kwargs.get("tab")
    return f"{match.view_name}:{tab}" if tab else match.view_name


# Forms that archive, cancel, stop, reject or revoke change the page for the others: last.
ENDS_THINGS = ("/archive/", "/cancel/", "/stop/", "/reject/", "/revoke/", "/not-done/")


def _ends_things(action: str) -> bool:
    return any(part in action for part in ENDS_THINGS)


def _walk(app, typed: dict, start: str = "/") -> tuple[set[str], list[str], set[str]]:
    seen_paths: set[str] = set()
    per_view: Counter[str] = Counter()
    queue = [start]
    problems: list[str] = []
    submitted: set[str] = set()
    while queue and len(seen_paths) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        page_key = parts.path + (f"?{parts.query}" if parts.query else "")
        view = _view_name(parts.path)
        if page_key in seen_paths or per_view[view] >= PAGES_PER_VIEW:
            continue
        seen_paths.add(page_key)
        per_view[view] += 1
        page = app.get(url, status="*")
        if page.status_code in (301, 302):
            page = page.follow(status="*")
        if page.status_code != 200 or "text/html" not in page.content_type:
            if page.status_code >= 500:
                problems.append(f"GET {url}: {page.status_code}")
            continue
        queue.extend(_links(page))
        actions = [form.action or url for form in all_forms(page)]
        for index in sorted(range(len(actions)), key=lambda i: _ends_things(actions[i])):
            if "/logout/" in actions[index]:
                continue
            # Submitting may change what the page shows: fetch it afresh for each form, and
            # find the form again by where it posts.
            fresh = app.get(url, status="*")
            forms = all_forms(fresh) if fresh.status_code == 200 else []
            again = [f for f in forms if (f.action or url) == actions[index]]
            nth = actions[:index].count(actions[index])
            if nth >= len(again):
                continue  # an earlier form on the page took this one away
            form = again[nth]
            submitted.add(_view_name(form.action or url))
            where = f"{form.method.upper()} {form.action or url} (form {index} on {url})"
            response = _submit(form, typed)
            _check_answer(where, response, problems)
            if form.method.upper() == "GET" and response.status_code in (301, 302, 303):
                queue.append(response.location)  # where a search leads is a page too
    return seen_paths, problems, submitted


# The walk really walked: each role meets these forms (by view name) among its own.
MUST_SUBMIT = {
    "clinician": {
        "screening:acknowledge",
        "screening:edit",
        "followups:therapy_start",
        "patients:restore",
        "portal:invite",
        "education:bulk_assign",
        "followups:therapy_postpone",
        "followups:therapy_cancel",
        "followups:therapy_confirm",
        "followups:therapy_stop",
        "followups:therapy_extra_check",
        "treatment:cdai",
    },
    "nurse": {
        "followups:followup_result",
        "treatment:teaching",
        "interop:attach",
        "interop:reject",
        "portal:triage_detail",
        "education:request_review",
        "treatment:attention_resolve",
    },
    "patient_user": {
        "treatment:diary",
        "treatment:reaction",
        "treatment:review_score",
        "portal:concern_new",
        "portal:profile",
    },
    "clinic_admin": {"interop:api_clients", "interop:revoke_api_client"},
}


@pytest.mark.parametrize("persona", ["clinician", "nurse", "patient_user", "clinic_admin"])
def test_every_form_a_role_can_reach_submits_as_rendered(
    request, web_as, clinic_day, patient, therapy, nurse, today, persona
):
    user = request.getfixturevalue(persona)
    if persona == "patient_user":  # the diary opens once the nurse has taught the injection
        treatment_services.record_injection_teaching(
            therapy=therapy, nurse=nurse, taught_on=today, today=today
        )
    seen, problems, submitted = _walk(web_as(user), typed={"mrn": patient.mrn})
    assert problems == []
    minimum = {"clinician": 12, "nurse": 8, "patient_user": 4, "clinic_admin": 1}[persona]
    assert len(submitted) >= minimum, sorted(seen)
    assert MUST_SUBMIT[persona] <= submitted, sorted(submitted)


def test_every_form_a_visitor_can_reach_submits_as_rendered(django_app, clinician, db):
    """Before logging in: the log-in page, the forgotten-password page and an invitation."""
    newcomer = PatientFactory(given_name="New", family_name="Comer", user__is_active=False)
    invitation = invitations.send_invitation(patient=newcomer, actor=clinician)
    problems: list[str] = []
    submitted: set[str] = set()
    for start in ("/accounts/login/", urlsplit(invitations.link_for(invitation)).path):
        _, found, forms = _walk(django_app, typed={}, start=start)
        problems += found
        submitted |= forms
    assert problems == []
    assert {"accounts:login", "accounts:password_reset", "portal:accept"} <= submitted, submitted
