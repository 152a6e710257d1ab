import json

import pytest

from byline.accounts.models import User
from byline.comments.models import Comment, CommentLike
from byline.newsroom.models import Article
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def busy_reader(db):
    reader = UserFactory(display_name="Data Owner", email="owner@example.org")
    article = ArticleFactory()
    mine = CommentFactory(article=article, author=reader, body_source="My first opinion")
    CommentFactory(
        article=article, author=reader, body_source="My held opinion", status=Comment.Status.PENDING
    )
    reply = CommentFactory(parent=mine, body_source="Someone answers")
    liked = CommentFactory(article=article, like_count=1)
    CommentLike.objects.create(comment=liked, user=reader)
    return reader, article, mine, reply, liked


@pytest.mark.django_db
def test_reader_downloads_all_their_comments_and_account_data(client, busy_reader):
    reader, *_ = busy_reader
    client.force_login(reader)
    response = client.get("/accounts/settings/export/")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == "owner@example.org"
    assert {c["body"] for c in data["comments"]} == {"My first opinion", "My held opinion"}
    assert len(data["comment_likes"]) == 1


@pytest.mark.django_db
def test_deleting_the_account_can_keep_comments_under_former_reader(client, busy_reader):
    reader, article, mine, reply, liked = busy_reader
    client.force_login(reader)
    response = client.post("/accounts/settings/delete/", {"comments": "keep", "password": PASSWORD})
    assert response.status_code == 200
    assert not User.objects.filter(pk=reader.pk).exists()
    mine.refresh_from_db()
    assert mine.author is None and mine.author_name == "Former reader" and not mine.is_removed
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Former reader" in page and "Data Owner" not in page and "owner@example.org" not in page
    liked.refresh_from_db()
    assert liked.like_count == 0
    assert Article.objects.get(pk=article.pk).comment_count == 3


@pytest.mark.django_db
def test_deleting_the_account_can_remove_its_comments(client, busy_reader):
    reader, article, mine, reply, _ = busy_reader
    client.force_login(reader)
    client.post("/accounts/settings/delete/", {"comments": "remove", "password": PASSWORD})
    mine.refresh_from_db()
    assert mine.is_removed and mine.body_source == "" and mine.author is None
    page = client.get(article.get_absolute_url()).content.decode()
    assert "My first opinion" not in page and "Comment removed" in page
    assert "Someone answers" in page
    assert Article.objects.get(pk=article.pk).comment_count == 2


@pytest.mark.django_db
def test_deleting_needs_the_password(client, busy_reader):
    reader, *_ = busy_reader
    client.force_login(reader)
    response = client.post("/accounts/settings/delete/", {"comments": "remove", "password": "wrong"})
    assert response.status_code == 400
    assert "password is not right" in response.content.decode()
    assert User.objects.filter(pk=reader.pk).exists()
