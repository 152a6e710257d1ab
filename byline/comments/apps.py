from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "byline.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from byline.comments import conf  # noqa: F401  (registers the BYLINE_COMMENT* settings)
