from django.urls import path

from treatment import views_patient, views_staff

app_name = "treatment"

urlpatterns = [
    # The patient's own pages.
    path("my/treatment/", views_patient.my_treatment, name="mine"),
    path("my/treatment/diary/", views_patient.diary, name="diary"),
    path("my/treatment/diary/missed/", views_patient.missed, name="missed"),
    path(
        "my/treatment/diary/<uuid:entry_uuid>/reaction/",
        views_patient.reaction,
        name="reaction",
    ),
    path("my/treatment/review-score/", views_patient.review_score, name="review_score"),
    path("my/treatment/card.pdf", views_patient.card_pdf, name="card"),
    path("my/treatment/letter.pdf", views_patient.letter_pdf, name="letter"),
    path("my/treatment/other-doctor/", views_patient.other_doctor, name="other_doctor"),
    path("my/treatment/calendar/", views_patient.calendar, name="calendar"),
    # Staff.
    path("patients/<uuid:patient_uuid>/diary/", views_staff.patient_diary, name="patient_diary"),
    path("patients/<uuid:patient_uuid>/teaching/", views_staff.teaching, name="teaching"),
    path("patients/<uuid:patient_uuid>/cdai/", views_staff.cdai, name="cdai"),
    path("patients/<uuid:patient_uuid>/card.pdf", views_staff.staff_card, name="staff_card"),
    path("patients/<uuid:patient_uuid>/letter.pdf", views_staff.staff_letter, name="staff_letter"),
    path("treatment/attention/", views_staff.attention, name="attention"),
    path(
        "treatment/attention/<uuid:item_uuid>/resolve/",
        views_staff.attention_resolve,
        name="attention_resolve",
    ),
    path("treatment/calendar/", views_staff.staff_calendar, name="staff_calendar"),
    # Calendar apps fetch this without a session; the token is the key.
    path("calendar/<slug:token>.ics", views_staff.feed, name="feed"),
]
