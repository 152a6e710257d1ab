"""Factories for comments. Comments made here bypass the services: use `approved()` to keep counts right."""

import factory
from django.db.models import F

from byline.comments.models import Comment, CommentLike
from byline.core.text import render_comment
from byline.newsroom.models import Article
from tests.factories import ArticleFactory, UserFactory


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(UserFactory)
    body_source = factory.Sequence(lambda n: f"A thoughtful remark, number {n}.")
    body_html = factory.LazyAttribute(lambda c: render_comment(c.body_source))
    status = Comment.Status.APPROVED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.get("parent")
        if parent is not None:
            kwargs.setdefault("in_reply_to", parent)
            kwargs.setdefault("thread_root", parent.thread_root or parent)
            kwargs.setdefault("depth", parent.depth + 1)
            kwargs["article"] = parent.article
        comment = super()._create(model_class, *args, **kwargs)
        if comment.is_public:
            Article.objects.filter(pk=comment.article_id).update(comment_count=F("comment_count") + 1)
        return comment


class CommentLikeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommentLike

    comment = factory.SubFactory(CommentFactory)
    user = factory.SubFactory(UserFactory)
