from django.apps import AppConfig


class JournalistsConfig(AppConfig):
    name = "byline.journalists"
    label = "journalists"
    verbose_name = "Journalists"
