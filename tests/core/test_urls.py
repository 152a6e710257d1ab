"""Remembered addresses follow the script prefix and the URL configuration they were made under."""

from django.test import override_settings
from django.urls import path, set_script_prefix

from byline.core.urls import cached_reverse
from byline.newsroom.models import article_path


def other_view(request):  # pragma: no cover - only reversed, never called
    raise AssertionError


urlpatterns = [
    path("front/", other_view, name="home"),
    path("elsewhere/<slug:slug>/", other_view, name="elsewhere"),
]


def test_an_address_made_under_one_prefix_is_not_reused_under_another():
    assert article_path("city", "ferry") == "/city/ferry/"
    set_script_prefix("/news/")
    try:
        assert article_path("city", "ferry") == "/news/city/ferry/"
    finally:
        set_script_prefix("/")
    assert article_path("city", "ferry") == "/city/ferry/"


def test_positional_and_keyword_arguments_are_kept_apart_per_url_configuration():
    assert cached_reverse("comments:profile", 7) == "/comments/readers/7/"
    assert cached_reverse("home") == "/"
    with override_settings(ROOT_URLCONF="tests.core.test_urls"):
        assert cached_reverse("home") == "/front/"
        assert cached_reverse("elsewhere", slug="a") == "/elsewhere/a/"
        assert cached_reverse("elsewhere", slug="b") == "/elsewhere/b/"
