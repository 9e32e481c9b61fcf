from django.urls import path

from clinic_portal.core import views

app_name = "core"

# The home page (``core:home``) gathers several apps; care/urls.py adds it to this namespace.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
