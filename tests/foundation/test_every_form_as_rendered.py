"""Every form of every role, submitted exactly as the page rendered it.

A crawler starts at each role's home, follows the links a person could click and submits every
form it meets, unchanged. Each answer must be a success (a page or a redirect to one) or a page
that shows the person what to fix. A bare 400 (an error on a field nobody can see, the way the
patient edit form once failed) or any 500 fails here, whichever page it hides on.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from webtest.forms import Submit

from education import services as education_services
from followups import services as followup_services
from portal import concerns
from portal.models import Concern
from screening import services as screening_services
from tests.screening.cases import CLEAR
from tests.support.web import all_forms, visible_errors

# Places a crawl must not go: leaving the session, the Django admin (its own tested app) and
# downloads.
SKIP_PREFIXES = ("/accounts/logout/", "/admin/", "/static/", "/audit/export/")
MAX_PAGES = 150


@pytest.fixture
def clinic_day(therapy, patient, patient_user, clinician, nurse, other_patient, today):
    """One patient on Kineret with a low count (an alert), an urgent and a routine report, a
    draft screening for another patient, and a draft education page."""
    followup_services.record_result(
        patient=patient, actor=nurse, value=Decimal("0.9"), sample_date=today, lab="City lab"
    )
    for category, details in (
        (Concern.Category.FEVER, {"temperature": "38.6", "since": today.isoformat()}),
        (Concern.Category.OTHER, {}),
    ):
        concerns.report_concern(
            patient=patient, author=patient_user, category=category, details=details, message="x"
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
    )
    education_services.create_page(
        actor=nurse, title="Travelling with syringes", slug="travelling", summary="x", body="Draft."
    )


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


def _submit(form):
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
    elif response.status_code not in (200, 204):
        problems.append(f"{where}: {response.status_code}")


def _walk(app, start: str = "/") -> tuple[set[str], list[str], int]:
    seen_paths: set[str] = set()
    queue = [start]
    problems: list[str] = []
    submitted = 0
    while queue and len(seen_paths) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen_paths:
            continue
        seen_paths.add(path)
        page = app.get(url, status="*")
        if page.status_code in (301, 302):
            page = page.follow(status="*")
        if page.status_code != 200 or "text/html" not in page.content_type:
            if page.status_code >= 500:
                problems.append(f"GET {url}: {page.status_code}")
            continue
        queue.extend(_links(page))
        for index, form in enumerate(all_forms(page)):
            if "/logout/" in (form.action or ""):
                continue
            # Submitting may change what the page shows: fetch it afresh for each form.
            fresh = app.get(url, status="*")
            forms = all_forms(fresh) if fresh.status_code == 200 else []
            if index >= len(forms):
                continue
            form = forms[index]
            submitted += 1
            where = f"{form.method.upper()} {form.action or url} (form {index} on {url})"
            _check_answer(where, _submit(form), problems)
    return seen_paths, problems, submitted


@pytest.mark.parametrize("persona", ["clinician", "nurse", "patient_user", "clinic_admin"])
def test_every_form_a_role_can_reach_submits_as_rendered(request, web_as, clinic_day, persona):
    user = request.getfixturevalue(persona)
    seen, problems, submitted = _walk(web_as(user))
    assert problems == []
    # The walk really walked: each role meets its own forms.
    minimum = {"clinician": 12, "nurse": 8, "patient_user": 4, "clinic_admin": 1}[persona]
    assert submitted >= minimum, sorted(seen)
