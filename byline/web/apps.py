from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "byline.web"
    label = "web"
    verbose_name = "Reader-facing pages"

    def ready(self) -> None:
        from byline.web import conf, invalidation  # noqa: F401  (conf registers the BYLINE_* settings)

        invalidation.connect()
