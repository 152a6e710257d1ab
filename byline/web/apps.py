from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "byline.web"
    label = "web"
    verbose_name = "Reader-facing pages"
