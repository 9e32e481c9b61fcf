"""The clinician's screening workflow through the web: screen, review, sign, amend."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from clinic_portal.core.clock import clinic_today
from patients.models import Allergy
from screening import services
from screening.models import FrozenScreeningError, Screening
from tests.screening.conftest import form_data
from tests.support.web import error_beside, fill, form_on, visible_errors


def screen(web, url: str, answers: dict, *, action: str = "evaluate", **typed):
    """Open the screening form at ``url``, answer it as ``answers`` say, type ``typed`` as
    written, and press the button (Evaluate or Save draft). Returns the answer, whatever it is."""
    form = fill(form_on(web.get(url), url), **(form_data(answers) | typed))
    return form.submit("action", value=action, status="*")


def form_posting_to(page, url: str):
    """The form on ``page`` that posts to ``url``, or None when the page offers none."""
    return next((f for f in page.forms.values() if f.action == url), None)


def test_the_new_screening_form_is_prefilled_from_the_record(web_as, clinician, patient):
    patient.relevant_conditions = "Asthma since childhood"
    patient.save()
    Allergy.objects.create(patient=patient, substance="Latex gloves", severity="moderate")
    url = reverse("screening:new", args=[patient.uuid])
    form = form_on(web_as(clinician).get(url), url)
    assert form["date_of_birth"].value == patient.date_of_birth.isoformat()
    assert form["sex"].value == "female"
    assert form["medications"].value == "Methotrexate 15 mg weekly"
    assert form["latex_allergy"].value == "yes"
    assert form["asthma"].value == "yes"
    assert form["kidney_disease"].value == ""  # silence is not "no"


def test_evaluating_a_complete_screening_stores_the_result_and_its_rule_set(
    web_as, clinician, patient, answers
):
    web = web_as(clinician)
    response = screen(web, reverse("screening:new", args=[patient.uuid]), answers)
    screening = Screening.objects.get()
    assert response.status_code == 302
    assert (screening.outcome, screening.rule_set) == ("clear", "kineret-2026.1")
    assert screening.result["dosing"] == "daily"
    page = response.follow().text
    assert "Clear to start" in page and "100 mg once a day" in page
    assert AuditEvent.objects.filter(action="screening.view", patient_uuid=patient.uuid).exists()


def test_a_draft_is_saved_without_a_result(web_as, nurse, patient):
    url = reverse("screening:new", args=[patient.uuid])
    form = fill(form_on(web_as(nurse).get(url), url), asthma="yes")
    assert form.submit("action", value="draft").status_code == 302
    screening = Screening.objects.get()
    assert screening.result is None and screening.outcome == ""
    assert screening.answers["asthma"] is True


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("anc_10e9_per_l", "-1", "greater than or equal to 0"),
        ("temperature_c", "60", "less than or equal to 45"),
        ("planned_start", "2001-01-01", "cannot be in the past"),
        ("tnf_blocker_last_dose", "2999-01-01", "cannot be in the future"),
        ("planned_surgery_date", "2001-01-01", "cannot be in the past"),
        ("tb_test", "perhaps", "Select a valid choice"),
        ("recent_vaccines", "MMR 2026-01-01", "write the name, a comma"),
        ("recent_vaccines", "MMR, 2999-01-01", "cannot be dated in the future"),
    ],
)
def test_impossible_answers_are_explained_beside_the_field_and_nothing_is_saved(
    web_as, clinician, patient, answers, field, value, message
):
    url = reverse("screening:new", args=[patient.uuid])
    response = screen(web_as(clinician), url, answers, **{field: value})
    assert response.status_code == 400
    assert message in error_beside(response, field)
    assert not Screening.objects.exists()


def test_a_start_before_birth_is_refused(web_as, clinician, patient, answers, today):
    url = reverse("screening:new", args=[patient.uuid])
    response = screen(web_as(clinician), url, {**answers, "date_of_birth": "2999-01-01"})
    assert response.status_code == 400
    assert error_beside(response, "date_of_birth")
    assert not Screening.objects.exists()


def test_an_incomplete_screening_cannot_be_signed(
    web_as, client_for, clinician, make_screening, answers
):
    screening = make_screening({**answers, "hiv": None})
    assert screening.outcome == "incomplete"
    sign = reverse("screening:sign", args=[screening.uuid])
    assert form_posting_to(web_as(clinician).get(screening.get_absolute_url()), sign) is None
    # Hand-built on purpose: the page offers no Sign button, so this is a forged request.
    response = client_for(clinician).post(sign)
    assert response.status_code == 400
    assert "incomplete screening cannot be signed" in response.content.decode()
    screening.refresh_from_db()
    assert screening.signed_at is None


def test_a_review_item_needs_an_acknowledgement_with_a_note_before_signing(
    web_as, client_for, clinician, make_screening, answers
):
    screening = make_screening({**answers, "asthma": True})
    web = web_as(clinician)
    sign = reverse("screening:sign", args=[screening.uuid])
    acknowledge = reverse("screening:acknowledge", args=[screening.uuid])
    page = web.get(screening.get_absolute_url())
    assert form_posting_to(page, sign) is None  # no Sign button before the note
    # Hand-built on purpose: the page offers no Sign button yet, so this is a forged request.
    refused = client_for(clinician).post(sign)
    assert refused.status_code == 400
    assert "Acknowledge every review item" in refused.content.decode()

    empty = fill(form_posting_to(page, acknowledge), note=" ").submit(status="*")
    assert empty.status_code == 400
    assert "ASTHMA" not in [a.code for a in screening.acknowledgements.all()]
    noted = fill(form_posting_to(empty, acknowledge), note="Mild, well controlled on inhaler")
    assert noted.submit(status="*").status_code == 302
    signed = form_posting_to(web.get(screening.get_absolute_url()), sign).submit(status="*")
    assert signed.status_code == 302
    screening.refresh_from_db()
    assert screening.is_signed and screening.decision == "eligible"
    assert screening.signed_by == clinician
    assert AuditEvent.objects.filter(
        action="screening.sign", patient_uuid=screening.patient.uuid
    ).exists()


def test_an_unknown_code_cannot_be_acknowledged(web_as, clinician, make_screening, answers):
    screening = make_screening({**answers, "asthma": True})
    page = web_as(clinician).get(screening.get_absolute_url())
    form = form_posting_to(page, reverse("screening:acknowledge", args=[screening.uuid]))
    form["code"].force_value("PREGNANT")  # tampered: a code this screening did not raise
    response = fill(form, note="fine").submit(status="*")
    assert response.status_code == 400
    assert not screening.acknowledgements.exists()


def test_a_contraindicated_screening_is_signed_only_as_not_started_with_a_reason(
    web_as, clinician, make_screening, answers
):
    screening = make_screening({**answers, "active_tb": True})
    sign = reverse("screening:sign", args=[screening.uuid])
    web = web_as(clinician)
    without_reason = form_posting_to(web.get(screening.get_absolute_url()), sign).submit(status="*")
    assert without_reason.status_code == 400
    assert any("reason" in shown for shown in visible_errors(without_reason))
    screening.refresh_from_db()
    assert not screening.is_signed
    form = form_posting_to(without_reason, sign)
    fill(form, not_started_reason="Active TB; refer to chest clinic").submit()
    screening.refresh_from_db()
    assert screening.decision == "not_started"
    assert screening.not_started_reason == "Active TB; refer to chest clinic"


def test_nurses_prepare_but_do_not_sign_or_acknowledge(
    web_as, client_for, nurse, make_screening, answers
):
    screening = make_screening({**answers, "asthma": True}, actor=nurse)
    page = web_as(nurse).get(screening.get_absolute_url())
    for name in ("screening:acknowledge", "screening:sign"):
        assert form_posting_to(page, reverse(name, args=[screening.uuid])) is None
    # Hand-built on purpose: the nurse's page offers neither form, so these are forged requests.
    client = client_for(nurse)
    assert (
        client.post(
            reverse("screening:acknowledge", args=[screening.uuid]), {"code": "ASTHMA", "note": "x"}
        ).status_code
        == 403
    )
    assert client.post(reverse("screening:sign", args=[screening.uuid])).status_code == 403
    screening.refresh_from_db()
    assert not screening.is_signed


def test_changing_the_answers_drops_acknowledgements_of_the_old_result(
    web_as, clinician, make_screening, answers
):
    screening = make_screening({**answers, "asthma": True})
    services.acknowledge_review_item(
        screening=screening, clinician=clinician, code="ASTHMA", note="ok"
    )
    url = reverse("screening:edit", args=[screening.uuid])
    form = fill(form_on(web_as(clinician).get(url), url), latex_allergy="yes")
    assert form.submit("action", value="evaluate").status_code == 302
    screening.refresh_from_db()
    assert screening.result["review_items"] == ["ASTHMA", "LATEX_ALLERGY"]
    assert not screening.acknowledgements.exists()


def test_signing_refuses_a_result_the_current_rules_would_not_give(
    clinician, make_screening, answers
):
    screening = make_screening(answers)
    stale = {**screening.result, "rule_set": "kineret-2025.9"}
    Screening.objects.filter(pk=screening.pk).update(result=stale)
    with pytest.raises(services.SigningError, match="rules have changed"):
        services.sign_screening(screening=screening, clinician=clinician, today=clinic_today())


@pytest.fixture
def signed(clinician, make_screening, answers):
    screening = make_screening(answers)
    return services.sign_screening(screening=screening, clinician=clinician, today=clinic_today())


def test_a_signed_screening_cannot_be_edited_through_its_url(
    web_as, clinician, make_screening, answers
):
    draft = make_screening(answers)
    url = reverse("screening:edit", args=[draft.uuid])
    web = web_as(clinician)
    # A second tab still shows the form opened before the screening was signed.
    stale = fill(form_on(web.get(url), url), asthma="yes")
    signed = services.sign_screening(screening=draft, clinician=clinician, today=clinic_today())
    assert web.get(url).status_code == 302
    stale.submit("action", value="evaluate", status="*")
    signed.refresh_from_db()
    assert signed.answers["asthma"] is False and signed.outcome == "clear"


def test_a_signed_screening_refuses_save_and_delete(signed):
    signed.outcome = "needs_review"
    with pytest.raises(FrozenScreeningError):
        signed.save()
    with pytest.raises(FrozenScreeningError):
        signed.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_change_a_signed_screening(signed):
    with pytest.raises(Exception, match="frozen"), transaction.atomic():
        Screening.objects.filter(pk=signed.pk).update(outcome="needs_review")
    with (
        pytest.raises(Exception, match="frozen"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM screening_screening WHERE id = %s", [signed.pk])


def test_the_admin_cannot_change_a_screening(client_for, clinic_admin, signed):
    # Hand-built on purpose: the admin shows screenings read-only, with no form to submit.
    client = client_for(clinic_admin)
    url = reverse("admin:screening_screening_change", args=[signed.pk])
    assert client.post(url, {"outcome": "needs_review"}).status_code == 403
    signed.refresh_from_db()
    assert signed.outcome == "clear"


def test_amending_creates_a_new_screening_that_supersedes_when_signed(
    web_as, clinician, signed, patient, today
):
    web = web_as(clinician)
    amend = reverse("screening:amend", args=[signed.uuid])
    response = form_posting_to(web.get(signed.get_absolute_url()), amend).submit()
    amendment = Screening.objects.exclude(pk=signed.pk).get()
    assert response.location == reverse("screening:edit", args=[amendment.uuid])
    assert amendment.supersedes == signed and amendment.answers == signed.answers
    again = form_posting_to(web.get(signed.get_absolute_url()), amend).submit()
    assert again.status_code == 302
    assert Screening.objects.count() == 2  # amending twice reuses the open draft

    services.save_screening_answers(
        screening=amendment,
        actor=clinician,
        answers=signed.answers,
        evaluate_now=True,
        today=today,
    )
    services.sign_screening(screening=amendment, clinician=clinician, today=today)
    signed.refresh_from_db()
    assert signed.is_superseded
    assert list(Screening.objects.current()) == [amendment]
    html = web.get(reverse("patients:record_tab", args=[patient.uuid, "screening"])).text
    assert html.count("Superseded") == 1 and "amends" in html


def test_a_draft_cannot_be_amended(clinician, make_screening, answers, today):
    with pytest.raises(services.SigningError):
        services.amend_screening(screening=make_screening(answers), actor=clinician, today=today)


def test_the_screening_service_refuses_an_archived_patient(clinician, patient, answers, today):
    from patients.services import archive_patient

    archive_patient(patient=patient, actor=clinician, reason="Moved away")
    patient.refresh_from_db()

    with pytest.raises(services.ScreeningRefused, match="archived"):
        services.start_screening(
            patient=patient, actor=clinician, answers=answers, evaluate_now=True, today=today
        )

    assert not Screening.objects.filter(patient=patient).exists()


def test_after_signing_the_pre_signing_instructions_are_gone(web_as, clinician, signed_screening):
    screening = signed_screening(asthma=True)  # a review item, acknowledged, then signed
    page = web_as(clinician).get(screening.get_absolute_url())
    assert "needs a note from the rheumatologist before signing" not in page.text
    assert "Needs your review" not in page.text
    assert "reviewed, with a note, before signing" in page.text
    assert not page.html.select("form[action$='/acknowledge/']")
    assert not page.html.select("form[action$='/sign/']")
    assert "Signing freezes the answers" not in page.text
    assert page.html.select_one("#signed-heading").get_text(strip=True) == "Signed"


def test_the_screening_form_lists_its_parts_with_progress_and_submits_as_rendered(
    web_as, clinician, patient
):
    from django.urls import reverse

    from screening.models import Screening

    page = web_as(clinician).get(reverse("screening:new", args=[patient.uuid]))
    parts = [
        " ".join(li.get_text(" ", strip=True).split())
        for li in page.html.select("nav[aria-labelledby='progress-heading'] li")
    ]
    assert parts[0] == "Patient and plan 1 to answer"  # born and sex come from the record
    assert "Allergies 3 to answer" in parts
    assert "Surgery Optional" in parts
    for li in page.html.select("nav[aria-labelledby='progress-heading'] a"):
        assert page.html.find(id=li["href"][1:]) is not None  # each entry jumps to its part
    form = form_on(page, reverse("screening:new", args=[patient.uuid]))
    form["latex_allergy"] = "no"
    answer = form.submit("action", value="evaluate")
    assert answer.status_code == 302
    assert Screening.objects.get(patient=patient).answers["latex_allergy"] is False
