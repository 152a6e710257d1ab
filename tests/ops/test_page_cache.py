"""The anonymous page cache as readers and editors notice it: fast repeats, fresh after every change."""

import gzip
import time
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from byline.comments.models import Comment
from byline.comments.services import comment_approve, post_comment
from byline.newsroom.models import Article, Byline
from byline.web import caching
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def fetch(client: Client, url: str, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def body(response) -> str:
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return content.decode()


@pytest.fixture
def story():
    journalist = JournalistFactory(name="Mina Okafor", slug="mina-okafor")
    article = ArticleFactory(
        headline="Harbour ferry returns",
        slug="harbour-ferry",
        section=SectionFactory(slug="city", name="City"),
        journalists=[journalist],
    )
    article.tags.add(TagFactory(slug="transit", name="Transit"))
    return article


PAGES = ["/", "/city/", "/tags/transit/", "/journalists/mina-okafor/", "/city/harbour-ferry/"]


def test_second_anonymous_visit_is_served_from_cache_with_the_same_page(reader, story):
    for url in PAGES:
        first = fetch(reader, url)
        second = fetch(reader, url)
        assert first["X-Byline-Cache"] == "MISS"
        assert second["X-Byline-Cache"] == "HIT"
        assert body(first) == body(second)


def test_a_page_that_is_already_compressed_is_never_stored(reader, story, monkeypatch):
    """The cache keeps the page itself and gzips it once; a body some view had compressed already
    would be stored as if it were the page (and sent gzipped twice)."""
    from byline.web import views

    def compressed(request, article, **kwargs):
        response = HttpResponse(gzip.compress(f"<h1>{article.headline}</h1>".encode()))
        response["Content-Encoding"] = "gzip"
        return response

    monkeypatch.setattr(views, "_render_article", compressed)
    for encoding in ("gzip", "identity"):
        response = fetch(reader, "/city/harbour-ferry/", **{"Accept-Encoding": encoding})
        assert response.get("X-Byline-Cache") != "HIT"
        assert gzip.decompress(response.content) == b"<h1>Harbour ferry returns</h1>"


def test_cached_pages_tell_browsers_and_proxies_how_long_to_keep_them(reader, story, settings):
    settings.BYLINE_CACHE_MAX_AGE = 30
    settings.BYLINE_CACHE_S_MAXAGE = 120
    response = fetch(reader, "/city/harbour-ferry/")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=30", "s-maxage=120", "stale-while-revalidate=30"} <= cache_control
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"]
    assert "Cookie" in response["Vary"] and "Accept-Encoding" in response["Vary"]


def test_conditional_get_with_a_known_etag_or_date_answers_not_modified(reader, story):
    first = fetch(reader, "/city/harbour-ferry/")
    again = reader.get("/city/harbour-ferry/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    since = reader.get("/city/harbour-ferry/", headers={"If-Modified-Since": http_date(time.time() + 5)})
    assert since.status_code == 304
    changed = reader.get("/city/harbour-ferry/", headers={"If-None-Match": 'W/"something-else"'})
    assert changed.status_code == 200


def test_a_reader_who_accepts_gzip_gets_the_page_compressed_once_and_identical(reader, story):
    plain = fetch(reader, "/city/harbour-ferry/")
    zipped = fetch(reader, "/city/harbour-ferry/", **{"Accept-Encoding": "gzip, br"})
    assert zipped["Content-Encoding"] == "gzip"
    assert len(zipped.content) < len(plain.content)
    assert body(zipped) == body(plain)


def test_signed_in_readers_get_live_pages_that_no_shared_cache_keeps(story):
    client = Client()
    client.force_login(UserFactory())
    for _ in range(2):
        response = fetch(client, "/city/harbour-ferry/")
        assert "X-Byline-Cache" not in response
        assert "private" in response["Cache-Control"]


def test_requests_with_credentials_or_pending_messages_bypass_the_cache(story):
    for headers, cookies in [({"Authorization": "Bearer abc"}, {}), ({}, {"messages": "x"})]:
        client = Client()
        client.cookies.load(cookies)
        for _ in range(2):
            assert "X-Byline-Cache" not in fetch(client, "/city/harbour-ferry/", **headers)


def test_missing_pages_are_never_cached(reader, story):
    for _ in range(2):
        response = reader.get("/city/no-such-story/")
        assert response.status_code == 404
        assert "X-Byline-Cache" not in response


def test_responses_setting_cookies_or_carrying_a_csrf_token_are_not_stored():
    with_cookie = HttpResponse("page")
    with_cookie.set_cookie("csrftoken", "abc")
    assert not caching._storable(with_cookie)
    assert not caching._storable(HttpResponse('<input name="csrfmiddlewaretoken" value="secret">'))
    assert not caching._storable(HttpResponse("gone", status=410))
    assert caching._storable(HttpResponse("<p>an ordinary page</p>"))


def test_the_article_page_for_anonymous_readers_carries_no_per_reader_token(reader, story):
    first = fetch(reader, "/city/harbour-ferry/")
    assert "csrfmiddlewaretoken" not in body(first)
    assert not first.cookies
    assert fetch(reader, "/city/harbour-ferry/")["X-Byline-Cache"] == "HIT"


def test_tracking_parameters_share_the_cached_page_but_pagination_does_not(reader, story):
    fetch(reader, "/city/")
    assert fetch(reader, "/city/?utm_source=newsletter")["X-Byline-Cache"] == "HIT"
    assert fetch(reader, "/city/?page=1")["X-Byline-Cache"] == "MISS"
    assert fetch(reader, "/city/harbour-ferry/?sort=newest")["X-Byline-Cache"] == "MISS"


def warm(reader):
    for url in PAGES:
        fetch(reader, url)
        assert fetch(reader, url)["X-Byline-Cache"] == "HIT"


def test_editing_a_published_article_refreshes_every_page_it_is_on_at_once(reader, story, on_commit):
    warm(reader)
    with on_commit():
        story.headline = "Harbour ferry returns for the summer"
        story.save()
    for url in PAGES:
        response = fetch(reader, url)
        assert response["X-Byline-Cache"] == "MISS", url
        assert "Harbour ferry returns for the summer" in body(response), url


def test_a_new_article_shows_on_home_section_and_related_article_pages(reader, story, on_commit):
    warm(reader)
    with on_commit():
        ArticleFactory(headline="Night buses extended", slug="night-buses", section=story.section)
    assert "Night buses extended" in body(fetch(reader, "/"))
    assert "Night buses extended" in body(fetch(reader, "/city/"))
    assert fetch(reader, "/city/harbour-ferry/")["X-Byline-Cache"] == "MISS"


def test_an_article_in_another_section_sharing_a_tag_refreshes_the_related_list(reader, story, on_commit):
    warm(reader)
    with on_commit():
        other = ArticleFactory(section=SectionFactory(slug="region", name="Region"), slug="rail-link")
        other.tags.add(story.tags.get())
    assert fetch(reader, "/city/harbour-ferry/")["X-Byline-Cache"] == "MISS"
    assert fetch(reader, "/tags/transit/")["X-Byline-Cache"] == "MISS"


def test_unpublishing_and_deleting_an_article_removes_it_from_listings(reader, story, on_commit):
    warm(reader)
    with on_commit():
        story.status = Article.Status.DRAFT
        story.published_at = None
        story.save()
    assert "Harbour ferry returns" not in body(fetch(reader, "/"))
    assert reader.get("/city/harbour-ferry/").status_code == 404
    with on_commit():
        story.status = Article.Status.PUBLISHED
        story.save()
    warm(reader)
    with on_commit():
        story.delete()
    assert "Harbour ferry returns" not in body(fetch(reader, "/tags/transit/"))
    assert "Harbour ferry returns" not in body(fetch(reader, "/journalists/mina-okafor/"))


def test_editing_a_draft_leaves_published_pages_in_the_cache(reader, story, on_commit):
    draft = ArticleFactory(draft=True, section=story.section)
    warm(reader)
    with on_commit():
        draft.headline = "Still a draft"
        draft.save()
    assert fetch(reader, "/")["X-Byline-Cache"] == "HIT"
    assert fetch(reader, "/city/harbour-ferry/")["X-Byline-Cache"] == "HIT"


def test_a_renamed_journalist_shows_on_their_page_articles_and_listings(reader, story, on_commit):
    warm(reader)
    journalist = story.journalists.get()
    with on_commit():
        journalist.name = "Mina Okafor-Reyes"
        journalist.save()
    for url in PAGES:
        assert "Mina Okafor-Reyes" in body(fetch(reader, url)), url


def test_adding_a_byline_refreshes_the_article_and_the_new_journalists_page(reader, story, on_commit):
    newcomer = JournalistFactory(name="Teo Lind", slug="teo-lind")
    fetch(reader, "/journalists/teo-lind/")
    warm(reader)
    with on_commit():
        Byline.objects.create(article=story, journalist=newcomer, position=1)
    assert "Teo Lind" in body(fetch(reader, "/city/harbour-ferry/"))
    assert "Harbour ferry returns" in body(fetch(reader, "/journalists/teo-lind/"))


def test_approving_a_comment_shows_it_and_its_count_at_once(reader, story, on_commit):
    with on_commit():
        comment = Comment.objects.create(
            article=story,
            author=UserFactory(),
            body_source="A ferry at last.",
            body_html="<p>A ferry at last.</p>",
        )
    warm(reader)
    with on_commit():
        comment_approve(comment=comment)
    article_page = body(fetch(reader, "/city/harbour-ferry/"))
    assert "A ferry at last." in article_page
    assert "1 comment" in body(fetch(reader, "/"))


def test_a_new_held_comment_leaves_every_anonymous_page_cached_and_its_author_sees_it(
    reader, story, on_commit
):
    writer = UserFactory()
    author = Client()
    author.force_login(writer)
    assert "Held for now." not in body(fetch(author, "/city/harbour-ferry/"))
    warm(reader)
    with on_commit():
        Comment.objects.create(
            article=story, author=writer, body_source="Held for now.", body_html="<p>Held for now.</p>"
        )
    for url in PAGES:
        assert fetch(reader, url)["X-Byline-Cache"] == "HIT", url
    assert "Held for now." in body(fetch(author, "/city/harbour-ferry/"))
    assert "Held for now." not in body(fetch(reader, "/city/harbour-ferry/"))


def test_a_comment_held_for_moderation_stales_no_anonymous_page_and_a_published_one_all_of_them(
    reader, story, on_commit, settings
):
    settings.BYLINE_COMMENT_POLICY = "tests.ops.test_page_cache.hold_everything"
    warm(reader)
    with on_commit():
        result = post_comment(author=UserFactory(), article=story, body_source="Held for a moderator.")
    assert result.comment.status == Comment.Status.PENDING
    for url in PAGES:
        assert fetch(reader, url)["X-Byline-Cache"] == "HIT", url
    with on_commit():
        comment_approve(comment=result.comment)
    for url in PAGES:
        assert fetch(reader, url)["X-Byline-Cache"] == "MISS", url


def hold_everything(draft):
    from byline.comments.policy import PolicyDecision, Verdict

    return PolicyDecision(verdict=Verdict.HOLD, message_for_author="A moderator will look at it.")


def test_a_page_rendered_before_the_commit_is_not_served_after_it(
    reader, story, django_capture_on_commit_callbacks
):
    warm(reader)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story.headline = "Not committed yet"
        story.save()
    # Inside the transaction the edit is already visible (the tokens were bumped at once)…
    assert fetch(reader, "/city/harbour-ferry/")["X-Byline-Cache"] == "MISS"
    assert fetch(reader, "/city/harbour-ferry/")["X-Byline-Cache"] == "HIT"
    # …and what was rendered before the commit is dropped by the bump after it.
    for callback in callbacks:
        callback()
    assert fetch(reader, "/city/harbour-ferry/")["X-Byline-Cache"] == "MISS"


def test_renaming_a_section_refreshes_the_navigation_on_every_page(reader, story, on_commit):
    warm(reader)
    with on_commit():
        story.section.name = "Metro"
        story.section.save()
    for url in PAGES:
        assert fetch(reader, url)["X-Byline-Cache"] == "MISS", url


def test_a_page_rendered_during_an_edit_is_not_served_after_it(reader, story):
    """The tokens are read before rendering: a change committed meanwhile makes the stored page stale."""
    key_paths = ["/city/harbour-ferry/", "/city/", caching.SITE_WIDE]
    versions = caching.ensure_versions(key_paths)
    caching.invalidate_paths(["/city/"])
    assert caching._versions(key_paths) != versions


def test_a_scheduled_article_appears_on_time_even_on_cached_pages(reader, story, on_commit):
    with on_commit():
        ArticleFactory(
            headline="Budget day",
            slug="budget-day",
            section=story.section,
            status=Article.Status.SCHEDULED,
            published_at=timezone.now() + timedelta(seconds=2),
        )
    home = fetch(reader, "/")
    assert "Budget day" not in body(home)
    max_age = int(home["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age <= 2
    assert "stale-while-revalidate" not in home["Cache-Control"]
    time.sleep(2.2)
    assert "Budget day" in body(fetch(reader, "/"))


def test_turning_the_cache_off_serves_every_page_live(reader, story, settings):
    settings.BYLINE_PAGE_CACHE = False
    fetch(reader, "/")
    assert "X-Byline-Cache" not in fetch(reader, "/")


def test_a_correction_appended_to_an_article_is_on_its_cached_page_at_once(reader, story, on_commit):
    from byline.newsroom.models import ArticleNote

    warm(reader)
    with on_commit():
        ArticleNote.objects.create(article=story, text="An earlier version named the wrong pier.")
    assert "An earlier version named the wrong pier." in body(fetch(reader, "/city/harbour-ferry/"))


def test_a_journalists_new_link_is_on_their_article_page_at_once(reader, story, on_commit):
    from byline.journalists.models import JournalistLink

    warm(reader)
    with on_commit():
        JournalistLink.objects.create(
            journalist=story.journalists.get(), label="Newsletter", url="https://example.org/n"
        )
    assert "https://example.org/n" in body(fetch(reader, "/journalists/mina-okafor/"))
    assert fetch(reader, "/city/harbour-ferry/")["X-Byline-Cache"] == "MISS"


@pytest.fixture
def discussed(story, on_commit):
    author = UserFactory(display_name="Harbour Watcher")
    with on_commit():
        comment = Comment.objects.create(
            article=story, author=author, body_source="Good.", body_html="<p>Good.</p>", status="approved"
        )
    return comment


def test_a_like_updates_the_cached_count_on_the_article_page(reader, story, discussed, on_commit):
    from byline.comments.reactions import comment_like_toggle

    warm(reader)
    with on_commit():
        comment_like_toggle(comment=discussed, user=UserFactory())
    assert fetch(reader, "/city/harbour-ferry/")["X-Byline-Cache"] == "MISS"
    assert fetch(reader, "/")["X-Byline-Cache"] == "HIT"


def test_a_reader_renaming_themselves_is_shown_under_their_comments(reader, story, discussed, on_commit):
    warm(reader)
    assert "Harbour Watcher" in body(fetch(reader, "/city/harbour-ferry/"))
    with on_commit():
        discussed.author.display_name = "Pier Regular"
        discussed.author.save()
    assert "Pier Regular" in body(fetch(reader, "/city/harbour-ferry/"))


def test_signing_in_does_not_empty_the_cache(reader, story, discussed, on_commit):
    warm(reader)
    with on_commit():
        Client().force_login(discussed.author)
    assert fetch(reader, "/city/harbour-ferry/")["X-Byline-Cache"] == "HIT"


def test_a_deleted_account_no_longer_names_its_comments_on_cached_pages(reader, story, discussed, on_commit):
    warm(reader)
    with on_commit():
        discussed.author.delete()
    assert "Harbour Watcher" not in body(fetch(reader, "/city/harbour-ferry/"))


def test_a_request_for_an_unknown_host_is_refused_not_cached(story):
    response = Client(HTTP_HOST="evil.example").get("/city/harbour-ferry/")
    assert response.status_code == 400
