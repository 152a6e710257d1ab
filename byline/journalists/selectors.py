from django.shortcuts import get_object_or_404

from byline.journalists.models import Journalist


def journalist_get(*, slug: str) -> Journalist:
    return get_object_or_404(Journalist.objects.prefetch_related("links"), slug=slug)
