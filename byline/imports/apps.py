from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "byline.imports"
    label = "imports"
    verbose_name = "Imports from WordPress and Disqus"

    def ready(self) -> None:
        from byline.imports import (
            conf,  # noqa: F401  (registers the BYLINE_IMPORT_* settings)
            signal_handlers,
        )

        signal_handlers.connect()
