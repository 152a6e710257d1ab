from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "byline.funding"
    label = "funding"
    verbose_name = "Reader funding"

    def ready(self) -> None:
        from byline.funding import conf  # noqa: F401  (registers the BYLINE_* settings)
