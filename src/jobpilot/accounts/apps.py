from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jobpilot.accounts"
    label = "accounts"
