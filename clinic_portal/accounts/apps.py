from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clinic_portal.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from clinic_portal.accounts import language  # noqa: F401  (the log-in receiver)
