from django.urls import path

from interop import views

app_name = "interop"

urlpatterns = [
    path("lab-results/unmatched/", views.unmatched_list, name="unmatched"),
    path("lab-results/<uuid:lab_result_uuid>/", views.unmatched_detail, name="unmatched_detail"),
    path(
        "lab-results/<uuid:lab_result_uuid>/attach/<uuid:patient_uuid>/",
        views.attach,
        name="attach",
    ),
    path("lab-results/<uuid:lab_result_uuid>/reject/", views.reject, name="reject"),
    path("api-clients/", views.api_clients, name="api_clients"),
    path(
        "api-clients/<uuid:api_client_uuid>/revoke/",
        views.revoke_api_client,
        name="revoke_api_client",
    ),
]
