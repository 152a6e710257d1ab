from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "byline.core"
    label = "core"
    verbose_name = "Byline core"

    def ready(self) -> None:
        # Modules that declare BYLINE_* settings register them on import.
        from byline.core import error_middleware, ip, throttle  # noqa: F401
