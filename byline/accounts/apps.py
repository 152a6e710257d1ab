from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "byline.accounts"
    label = "accounts"
    verbose_name = "Accounts"
