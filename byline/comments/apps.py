from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "byline.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from byline.accounts import data
        from byline.comments import conf, privacy  # noqa: F401  (conf registers the BYLINE_COMMENT* settings)

        data.register_exporter("comments", privacy.export_comments)
        data.register_exporter("comment_likes", privacy.export_likes)
        data.register_exporter("comment_reports", privacy.export_reports)
        data.register_eraser("comments", privacy.erase_reader)
