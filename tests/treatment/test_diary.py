"""The injection diary as the patient and the nurse use it."""

import datetime as dt

from clinic_portal.audit.models import AuditEvent
from clinic_portal.notifications.models import OutboundEmail
from treatment import services
from treatment.models import AttentionItem, InjectionEntry


def test_before_teaching_the_home_says_the_nurse_will_show_how_to_inject(
    started_days_ago, web_as, patient_user
):
    started_days_ago(teach=False)
    home = web_as(patient_user).get("/")
    assert "Your nurse will show you how to inject" in home
    assert "Log today" not in home
    # The diary itself is closed too, with the same words.
    diary = web_as(patient_user).get("/my/treatment/diary/").follow()
    assert "Your nurse will show you how to inject" in diary


def test_a_nurse_records_teaching_and_the_diary_opens(
    started_days_ago, web_as, nurse, patient, patient_user, today
):
    started_days_ago(teach=False)
    page = web_as(nurse).get(f"/patients/{patient.uuid}/teaching/")
    page.forms[1].submit().follow()  # forms[0] is the log-out form in the navbar
    home = web_as(patient_user).get("/")
    assert "Log today&#x27;s injection" in home or "Log today's injection" in home
    assert "Your nurse will show you how to inject" not in home
    assert AuditEvent.objects.filter(action="treatment.teaching").exists()


def test_the_patient_logs_an_injection_at_the_suggested_site(course, web_as, patient_user, today):
    page = web_as(patient_user).get("/my/treatment/diary/")
    form = page.forms["diary-form"]
    assert form["site"].value == "abdomen_left"  # the suggestion is preselected
    page = form.submit().follow()
    entry = InjectionEntry.objects.get()
    assert (entry.kind, entry.day, entry.site) == ("taken", today, "abdomen_left")
    assert "Saved: injection" in page
    # The next suggestion moves on.
    assert page.forms["diary-form"]["site"].value == "abdomen_right"
    assert AuditEvent.objects.filter(action="diary.log_injection", actor=patient_user).exists()


def test_a_future_day_or_a_day_before_the_start_is_refused(course, web_as, patient_user, today):
    for bad in (today + dt.timedelta(days=1), course.start_date - dt.timedelta(days=1)):
        form = web_as(patient_user).get("/my/treatment/diary/").forms["diary-form"]
        form["day"] = bad.isoformat()
        page = form.submit(status=400)
        assert "in the future" in page or "started on" in page
    assert not InjectionEntry.objects.exists()


def test_the_same_day_twice_is_one_entry_with_a_clear_message(course, web_as, patient_user):
    app = web_as(patient_user)
    first = app.get("/my/treatment/diary/").forms["diary-form"]
    second = app.get("/my/treatment/diary/").forms["diary-form"]
    first.submit()
    page = second.submit(status=400)
    assert "already in your diary" in page
    assert InjectionEntry.objects.count() == 1


def test_a_severe_site_reaction_creates_an_item_for_the_primary_nurse(
    course, web_as, patient_user, nurse, today, django_capture_on_commit_callbacks, mailoutbox
):
    entry = services.log_injection(
        patient=course.patient,
        therapy=course,
        day=today - dt.timedelta(days=1),
        time=None,
        site="thigh_left",
        now=dt.datetime.now(),
        today=today,
    )
    form = web_as(patient_user).get(f"/my/treatment/diary/{entry.uuid}/reaction/").forms[1]
    form["reaction"] = "large"
    with django_capture_on_commit_callbacks(execute=True):
        page = form.submit().follow()
    assert "Your nurse has been told" in page
    item = AttentionItem.objects.get()
    assert (item.nurse, item.cause, item.entry) == (nurse, "SITE_REACTION", entry)
    assert OutboundEmail.objects.get(purpose="attention").to_email == nurse.email
    assert "thigh" not in mailoutbox[-1].body.lower()  # a link, no clinical detail
    # Saying it again (or "lasting" a week later on the same entry) does not add a duplicate.
    services.record_site_reaction(entry=entry, reaction="large")
    assert AttentionItem.objects.count() == 1


def test_a_mild_reaction_stays_in_the_diary_only(course, today):
    entry = services.log_injection(
        patient=course.patient,
        therapy=course,
        day=today,
        time=None,
        site="arm_left",
        reaction="mild",
        now=dt.datetime.now(),
        today=today,
    )
    assert entry.reaction == "mild"
    assert not AttentionItem.objects.exists()


def test_three_missed_doses_in_a_week_make_one_item(course, web_as, patient_user, today):
    for days_ago in (1, 3, 5):
        page = web_as(patient_user).get(
            f"/my/treatment/diary/missed/?day={(today - dt.timedelta(days=days_ago)).isoformat()}"
        )
        form = page.forms[1]
        form["reason"] = "forgot"
        form.submit().follow()
    item = AttentionItem.objects.get()
    assert item.cause == "MISSED_DOSES"
    services.log_missed_dose(
        patient=course.patient, therapy=course, day=today, reason="unwell", today=today
    )
    assert AttentionItem.objects.count() == 1  # the open item covers the run


def test_another_patient_cannot_reach_my_diary_entries(course, client_for, other_patient, today):
    entry = services.log_injection(
        patient=course.patient,
        therapy=course,
        day=today,
        time=None,
        site="arm_left",
        now=dt.datetime.now(),
        today=today,
    )
    client = client_for(other_patient.user)
    assert client.get(f"/my/treatment/diary/{entry.uuid}/reaction/").status_code == 404
    # Hand-built on purpose: another patient's entry renders no page and so no form.
    assert (
        client.post(
            f"/my/treatment/diary/{entry.uuid}/reaction/", {"reaction": "large"}
        ).status_code
        == 404
    )
    entry.refresh_from_db()
    assert entry.reaction == ""


def test_staff_see_adherence_and_reactions_on_the_record_and_the_read_is_audited(
    course, client_for, nurse, patient, today
):
    for days_ago in range(10):
        day = today - dt.timedelta(days=days_ago + 1)
        if days_ago in (2, 4):
            services.log_missed_dose(
                patient=patient, therapy=course, day=day, reason="no_supply", today=today
            )
        elif days_ago != 6:
            services.log_injection(
                patient=patient,
                therapy=course,
                day=day,
                time=None,
                site="arm_left",
                reaction="lasting" if days_ago == 8 else "none",
                now=dt.datetime.now(),
                today=today,
            )
    page = client_for(nurse).get(f"/patients/{patient.uuid}/record/diary/").content.decode()
    assert "<strong>7 of 10</strong> injections logged (70 %)" in page
    assert "2 missed with a reason, 1 with nothing logged" in page
    assert "it has lasted more than a week" in page
    assert AuditEvent.objects.filter(
        action="treatment.diary", actor=nurse, patient_uuid=patient.uuid, kind="read"
    ).exists()
    full = client_for(nurse).get(f"/patients/{patient.uuid}/diary/")
    assert full.status_code == 200 and "I had no Kineret at home" in full.content.decode()


def test_the_nurse_sees_and_closes_the_attention_item(course, web_as, nurse, today):
    services.log_injection(
        patient=course.patient,
        therapy=course,
        day=today,
        time=None,
        site="arm_left",
        reaction="large",
        now=dt.datetime.now(),
        today=today,
    )
    home = web_as(nurse).get("/")
    page = home.click(href="/treatment/attention/", index=0)
    assert course.patient.full_name in page
    form = page.forms[1]
    form[next(k for k in form.fields if k.endswith("note"))] = "Called; cold compress advised."
    page = form.submit().follow()
    assert "Nothing needs a look" in page
    assert AttentionItem.objects.get().resolution_note == "Called; cold compress advised."


def test_every_other_day_shows_the_next_injection_day(
    started_days_ago, web_as, patient_user, today
):
    started_days_ago(days=3, interval="every_other_day")
    page = web_as(patient_user).get("/my/treatment/")
    assert "every other day" in page
    tomorrow = today + dt.timedelta(days=1)
    assert f"{tomorrow:%A} {tomorrow.day} {tomorrow:%B}" in page


def _signed_screening_for(patient, clinician, today):
    from screening import services as screening_services
    from tests.screening.cases import CLEAR

    answers = {
        **CLEAR,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "planned_start": today.isoformat(),
    }
    screening = screening_services.start_screening(
        patient=patient,
        actor=clinician,
        answers=answers,
        evaluate_now=True,
        anc_sampled_on=today,
        today=today,
    )
    return screening_services.sign_screening(screening=screening, clinician=clinician, today=today)


def test_the_attention_list_costs_the_same_for_many_items(
    clinician, nurse, client_for, today, django_assert_max_num_queries
):
    from followups import services as followup_services
    from followups.models import TherapyCourse
    from tests.factories import PatientFactory

    client = client_for(nurse)
    for n in range(6):
        patient = PatientFactory(responsible_clinician=clinician, primary_nurse=nurse)
        therapy = followup_services.start_therapy(
            screening=_signed_screening_for(patient, clinician, today),
            actor=clinician,
            start_date=today,
            interval="daily",
            today=today,
        )
        TherapyCourse.objects.filter(pk=therapy.pk).update(start_date=today - dt.timedelta(days=5))
        therapy.refresh_from_db()
        services.log_injection(
            patient=patient,
            therapy=therapy,
            day=today - dt.timedelta(days=n % 3),
            time=None,
            site="arm_left",
            reaction="large",
            now=dt.datetime.now(),
            today=today,
        )
    with django_assert_max_num_queries(20):
        response = client.get("/treatment/attention/")
    assert response.content.decode().count("Close this item") == 6


def test_the_admin_shows_diary_entries_read_only_and_audits_the_read(
    course, client_for, clinic_admin, today
):
    entry = services.log_injection(
        patient=course.patient,
        therapy=course,
        day=today,
        time=None,
        site="arm_left",
        now=dt.datetime.now(),
        today=today,
    )
    client = client_for(clinic_admin)
    assert client.get("/admin/treatment/injectionentry/").status_code == 200
    assert client.get(f"/admin/treatment/injectionentry/{entry.pk}/change/").status_code == 200
    # Hand-built on purpose: the admin offers no delete page for diary entries.
    assert (
        client.post(
            f"/admin/treatment/injectionentry/{entry.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert InjectionEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(
        action="admin.injection_entry.view", actor=clinic_admin, patient_uuid=course.patient.uuid
    ).exists()
