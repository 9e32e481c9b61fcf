from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("invite/<str:token>/", views.accept, name="accept"),
    path("patients/<uuid:patient_uuid>/invite/", views.invite, name="invite"),
]
