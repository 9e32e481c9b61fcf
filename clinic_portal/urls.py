from django.contrib import admin
from django.urls import include, path

from clinic_portal.core import audit_export

urlpatterns = [
    # The home page, the healthz probe, and every patients/ page (the list and the record join
    # the app's own pages there).
    path("", include("care.urls")),
    path("accounts/", include("clinic_portal.accounts.urls")),
    path("", include("screening.urls")),
    path("", include("followups.urls")),
    path("", include("education.urls")),
    path("", include("portal.urls")),
    path("", include("treatment.urls")),
    path("audit/", include((audit_export.urlpatterns, "audit"))),
    path("", include("interop.urls")),
    path("fhir/R4/", include("interop.fhir.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Clinic Portal administration"
admin.site.site_title = "Clinic Portal admin"
