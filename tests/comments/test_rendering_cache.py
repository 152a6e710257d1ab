"""The comment list is rendered once and shared by readers (byline.comments.rendering): what each reader sees
must still be exactly theirs and current — their controls, their likes, their CSRF token, every change."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from byline.comments import reactions, services
from byline.comments.models import Comment
from byline.comments.selectors import comment_section_for_article
from byline.web.caching import SITE_WIDE, invalidate_paths, version_key
from byline.web.fragments import comment_version_paths
from tests.comments.factories import CommentFactory, CommentLikeFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def page(client: Client, article, query: str = "") -> str:
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def comment_html(html: str, comment: Comment) -> str:
    """The part of the page that is this comment, up to its replies or the next comment."""
    start = html.rindex("<li ", 0, html.index(f'id="comment-{comment.pk}"'))
    ends = [i for i in (html.find("<li ", start + 1), html.find("</li>", start)) if i != -1]
    return html[start : min(ends)]


@pytest.fixture
def author():
    return UserFactory(display_name="Ada Author")


@pytest.fixture
def other():
    return UserFactory(display_name="Bo Other")


@pytest.fixture
def thread(article, author, other):
    root = CommentFactory(article=article, author=author, body_source="The ferry was late again.")
    reply = CommentFactory(parent=root, author=other, body_source="It was on time on Tuesday.")
    return root, reply


def section_html(article, user, *, cached: bool) -> str:
    """The COMMENTS section for `user`, from the shared cache or rendered live (CSRF tokens blanked)."""
    request = RequestFactory().get(article.get_absolute_url())
    request.user = user
    paths = comment_version_paths(article.get_absolute_url())
    keys = [version_key(path) for path in paths] if cached else None
    section = comment_section_for_article(article=article, request=request, version_keys=keys)
    assert bool(section.rendered) == cached
    html = section.rendered or render_to_string("comments/_section.html", {"comments": section}, request)
    return TOKEN.sub("TOKEN", html)


def test_the_shared_section_shows_each_reader_what_a_live_render_shows(article, thread, author, other):
    root, reply = thread
    removed = CommentFactory(article=article, author=other, body_source="Never mind.")
    services.comment_remove(comment=removed, user=other)
    CommentFactory(article=article, author=UserFactory(), is_featured=True, body_source="A staff pick.")
    CommentLikeFactory(comment=root, user=other)
    Comment.objects.filter(pk=root.pk).update(like_count=1)
    # The author's own comment, past the edit window: delete only, no edit.
    CommentFactory(article=article, author=author, created_at=timezone.now() - timedelta(hours=2))
    unverified, inactive = UserFactory(email_verified_at=None), UserFactory(is_active=False)
    readers = (author, other, unverified, inactive, AnonymousUser())
    for comments_open in (True, False):
        article.comments_open = comments_open
        for reader in readers:
            live = section_html(article, reader, cached=False)
            assert section_html(article, reader, cached=True) == live  # filled on a miss
            assert section_html(article, reader, cached=True) == live  # served from the cache
    liked = 'aria-pressed="true"><span data-like-label>Liked</span>'
    assert liked in section_html(article, other, cached=True)


def test_own_controls_never_leak_to_another_reader(article, thread, author, other):
    root, _ = thread
    edit_form = f'action="{reverse("comments:edit", args=[root.pk])}"'
    for first, second in ((author, other), (other, author)):  # whoever fills the cache first
        cache.clear()
        first_page, second_page = page(signed_in(first), article), page(signed_in(second), article)
        by_author, by_other = (first_page, second_page) if first == author else (second_page, first_page)
        assert edit_form in comment_html(by_author, root)
        assert "comment-mine" in comment_html(by_author, root)
        assert edit_form not in by_other
        assert "comment-mine" not in comment_html(by_other, root)
        assert "The ferry was late again." in comment_html(by_other, root)
        assert f'formaction="{reverse("comments:like", args=[root.pk])}"' in comment_html(by_other, root)


def test_every_form_carries_the_readers_own_csrf_token(article, thread, other):
    root, _ = thread
    alice, bob = (
        signed_in(other, enforce_csrf_checks=True),
        signed_in(UserFactory(), enforce_csrf_checks=True),
    )
    page(bob, article)  # bob fills the shared cache
    html = page(alice, article)
    secret = alice.cookies["csrftoken"].value
    tokens = TOKEN.findall(html)
    assert len(tokens) > 3
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}  # the cookie holds the secret
    like = alice.post(reverse("comments:like", args=[root.pk]), {"csrfmiddlewaretoken": tokens[-1]})
    assert like.status_code == 302  # accepted, not 403


def test_an_edit_shows_at_once(article, thread, author, other):
    root, _ = thread
    reader = signed_in(other)
    assert "The ferry was late again." in page(reader, article)
    services.comment_edit(comment=root, user=author, body_source="The ferry was early, for once.")
    html = page(reader, article)
    assert "The ferry was early, for once." in html and "The ferry was late again." not in html


def test_a_deleted_comment_shows_as_removed_at_once(article, thread, author, other):
    root, _ = thread
    reader = signed_in(other)
    page(reader, article)
    services.comment_remove(comment=root, user=author)
    html = page(reader, article)
    assert "The ferry was late again." not in html
    assert "Comment removed" in comment_html(html, root)


def test_a_comment_hidden_by_a_moderator_goes_at_once_for_others_and_stays_for_its_author(
    article, thread, author, other
):
    root, reply = thread
    reader, writer = signed_in(UserFactory()), signed_in(other)
    assert "It was on time on Tuesday." in page(reader, article)
    page(writer, article)
    services.comment_reject(comment=reply, reason="Off-topic")
    assert "It was on time on Tuesday." not in page(reader, article)
    own = page(writer, article)
    assert "It was on time on Tuesday." in own and "Not published: Off-topic" in own


def test_a_like_shows_at_once_to_the_liker_and_to_everyone_else(article, thread, other):
    root, _ = thread
    liker, onlooker = signed_in(other), signed_in(UserFactory())
    assert "<span data-like-count>0</span>" in comment_html(page(onlooker, article), root)
    page(liker, article)
    reactions.comment_like_toggle(comment=root, user=other)
    assert "<span data-like-count>1</span>" in comment_html(page(onlooker, article), root)
    mine = comment_html(page(liker, article), root)
    assert 'aria-pressed="true"><span data-like-label>Liked</span> <span data-like-count>1</span>' in mine
    reactions.comment_like_toggle(comment=root, user=other)
    assert 'aria-pressed="false"><span data-like-label>Like</span> <span data-like-count>0</span>' in (
        comment_html(page(liker, article), root)
    )


def test_a_new_reply_and_its_authors_held_comment(article, thread, other):
    root, _ = thread
    newcomer = UserFactory()
    reader, writer = signed_in(UserFactory()), signed_in(newcomer)
    page(reader, article)
    page(writer, article)
    CommentFactory(parent=root, author=newcomer, body_source="Held for review.", status="pending")
    CommentFactory(parent=root, author=other, body_source="Also on Friday.")
    assert "Also on Friday." in page(reader, article)
    assert "Held for review." not in page(reader, article)
    own = page(writer, article)
    assert "Held for review." in own and "awaiting moderation" in own


def test_an_own_comment_loses_its_edit_form_when_the_edit_window_closes(article, author, settings):
    comment = CommentFactory(article=article, author=author, body_source="Quick thought.")
    writer = signed_in(author)
    edit_form = f'action="{reverse("comments:edit", args=[comment.pk])}"'
    assert edit_form in page(writer, article)
    settings.BYLINE_COMMENT_EDIT_MINUTES = 15
    # No data change the page cache hears of: the reader's cached controls expire with the window itself.
    later = timezone.now() + timedelta(minutes=16)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("byline.comments.rendering.time.time", return_value=later.timestamp()),
    ):
        assert edit_form not in page(writer, article)


def test_later_pages_of_threads_are_cached_on_their_own(article, other, settings):
    settings.BYLINE_COMMENTS_PER_PAGE = 2
    for n in range(5):
        CommentFactory(
            article=article, body_source=f"Number {n}.", created_at=timezone.now() - timedelta(hours=n)
        )
    reader = signed_in(other)
    first, third = page(reader, article), page(reader, article, "?cpage=3")
    assert "Number 0." in first and "Number 4." not in first and "Page 1 of 3" in first
    assert "Number 4." in third and "Number 0." not in third and "Page 3 of 3" in third
    assert "Number 4." in page(reader, article, "?cpage=99")  # past the end: the last page, as live
    assert "Number 2." in page(reader, article, "?cpage=2")


def test_worker_memory_serves_an_entry_only_under_its_version_and_stays_within_its_budget():
    from byline.comments.worker_cache import WorkerCache

    memory = WorkerCache(budget_bytes=100)
    memory.put("a", "v1", "first", size=60)
    memory.put("b", "v1", "second", size=30)
    assert memory.get("a", "v1") == "first"  # now the most recently used
    assert memory.get("a", "v2") is None  # made under another version: the caller goes to Redis
    memory.put("c", "v1", "third", size=30)  # over budget: the least recently used goes
    assert memory.get("b", "v1") is None
    assert memory.get("a", "v1") == "first" and memory.get("c", "v1") == "third"
    memory.put("huge", "v1", "too big", size=101)
    assert memory.get("huge", "v1") is None


class UnreachableCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Redis is down")

        return fail


def test_with_the_shared_cache_down_a_signed_in_reader_still_gets_the_page(article, thread, other, caplog):
    root, _ = thread
    with (
        mock.patch("byline.comments.rendering.cache", UnreachableCache()),
        mock.patch("byline.web.fragments.cache", UnreachableCache()),
    ):
        html = page(signed_in(other), article)
    assert "The ferry was late again." in comment_html(html, root)
    assert "Cache unreachable" in caplog.text


def test_a_site_wide_refresh_after_an_import_reaches_signed_in_readers(article, thread, other):
    """Imports and restores write comments past the model signals and then make every page stale at once
    (the site-wide token): the cached section must follow, not only the anonymous page."""
    reader = signed_in(other)
    assert "Written straight into the table." not in page(reader, article)
    Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                author=UserFactory(),
                body_source="x",
                body_html="<p>Written straight into the table.</p>",
                status=Comment.Status.APPROVED,
            )
        ]
    )
    assert "Written straight into the table." not in page(reader, article)  # still the cached section
    invalidate_paths([SITE_WIDE])
    assert "Written straight into the table." in page(reader, article)
