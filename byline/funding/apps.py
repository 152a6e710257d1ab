from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "byline.funding"
    label = "funding"
    verbose_name = "Reader funding"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from byline.funding import checks, conf  # noqa: F401  (registers the settings and system checks)
        from byline.funding.roles import grant_editor_funding_permissions

        post_migrate.connect(grant_editor_funding_permissions, sender=self)
