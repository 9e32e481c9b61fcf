"""The clinician's screening workflow through the web: screen, review, sign, amend."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from clinic_portal.audit.models import AuditEvent
from patients.models import Allergy
from screening import services
from screening.models import FrozenScreeningError, Screening
from tests.screening.conftest import form_data


def test_the_new_screening_form_is_prefilled_from_the_record(client_for, clinician, patient):
    patient.relevant_conditions = "Asthma since childhood"
    patient.save()
    Allergy.objects.create(patient=patient, substance="Latex gloves", severity="moderate")
    form = client_for(clinician).get(reverse("screening:new", args=[patient.uuid])).context["form"]
    assert form.initial["date_of_birth"] == patient.date_of_birth.isoformat()
    assert form.initial["sex"] == "female"
    assert form.initial["medications"] == "Methotrexate 15 mg weekly"
    assert form.initial["latex_allergy"] == "yes"
    assert form.initial["asthma"] == "yes"
    assert "kidney_disease" not in form.initial  # silence is not "no"


def test_evaluating_a_complete_screening_stores_the_result_and_its_rule_set(
    client_for, clinician, patient, answers
):
    response = client_for(clinician).post(
        reverse("screening:new", args=[patient.uuid]), {**form_data(answers), "action": "evaluate"}
    )
    screening = Screening.objects.get()
    assert response.status_code == 302
    assert (screening.outcome, screening.rule_set) == ("clear", "kineret-2026.1")
    assert screening.result["dosing"] == "daily"
    page = client_for(clinician).get(screening.get_absolute_url()).content.decode()
    assert "Clear to start" in page and "100 mg once a day" in page
    assert AuditEvent.objects.filter(action="screening.view", patient_uuid=patient.uuid).exists()


def test_a_draft_is_saved_without_a_result(client_for, nurse, patient):
    client_for(nurse).post(
        reverse("screening:new", args=[patient.uuid]), {"asthma": "yes", "action": "draft"}
    )
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
    client_for, clinician, patient, answers, field, value, message
):
    data = {**form_data(answers), field: value, "action": "evaluate"}
    response = client_for(clinician).post(reverse("screening:new", args=[patient.uuid]), data)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not Screening.objects.exists()


def test_a_start_before_birth_is_refused(client_for, clinician, patient, answers, today):
    data = {**form_data(answers), "date_of_birth": "2999-01-01", "action": "evaluate"}
    response = client_for(clinician).post(reverse("screening:new", args=[patient.uuid]), data)
    assert response.status_code == 400
    assert not Screening.objects.exists()


def test_an_incomplete_screening_cannot_be_signed(client_for, clinician, make_screening, answers):
    screening = make_screening({**answers, "hiv": None})
    assert screening.outcome == "incomplete"
    response = client_for(clinician).post(reverse("screening:sign", args=[screening.uuid]))
    assert response.status_code == 400
    assert "incomplete screening cannot be signed" in response.content.decode()
    screening.refresh_from_db()
    assert screening.signed_at is None


def test_a_review_item_needs_an_acknowledgement_with_a_note_before_signing(
    client_for, clinician, make_screening, answers
):
    screening = make_screening({**answers, "asthma": True})
    client = client_for(clinician)
    refused = client.post(reverse("screening:sign", args=[screening.uuid]))
    assert refused.status_code == 400
    assert "Acknowledge every review item" in refused.content.decode()

    empty = client.post(
        reverse("screening:acknowledge", args=[screening.uuid]), {"code": "ASTHMA", "note": " "}
    )
    assert empty.status_code == 400
    client.post(
        reverse("screening:acknowledge", args=[screening.uuid]),
        {"code": "ASTHMA", "note": "Mild, well controlled on inhaler"},
    )
    signed = client.post(reverse("screening:sign", args=[screening.uuid]))
    assert signed.status_code == 302
    screening.refresh_from_db()
    assert screening.is_signed and screening.decision == "eligible"
    assert screening.signed_by == clinician
    assert AuditEvent.objects.filter(
        action="screening.sign", patient_uuid=screening.patient.uuid
    ).exists()


def test_an_unknown_code_cannot_be_acknowledged(client_for, clinician, make_screening, answers):
    screening = make_screening({**answers, "asthma": True})
    response = client_for(clinician).post(
        reverse("screening:acknowledge", args=[screening.uuid]),
        {"code": "PREGNANT", "note": "fine"},
    )
    assert response.status_code == 400
    assert not screening.acknowledgements.exists()


def test_a_contraindicated_screening_is_signed_only_as_not_started_with_a_reason(
    client_for, clinician, make_screening, answers
):
    screening = make_screening({**answers, "active_tb": True})
    client = client_for(clinician)
    assert client.post(reverse("screening:sign", args=[screening.uuid])).status_code == 400
    client.post(
        reverse("screening:sign", args=[screening.uuid]),
        {"not_started_reason": "Active TB; refer to chest clinic"},
    )
    screening.refresh_from_db()
    assert screening.decision == "not_started"
    assert screening.not_started_reason == "Active TB; refer to chest clinic"


def test_nurses_prepare_but_do_not_sign_or_acknowledge(client_for, nurse, make_screening, answers):
    screening = make_screening({**answers, "asthma": True}, actor=nurse)
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
    client_for, clinician, make_screening, answers
):
    screening = make_screening({**answers, "asthma": True})
    services.acknowledge_review_item(
        screening=screening, clinician=clinician, code="ASTHMA", note="ok"
    )
    client_for(clinician).post(
        reverse("screening:edit", args=[screening.uuid]),
        {**form_data({**answers, "asthma": True, "latex_allergy": True}), "action": "evaluate"},
    )
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
        services.sign_screening(screening=screening, clinician=clinician)


@pytest.fixture
def signed(clinician, make_screening, answers):
    screening = make_screening(answers)
    return services.sign_screening(screening=screening, clinician=clinician)


def test_a_signed_screening_cannot_be_edited_through_its_url(
    client_for, clinician, signed, answers
):
    client = client_for(clinician)
    assert client.get(reverse("screening:edit", args=[signed.uuid])).status_code == 302
    client.post(
        reverse("screening:edit", args=[signed.uuid]),
        {**form_data({**answers, "asthma": True}), "action": "evaluate"},
    )
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
    client = client_for(clinic_admin)
    url = reverse("admin:screening_screening_change", args=[signed.pk])
    assert client.post(url, {"outcome": "needs_review"}).status_code == 403
    signed.refresh_from_db()
    assert signed.outcome == "clear"


def test_amending_creates_a_new_screening_that_supersedes_when_signed(
    client_for, clinician, signed, patient, today
):
    client = client_for(clinician)
    response = client.post(reverse("screening:amend", args=[signed.uuid]))
    amendment = Screening.objects.exclude(pk=signed.pk).get()
    assert response["Location"] == reverse("screening:edit", args=[amendment.uuid])
    assert amendment.supersedes == signed and amendment.answers == signed.answers
    assert client.post(reverse("screening:amend", args=[signed.uuid])).status_code == 302
    assert Screening.objects.count() == 2  # amending twice reuses the open draft

    services.save_screening_answers(
        screening=amendment,
        actor=clinician,
        answers=signed.answers,
        evaluate_now=True,
        today=today,
    )
    services.sign_screening(screening=amendment, clinician=clinician)
    signed.refresh_from_db()
    assert signed.is_superseded
    assert list(Screening.objects.current()) == [amendment]
    html = client.get(patient.get_absolute_url()).content.decode()
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
    form = next(f for f in page.forms.values() if "/logout/" not in (f.action or ""))
    form["latex_allergy"] = "no"
    answer = form.submit("action", value="evaluate")
    assert answer.status_code == 302
    assert Screening.objects.get(patient=patient).answers["latex_allergy"] is False
