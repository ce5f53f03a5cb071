from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeguard.hub.accounts"
    label = "accounts"
    verbose_name = "Accounts: staff, their agency, team and roles"
