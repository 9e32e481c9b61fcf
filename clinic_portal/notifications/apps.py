from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "clinic_portal.notifications"
    label = "notifications"
    verbose_name = "Outgoing email"
