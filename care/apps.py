from django.apps import AppConfig


class CareConfig(AppConfig):
    """The composition layer: pages and jobs that gather several apps (the record page's
    sections, the patient list's care columns, the role home pages, the patient banner, the demo
    seed). It sits above every domain app and nothing imports it."""

    name = "care"
    verbose_name = "Care (pages that gather several apps)"
