"""The ``core`` and ``patients`` URL namespaces, each with the pages of it that gather several
apps: the home page, the patient list and the record. The names stay those of the apps below
(``core:home``, ``patients:list``, ``patients:detail``), so no link changes."""

from django.urls import include, path

from care import views
from clinic_portal.core import urls as core_urls
from patients import urls as patient_urls

core = [path("", views.home, name="home"), *core_urls.urlpatterns]
patients = [
    path("", views.patient_list, name="list"),
    path("<uuid:patient_uuid>/", views.patient_detail, name="detail"),
    path("<uuid:patient_uuid>/record/<slug:tab>/", views.patient_detail, name="record_tab"),
    *patient_urls.urlpatterns,
]

urlpatterns = [
    path("", include((core, core_urls.app_name))),
    path("patients/", include((patients, patient_urls.app_name))),
]
