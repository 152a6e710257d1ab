from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "byline.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from byline.moderation import conf, signal_handlers  # noqa: F401 - registers settings and receivers
