from django.urls import path

from followups import views, views_course

app_name = "followups"

urlpatterns = [
    path("followups/", views.worklist, name="worklist"),
    path("followups/<uuid:followup_uuid>/", views.followup_detail, name="followup"),
    path("followups/<uuid:followup_uuid>/result/", views.followup_result, name="followup_result"),
    path(
        "followups/<uuid:followup_uuid>/vaccination/",
        views.followup_vaccination,
        name="followup_vaccination",
    ),
    path(
        "followups/<uuid:followup_uuid>/not-done/",
        views.followup_not_done,
        name="followup_not_done",
    ),
    path(
        "followups/<uuid:followup_uuid>/reschedule/",
        views.followup_reschedule,
        name="followup_reschedule",
    ),
    path(
        "screenings/<uuid:screening_uuid>/start-therapy/",
        views_course.therapy_start,
        name="therapy_start",
    ),
    path("therapies/<uuid:therapy_uuid>/stop/", views_course.therapy_stop, name="therapy_stop"),
    path(
        "therapies/<uuid:therapy_uuid>/postpone/",
        views_course.therapy_postpone,
        name="therapy_postpone",
    ),
    path(
        "therapies/<uuid:therapy_uuid>/cancel/", views_course.therapy_cancel, name="therapy_cancel"
    ),
    path(
        "therapies/<uuid:therapy_uuid>/confirm/",
        views_course.therapy_confirm,
        name="therapy_confirm",
    ),
    path(
        "therapies/<uuid:therapy_uuid>/extra-check/",
        views_course.therapy_extra_check,
        name="therapy_extra_check",
    ),
    path("patients/<uuid:patient_uuid>/results/new/", views.patient_result, name="patient_result"),
    path(
        "patients/<uuid:patient_uuid>/vaccinations/new/",
        views.patient_vaccination,
        name="patient_vaccination",
    ),
    path("alerts/<uuid:alert_uuid>/", views.alert_detail, name="alert"),
]
