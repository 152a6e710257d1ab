import pytest

from tests.factories import ArticleFactory


@pytest.mark.django_db
def test_published_article_page_shows_headline(client):
    article = ArticleFactory(headline="Bridge reopens")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Bridge reopens" in response.content.decode()
