from django.urls import path

from clinic_portal.audit import views

app_name = "audit"

urlpatterns = [path("export/", views.export_audit_log, name="export")]
