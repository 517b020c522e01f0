from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "partnerboard.accounts"
    label = "accounts"
