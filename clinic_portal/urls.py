from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("clinic_portal.core.urls")),
    path("accounts/", include("clinic_portal.accounts.urls")),
    path("patients/", include("patients.urls")),
    path("", include("screening.urls")),
    path("", include("followups.urls")),
    path("", include("education.urls")),
    path("", include("portal.urls")),
    path("", include("treatment.urls")),
    path("audit/", include("clinic_portal.audit.urls")),
    path("", include("interop.urls")),
    path("fhir/R4/", include("interop.fhir.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Clinic Portal administration"
admin.site.site_title = "Clinic Portal admin"
