from django.urls import path

from interop.fhir import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("Observation", views.observations, name="observations"),
    path("<str:resource_type>", views.search, name="search"),
    path("<str:resource_type>/<uuid:resource_uuid>", views.read, name="read"),
]
