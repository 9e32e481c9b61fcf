from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "clinic_portal.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from clinic_portal.audit import (  # noqa: F401  (signal receivers and system checks)
            auth_events,
            checks,
        )
