"""Factories shared by every app's tests. App-specific factories live beside their tests."""

import io
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from byline.accounts.models import User
from byline.journalists.models import Journalist
from byline.newsroom.models import Article, Byline, Section, Tag


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Reader {n}")
    email_verified_at = factory.LazyFunction(timezone.now)
    # An established reader: brand-new accounts are a spam signal the moderation pipeline holds for review.
    date_joined = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class JournalistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journalist

    name = factory.Sequence(lambda n: f"Jane{n} Writer")
    slug = factory.Sequence(lambda n: f"jane-writer-{n}")
    role = "Journalist and Writer"
    bio_source = "Writes about the city."
    accepts_support = True


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article with one journalist. `journalists=[…]` sets the byline; `[]` leaves none."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    headline = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"headline-number-{n}")
    standfirst = "A sentence that says what the story is."
    body_source = "First paragraph.\n\nSecond paragraph."
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def journalists(obj, create, extracted, **kwargs):
        if not create:
            return
        people = extracted if extracted is not None else [JournalistFactory()]
        for position, journalist in enumerate(people):
            Byline.objects.create(article=obj, journalist=journalist, position=position)

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            status=Article.Status.SCHEDULED,
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1)),
        )


def jpeg(width: int, height: int, name: str = "photo.jpg", colour=(40, 90, 140)) -> SimpleUploadedFile:
    """An uploaded JPEG photo of the given size (one flat colour)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
