from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from byline.comments.models import Comment, CommentLike
from byline.newsroom.models import Article
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, UserFactory


def fill(article, n_threads: int, replies_per_thread: int = 0) -> None:
    """Bulk-create a busy article: `n_threads` top-level comments, each with replies and some likes."""
    authors = [UserFactory() for _ in range(5)]
    now = timezone.now()
    roots = Comment.objects.bulk_create(
        Comment(
            article=article,
            author=authors[i % 5],
            body_source=f"Thread {i}",
            body_html=f"<p>Thread {i}</p>",
            status=Comment.Status.APPROVED,
            created_at=now - timedelta(minutes=i),
            like_count=i % 7,
        )
        for i in range(n_threads)
    )
    replies = []
    for root in roots:
        for j in range(replies_per_thread):
            replies.append(
                Comment(
                    article=article,
                    author=authors[j % 5],
                    parent=root,
                    in_reply_to=root,
                    thread_root=root,
                    depth=1,
                    body_source=f"Reply {j}",
                    body_html=f"<p>Reply {j}</p>",
                    status=Comment.Status.APPROVED,
                    created_at=root.created_at + timedelta(seconds=j + 1),
                )
            )
    Comment.objects.bulk_create(replies)
    Article.objects.filter(pk=article.pk).update(comment_count=len(roots) + len(replies))


def queries_for_page(client, url) -> int:
    """Queries to render the page live (the anonymous page cache is emptied first)."""
    from django.core.cache import cache

    cache.clear()
    client.get("/journalists/nobody/")  # warm the navigation cache on another page
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_number_of_comments(client):
    reader = UserFactory()
    client.force_login(reader)
    small, big = ArticleFactory(), ArticleFactory()
    fill(small, 5, replies_per_thread=1)  # 10 comments
    fill(big, 250, replies_per_thread=3)  # 1,000 comments
    CommentLike.objects.create(comment=Comment.objects.filter(article=big).first(), user=reader)
    queries_for_page(client, small.get_absolute_url())  # warm caches (navigation, session)
    assert Comment.objects.filter(article=big).count() == 1000
    small_queries = queries_for_page(client, small.get_absolute_url())
    big_queries = queries_for_page(client, big.get_absolute_url())
    assert big_queries == small_queries
    client.logout()
    assert queries_for_page(client, big.get_absolute_url()) == queries_for_page(
        client, small.get_absolute_url()
    )


@pytest.mark.django_db
def test_section_shows_the_total_count_and_fifty_threads_per_page(client, article):
    fill(article, 60, replies_per_thread=1)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "120 comments" in page
    assert page.count('class="comment comment-depth-0') == 50
    assert "Page 1 of 2" in page
    second = client.get(article.get_absolute_url() + "?cpage=2").content.decode()
    assert second.count('class="comment comment-depth-0') == 10
    assert "Thread 59" in second


@pytest.mark.django_db
def test_newest_is_the_default_sort_and_oldest_and_most_liked_are_offered(client, article):
    old = CommentFactory(
        article=article, body_source="Oldest one", created_at=timezone.now() - timedelta(hours=2)
    )
    new = CommentFactory(article=article, body_source="Newest one")
    liked = CommentFactory(
        article=article, body_source="Liked one", like_count=9, created_at=timezone.now() - timedelta(hours=1)
    )
    url = article.get_absolute_url()

    def order(query=""):
        html = client.get(url + query).content.decode()
        return sorted((old, new, liked), key=lambda c: html.index(f'id="comment-{c.pk}"'))

    assert order() == [new, liked, old]
    assert order("?sort=oldest") == [old, liked, new]
    assert order("?sort=liked") == [liked, new, old]
    assert order("?sort=bogus") == [new, liked, old]


@pytest.mark.django_db
def test_permalink_leads_to_the_page_that_holds_the_comment(client, article):
    fill(article, 60)
    oldest = Comment.objects.filter(article=article).order_by("created_at").first()
    response = client.get(f"/comments/{oldest.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}?cpage=2#comment-{oldest.pk}"


@pytest.mark.django_db
def test_permalink_of_a_reply_follows_its_thread(client, article):
    root = CommentFactory(article=article)
    reply = CommentFactory(parent=root)
    response = client.get(f"/comments/{reply.pk}/")
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{reply.pk}"


@pytest.mark.django_db
def test_empty_section_invites_the_first_comment(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert "No comments yet." in page and "0 comments" in page


@pytest.mark.django_db
def test_anonymous_readers_see_a_sign_in_link_and_no_forms(client, article):
    CommentFactory(article=article)
    page = client.get(article.get_absolute_url()).content.decode()
    section = page[page.index('id="comments"') :]
    assert "Sign in" in section and "<form" not in section.split("</section>")[0]


@pytest.mark.django_db
def test_unverified_readers_are_asked_to_confirm_their_email(client, article):
    client.force_login(UserFactory(email_verified_at=None))
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Please confirm your email address to comment" in page
    assert 'id="comment-form"' not in page


@pytest.mark.django_db
def test_comment_counts_show_on_listings_and_include_approved_comments_only(client):
    article = ArticleFactory()
    CommentFactory(article=article)
    CommentFactory(article=article)
    CommentFactory(article=article, status=Comment.Status.PENDING)
    CommentFactory(article=article, status=Comment.Status.REJECTED)
    assert Article.objects.get(pk=article.pk).comment_count == 2
    assert "2 comments" in client.get("/").content.decode()
    assert "2 comments" in client.get(article.section.get_absolute_url()).content.decode()
    journalist = article.bylines.first().journalist
    assert "2 comments" in client.get(journalist.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_reader_profile_lists_approved_comments_only(client, reader, article):
    CommentFactory(article=article, author=reader, body_source="A public view")
    CommentFactory(article=article, author=reader, body_source="A held view", status=Comment.Status.PENDING)
    CommentFactory(article=article, author=reader, body_source="A removed view", is_removed=True)
    page = client.get(f"/comments/readers/{reader.pk}/").content.decode()
    assert "Maya Reader" in page and "A public view" in page
    assert "A held view" not in page and "A removed view" not in page
    assert article.headline in page


@pytest.mark.django_db
def test_profile_of_an_unknown_reader_is_not_found(client):
    assert client.get("/comments/readers/424242/").status_code == 404


@pytest.mark.django_db
def test_featured_comments_come_first_in_every_order(client, article):
    plain_new = CommentFactory(article=article, body_source="Plain and new")
    featured_old = CommentFactory(
        article=article, body_source="Staff pick", is_featured=True,
        created_at=timezone.now() - timedelta(hours=3),
    )
    url = article.get_absolute_url()
    for query in ("", "?sort=oldest", "?sort=liked"):
        html = client.get(url + query).content.decode()
        first, second = f'id="comment-{featured_old.pk}"', f'id="comment-{plain_new.pk}"'
        assert html.index(first) < html.index(second), query


@pytest.mark.django_db
def test_permalink_counts_featured_threads_ahead_of_the_others(client, article):
    fill(article, 50)
    newest = Comment.objects.filter(article=article).order_by("-created_at").first()
    CommentFactory(article=article, is_featured=True, created_at=timezone.now() - timedelta(days=2))
    # 50 per page: the featured thread pushes the 50th newest thread onto page 2.
    fiftieth = Comment.objects.filter(article=article, is_featured=False).order_by("-created_at")[49]
    assert client.get(f"/comments/{newest.pk}/")["Location"].endswith(f"#comment-{newest.pk}")
    assert "cpage=2" in client.get(f"/comments/{fiftieth.pk}/")["Location"]
