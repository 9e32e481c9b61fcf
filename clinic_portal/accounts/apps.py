from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clinic_portal.accounts"
    label = "accounts"
    verbose_name = "Accounts"
