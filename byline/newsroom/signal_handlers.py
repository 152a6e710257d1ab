"""Keep old article addresses working and the navigation cache fresh."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_save

from byline.newsroom.models import Article, ArticleRedirect, Section, article_path

NAV_CACHE_KEY = "byline:nav-sections"


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
    cache.delete(NAV_CACHE_KEY)


def connect() -> None:
    pre_save.connect(remember_old_address, sender=Article, dispatch_uid="newsroom-remember-old-address")
    post_save.connect(forget_navigation, sender=Section, dispatch_uid="newsroom-nav-save")
    post_delete.connect(forget_navigation, sender=Section, dispatch_uid="newsroom-nav-delete")
