from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "byline.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from byline.accounts import conf  # noqa: F401  (registers the accounts' BYLINE_* settings)
