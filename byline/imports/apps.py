from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "byline.imports"
    label = "imports"
