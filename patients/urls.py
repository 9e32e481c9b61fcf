from django.urls import path

from patients import views

app_name = "patients"

# The list (``patients:list``) and the record (``patients:detail``) show what other apps know
# about the patient; care/urls.py adds them to this namespace.
urlpatterns = [
    path("new/", views.patient_enroll, name="enroll"),
    path("<uuid:patient_uuid>/edit/", views.patient_edit, name="edit"),
    path("<uuid:patient_uuid>/history/", views.patient_history, name="history"),
    path("<uuid:patient_uuid>/archive/", views.patient_archive, name="archive"),
    path("<uuid:patient_uuid>/restore/", views.patient_restore, name="restore"),
]
