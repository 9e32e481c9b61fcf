from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [
    path("patients/<uuid:patient_uuid>/screenings/new/", views.screening_new, name="new"),
    path("screenings/<uuid:screening_uuid>/", views.screening_detail, name="detail"),
    path("screenings/<uuid:screening_uuid>/edit/", views.screening_edit, name="edit"),
    path(
        "screenings/<uuid:screening_uuid>/acknowledge/",
        views.screening_acknowledge,
        name="acknowledge",
    ),
    path("screenings/<uuid:screening_uuid>/sign/", views.screening_sign, name="sign"),
    path("screenings/<uuid:screening_uuid>/amend/", views.screening_amend, name="amend"),
    path(
        "screenings/<uuid:screening_uuid>/update-medicines/",
        views.screening_update_medicines,
        name="update_medicines",
    ),
]
