"""Byline's settings plus load shedding, for `bench/overload.py --shed` until settings.py carries it."""

from byline.settings import *  # noqa: F403
from byline.settings import MIDDLEWARE

MIDDLEWARE = ["byline.core.error_middleware.LoadSheddingMiddleware", *MIDDLEWARE]
