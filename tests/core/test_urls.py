"""Remembered addresses follow the script prefix and the URL configuration they were made under."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, path, register_converter, reverse, set_script_prefix

from byline.core import urls
from byline.core.urls import cached_reverse
from byline.newsroom.models import article_path


def other_view(request):  # pragma: no cover - only reversed, never called
    raise AssertionError


class Odd:
    """A converter that takes only odd numbers (Django asks `to_url` when reversing)."""

    regex = "[0-9]+"

    def to_python(self, value):  # pragma: no cover - only reversed
        return int(value)

    def to_url(self, value):
        if value % 2 == 0:
            raise ValueError("even")
        return str(value)


register_converter(Odd, "odd")

urlpatterns = [
    path("front/", other_view, name="home"),
    path("elsewhere/<slug:slug>/", other_view, name="elsewhere"),
    path("pair/<int:first>/to/<int:second>/", other_view, name="pair"),
    path("odd/<odd:number>/", other_view, name="odd"),
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


def test_numbered_addresses_are_those_reverse_gives_without_asking_it_again(monkeypatch):
    with override_settings(ROOT_URLCONF="tests.core.test_urls"):
        assert cached_reverse("pair", 3, 14) == reverse("pair", args=[3, 14]) == "/pair/3/to/14/"
        assert cached_reverse("odd", 5) == "/odd/5/"
        with pytest.raises(NoReverseMatch):
            cached_reverse("odd", 6)  # the converter still has its say
    assert cached_reverse("comments:edit", 41) == reverse("comments:edit", args=[41])
    urls._numbered.cache_clear()  # as in a fresh worker
    calls = []
    monkeypatch.setattr("byline.core.urls.reverse", lambda *a, **k: calls.append(a) or reverse(*a, **k))
    assert cached_reverse("comments:edit", 9_000_001) == "/comments/9000001/edit/"
    assert cached_reverse("comments:reply", 9_000_002) == "/comments/9000002/reply/"
    assert cached_reverse("comments:edit", 9_000_003) == "/comments/9000003/edit/"
    assert calls == [("comments:edit",), ("comments:reply",)]  # once per name, not once per comment
