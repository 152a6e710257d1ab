"""Which change touches which pages: the signal handlers that keep the page cache exact.

Each handler names the page paths a saved or deleted row is shown on (an article on its own page, its
section's, its tags', its journalists' and the front page; a comment on its article's page; a reader's new
name on every page with their comments; a section or tag on every page, through the site-wide token) and
hands them to `caching.invalidate_on_commit`, which replaces their version tokens now and after commit and
purges nginx. `connect()` wires them (from WebConfig.ready, and again after an import has paused them).
"""

from django.apps import apps
from django.conf import settings

from byline.web import caching


def _is_shown(status: str | None) -> bool:
    """Published and scheduled articles are (or will be) on pages; drafts are on none."""
    return status is not None and status != "draft"


def _article_before_save(sender, instance, raw: bool = False, **kwargs) -> None:
    instance._page_cache_before = None
    if raw or not instance.pk:
        return
    before = sender.objects.filter(pk=instance.pk).values_list("status", "section__slug", "slug").first()
    instance._page_cache_before = before


def _article_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    from byline.newsroom.models import article_path

    before = getattr(instance, "_page_cache_before", None)
    paths: set[str] = set()
    if before and _is_shown(before[0]):
        paths |= {"/", caching.section_path(before[1]), article_path(before[1], before[2])}
    if _is_shown(instance.status):
        paths |= caching.article_pages(instance.pk)
    caching.invalidate_on_commit(paths, schedule_changed=True)


def _article_before_delete(sender, instance, **kwargs) -> None:
    # Before the delete: its tags and bylines are gone afterwards.
    if _is_shown(instance.status):
        caching.invalidate_on_commit(caching.article_pages(instance.pk), schedule_changed=True)


def _article_tags_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in {"pre_clear", "post_add", "post_remove"}:
        return
    if reverse:  # tag.articles.add(...): rare, editorial; refresh everything
        caching.invalidate_on_commit([caching.SITE_WIDE])
        return
    if _is_shown(instance.status):
        paths = caching.article_pages(instance.pk)
        if pk_set:
            from byline.newsroom.models import Tag

            paths |= {
                caching.tag_path(s) for s in Tag.objects.filter(pk__in=pk_set).values_list("slug", flat=True)
            }
        caching.invalidate_on_commit(paths)


def _byline_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    from byline.newsroom.models import Article

    status = Article.objects.filter(pk=instance.article_id).values_list("status", flat=True).first()
    if _is_shown(status):
        paths = caching.article_pages(instance.article_id)
        paths.add(caching.journalist_path(instance.journalist.slug))
        caching.invalidate_on_commit(paths)


def _journalist_before_save(sender, instance, raw: bool = False, **kwargs) -> None:
    instance._page_cache_old_slug = None
    if not raw and instance.pk:
        old = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True)
        instance._page_cache_old_slug = old.first()


def _journalist_changed(sender, instance, **kwargs) -> None:
    """A name or bio shows on the journalist's page, on their articles and on every listing of those."""
    if kwargs.get("raw"):
        return
    from byline.newsroom.models import Article, Tag, article_path

    paths = {caching.journalist_path(instance.slug)}
    old_slug = getattr(instance, "_page_cache_old_slug", None)
    if old_slug:
        paths.add(caching.journalist_path(old_slug))
    articles = Article.objects.exclude(status="draft").filter(bylines__journalist=instance.pk)
    rows = list(articles.values_list("section__slug", "slug"))
    if rows:
        paths.add("/")
        paths |= {caching.section_path(section) for section, _ in rows}
        paths |= {article_path(section, slug) for section, slug in rows}
        tags = Tag.objects.filter(articles__in=articles).values_list("slug", flat=True).distinct()
        paths |= {caching.tag_path(slug) for slug in tags}
    caching.invalidate_on_commit(paths)


def _journalist_link_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    journalist = apps.get_model("journalists", "Journalist").objects.filter(pk=instance.journalist_id).first()
    if journalist is not None:
        _journalist_changed(sender, journalist)


def _comment_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    """Any change to a comment shows on its article's page: stale now and again after commit (one query).

    What else it may touch (comment counts on listings) is invalidated when comments.services sends
    `comment_changed` after commit, and only when the change can show there.
    """
    if raw:
        return
    path = _loaded_article_path(instance)
    if path is None:
        return
    if kwargs.get("created") and not instance.is_public:
        # Held for moderation: only its author sees it. Anonymous pages (here and in nginx) stay cached.
        caching.bump_tokens_on_commit({caching.signed_in_path(path)})
        return
    caching.invalidate_on_commit({path})


def _loaded_article_path(comment) -> str | None:
    """The comment's article page: from the article and section the caller loaded, else one query."""
    from byline.newsroom.models import Article, article_path

    article = comment._state.fields_cache.get("article")
    if article is not None and article.pk == comment.article_id and "section" in article._state.fields_cache:
        return article_path(article.section.slug, article.slug)
    row = Article.objects.filter(pk=comment.article_id).values_list("section__slug", "slug").first()
    return article_path(*row) if row else None


def _comment_changed_after_commit(sender, comment, listings: bool = True, **kwargs) -> None:
    # Sent after commit by every comments.services path, including changes made with update().
    if listings:
        caching.invalidate_paths(caching.article_pages(comment.article_id))


def _like_changed(sender, instance, **kwargs) -> None:
    """Like counts show on the article page only."""
    if kwargs.get("raw"):
        return
    from byline.newsroom.models import article_path

    comment_model = apps.get_model("comments", "Comment")
    row = (
        comment_model.objects.filter(pk=instance.comment_id)
        .values_list("article__section__slug", "article__slug")
        .first()
    )
    if row:
        caching.invalidate_on_commit({article_path(*row)})


def _commented_article_paths(user_id: int) -> set[str]:
    from byline.newsroom.models import article_path

    comment_model = apps.get_model("comments", "Comment")
    rows = (
        comment_model.objects.filter(author=user_id)
        .values_list("article__section__slug", "article__slug")
        .distinct()
    )
    return {article_path(section, slug) for section, slug in rows}


def _reader_before_save(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    """A reader's public name is on every article they commented under. Logins save last_login only."""
    instance._page_cache_old_name = None
    if raw or not instance.pk or (update_fields is not None and "display_name" not in update_fields):
        return
    old = sender.objects.filter(pk=instance.pk).values_list("display_name", "username").first()
    instance._page_cache_old_name = (old[0] or old[1]) if old else None


def _reader_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    old_name = getattr(instance, "_page_cache_old_name", None)
    if raw or old_name is None or old_name == (instance.display_name or instance.username):
        return
    caching.invalidate_on_commit(_commented_article_paths(instance.pk))


def _reader_before_delete(sender, instance, **kwargs) -> None:
    caching.invalidate_on_commit(_commented_article_paths(instance.pk))


def _navigation_changed(**kwargs) -> None:
    if not kwargs.get("raw"):
        caching.invalidate_on_commit([caching.SITE_WIDE])


def connect() -> None:
    """Wire the handlers (from WebConfig.ready). Comment senders are lazy strings: the comments app may
    not have its models yet, and Django connects them once it does."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

    article, journalist, byline = "newsroom.Article", "journalists.Journalist", "newsroom.Byline"
    comment = "comments.Comment"
    uid = "byline-page-cache-"
    pre_save.connect(_article_before_save, sender=article, dispatch_uid=uid + "article-pre")
    post_save.connect(_article_saved, sender=article, dispatch_uid=uid + "article-save")
    pre_delete.connect(_article_before_delete, sender=article, dispatch_uid=uid + "article-delete")
    post_save.connect(_byline_changed, sender=byline, dispatch_uid=uid + "byline-save")
    post_delete.connect(_byline_changed, sender=byline, dispatch_uid=uid + "byline-delete")
    pre_save.connect(_journalist_before_save, sender=journalist, dispatch_uid=uid + "journalist-pre")
    post_save.connect(_journalist_changed, sender=journalist, dispatch_uid=uid + "journalist-save")
    post_delete.connect(_journalist_changed, sender=journalist, dispatch_uid=uid + "journalist-delete")
    link = "journalists.JournalistLink"
    post_save.connect(_journalist_link_changed, sender=link, dispatch_uid=uid + "journalist-link-save")
    post_delete.connect(_journalist_link_changed, sender=link, dispatch_uid=uid + "journalist-link-delete")
    like = "comments.CommentLike"
    post_save.connect(_like_changed, sender=like, dispatch_uid=uid + "like-save")
    post_delete.connect(_like_changed, sender=like, dispatch_uid=uid + "like-delete")
    reader = settings.AUTH_USER_MODEL
    pre_save.connect(_reader_before_save, sender=reader, dispatch_uid=uid + "reader-pre")
    post_save.connect(_reader_saved, sender=reader, dispatch_uid=uid + "reader-save")
    pre_delete.connect(_reader_before_delete, sender=reader, dispatch_uid=uid + "reader-delete")
    post_save.connect(_comment_saved, sender=comment, dispatch_uid=uid + "comment-save")
    post_delete.connect(_comment_saved, sender=comment, dispatch_uid=uid + "comment-delete")
    for model in ("newsroom.Section", "newsroom.Tag"):
        post_save.connect(_navigation_changed, sender=model, dispatch_uid=uid + model + "-save")
        post_delete.connect(_navigation_changed, sender=model, dispatch_uid=uid + model + "-delete")
    tags_through = apps.get_model("newsroom", "Article").tags.through
    m2m_changed.connect(_article_tags_changed, sender=tags_through, dispatch_uid=uid + "article-tags")
    try:
        from byline.comments.signals import comment_changed
    except ImportError:  # pragma: no cover - the comments app without its signal
        return
    comment_changed.connect(_comment_changed_after_commit, dispatch_uid=uid + "comment-changed")
