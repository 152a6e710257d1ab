"""Keep old article addresses working and the navigation cache fresh."""

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from byline.core.cache import new_token
from byline.newsroom.models import Article, ArticleNote, ArticleRedirect, Section, article_path

NAV_CACHE_KEY = "byline:nav-sections"

logger = logging.getLogger("byline.newsroom.signal_handlers")


def remember_old_address(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if raw or not instance.pk:
        return
    try:
        before = Article.objects.select_related("section").get(pk=instance.pk)
    except Article.DoesNotExist:
        return
    if not before.is_live:
        return
    old = article_path(before.section.slug, before.slug)
    new = article_path(instance.section.slug, instance.slug)
    if old != new:
        ArticleRedirect.objects.update_or_create(old_path=old, defaults={"article": instance})
        # The article may be moving back to an address it once had: that address is no longer a redirect.
        ArticleRedirect.objects.filter(old_path=new).delete()


def forget_navigation(**kwargs) -> None:
    """A section changed: every worker reads the navigation again (`selectors.navigation_sections`).

    The token is replaced now (this transaction's own pages) and again after commit: a reader who read the
    sections before the commit kept them under the first new token, which the second one retires.
    """
    from byline.newsroom.selectors import NAV_VERSION_KEY

    def replace_token() -> None:
        cache.set(NAV_VERSION_KEY, new_token(), timeout=None)
        cache.delete(NAV_CACHE_KEY)  # the list a worker of the previous release may still read

    try:
        replace_token()
    except Exception:
        logger.exception("Cache unreachable; the navigation is refreshed after commit.")
    transaction.on_commit(replace_token, robust=True)


# A save that names only these fields changes nothing a reader searches or an editor would restore.
_UNTRACKED_FIELDS = frozenset({"comment_count", "updated_at"})


def article_saved(sender, instance: Article, raw: bool = False, update_fields=None, **kwargs) -> None:
    """Keep the search index and the revision history up to date with every save."""
    from byline.newsroom import search, services

    if raw or (update_fields and set(update_fields) <= _UNTRACKED_FIELDS):
        return
    search.index_article(instance)
    # The admin records the revision itself once tags and byline are saved too (it knows who saved).
    if not getattr(instance, "_revision_deferred", False):
        services.revision_record(article=instance)


def article_deleted(sender, instance: Article, **kwargs) -> None:
    from byline.newsroom import search

    search.unindex_article(instance.pk)


def note_changed(sender, instance: ArticleNote, raw: bool = False, **kwargs) -> None:
    """A correction or update changes the article: its dateModified, feeds and sitemap lastmod move on."""
    from byline.newsroom import services

    if not raw:
        services.article_touch(article_id=instance.article_id)


def connect() -> None:
    pre_save.connect(remember_old_address, sender=Article, dispatch_uid="newsroom-remember-old-address")
    post_save.connect(forget_navigation, sender=Section, dispatch_uid="newsroom-nav-save")
    post_delete.connect(forget_navigation, sender=Section, dispatch_uid="newsroom-nav-delete")
    post_save.connect(article_saved, sender=Article, dispatch_uid="newsroom-article-saved")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="newsroom-article-deleted")
    post_save.connect(note_changed, sender=ArticleNote, dispatch_uid="newsroom-note-saved")
    post_delete.connect(note_changed, sender=ArticleNote, dispatch_uid="newsroom-note-deleted")
