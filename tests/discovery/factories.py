import factory
from django.utils import timezone

from byline.newsroom.models import ArticleNote
from tests.factories import ArticleFactory


class ArticleNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleNote

    article = factory.SubFactory(ArticleFactory)
    kind = ArticleNote.Kind.CORRECTION
    noted_at = factory.LazyFunction(timezone.now)
    text = "An earlier version gave the wrong year for the bridge's opening."
