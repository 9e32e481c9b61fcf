from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "treatment"
    verbose_name = "My treatment"
    default_auto_field = "django.db.models.BigAutoField"
