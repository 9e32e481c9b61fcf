from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "clinic_portal.notifications"
    label = "notifications"
    verbose_name = _("Outgoing email")

    def ready(self) -> None:
        # Register the delivery task in every process (the services publish it by name).
        from clinic_portal.notifications import tasks  # noqa: F401
