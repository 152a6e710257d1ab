from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "byline.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from byline.newsroom import conf, signal_handlers  # noqa: F401 — conf registers BYLINE_* settings
        from byline.newsroom.roles import ensure_staff_groups

        signal_handlers.connect()
        post_migrate.connect(ensure_staff_groups, sender=self)
