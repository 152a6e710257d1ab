import pytest
from django.db.models import Count, F

from byline.comments.models import Comment
from byline.newsroom.models import Article


@pytest.mark.django_db
def test_demo_loads_threads_with_replies_likes_and_one_busy_article():
    from byline.web.demo.loader import load_demo

    summary = load_demo()
    assert "comments" in summary
    busiest = Article.objects.annotate(n=Count("comments")).order_by("-n").first()
    assert busiest.n >= 1000
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Comment.objects.filter(like_count__gt=0).exists()
    for article in Article.objects.all():
        assert article.comment_count == Comment.objects.filter(article=article).public().count()
    assert not Comment.objects.filter(created_at__lt=F("article__published_at")).exists()
