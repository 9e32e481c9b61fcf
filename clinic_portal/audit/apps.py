from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "clinic_portal.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from clinic_portal.audit import auth_events  # noqa: F401  (connects auth signal receivers)
