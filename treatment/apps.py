from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentConfig(AppConfig):
    name = "treatment"
    verbose_name = _("My treatment")
    default_auto_field = "django.db.models.BigAutoField"
