from django.urls import path

from portal import views, views_patient

app_name = "portal"

urlpatterns = [
    path("invite/<str:token>/", views.accept, name="accept"),
    path("patients/<uuid:patient_uuid>/invite/", views.invite, name="invite"),
    path("concerns/", views.triage_list, name="triage"),
    path("concerns/<uuid:concern_uuid>/", views.triage_detail, name="triage_detail"),
    path("my/concerns/", views_patient.concern_list, name="concerns"),
    path("my/concerns/new/", views_patient.concern_start, name="concern_start"),
    path("my/concerns/new/<slug:category>/", views_patient.concern_new, name="concern_new"),
    path("my/concerns/<uuid:concern_uuid>/", views_patient.concern_detail, name="concern_detail"),
    path("my/access-log/", views_patient.access_log, name="access_log"),
    path("my/profile/", views_patient.profile_view, name="profile"),
    path("my/profile/email/<str:token>/", views_patient.confirm_email, name="confirm_email"),
]
