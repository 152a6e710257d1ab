"""Hero images come in smaller copies, so small screens download small pictures."""

import logging

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from byline.newsroom.models import Article
from tests.factories import ArticleFactory, jpeg

pytestmark = pytest.mark.django_db


def stored_size(name: str) -> tuple[int, int]:
    with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
        return image.size


def test_a_wide_hero_gets_narrower_copies_of_the_same_proportions_and_a_srcset(settings):
    article = ArticleFactory(hero_image=jpeg(1600, 900, "ferry.jpg"))
    article.refresh_from_db()
    sizes = article.hero_renditions["sizes"]
    assert [size["width"] for size in sizes] == [480, 800, 1200]
    for size in sizes:
        assert stored_size(size["name"]) == (size["width"], round(900 * size["width"] / 1600))
    srcset = article.hero_srcset
    assert srcset.endswith(f"{article.hero_image.url} 1600w")
    for size in sizes:
        assert f"{settings.MEDIA_URL}{size['name']} {size['width']}w" in srcset


def test_a_hero_narrower_than_every_copy_is_offered_alone():
    article = ArticleFactory(hero_image=jpeg(400, 300))
    assert article.hero_renditions["sizes"] == []
    assert article.hero_srcset == ""


def test_replacing_the_hero_replaces_its_copies_and_removing_it_removes_them():
    article = ArticleFactory(hero_image=jpeg(1000, 500, "first.jpg"))
    old = [size["name"] for size in article.hero_renditions["sizes"]]
    assert old and all(default_storage.exists(name) for name in old)

    article.hero_image = jpeg(900, 900, "second.jpg", colour=(200, 30, 30))
    article.save()
    article = Article.objects.get(pk=article.pk)
    assert not any(default_storage.exists(name) for name in old)
    new = article.hero_renditions["sizes"]
    assert [(size["width"], size["height"]) for size in new] == [(480, 480), (800, 800)]
    assert "second" in article.hero_srcset

    replaced = [size["name"] for size in new]
    article.hero_image = None
    article.save()
    article = Article.objects.get(pk=article.pk)
    assert article.hero_renditions == {}
    assert article.hero_srcset == ""
    assert not any(default_storage.exists(name) for name in replaced)


def test_saving_again_without_a_new_image_makes_no_new_copies():
    article = ArticleFactory(hero_image=jpeg(1000, 500))
    before = article.hero_renditions
    article.headline = "A new headline"
    article.save()
    assert Article.objects.get(pk=article.pk).hero_renditions == before


def test_an_unreadable_picture_gets_no_copies_and_the_page_still_has_the_original(caplog):
    broken = SimpleUploadedFile("broken.jpg", b"\xff\xd8\xff this is not really a jpeg", "image/jpeg")
    with caplog.at_level(logging.WARNING, logger="byline.newsroom.images"):
        article = ArticleFactory(hero_image=broken)
    assert article.hero_renditions["sizes"] == []
    assert article.hero_srcset == ""
    assert "Could not make smaller copies" in caplog.text
