from django.db import migrations, models


def make_existing_renditions(apps, schema_editor):
    """Articles that already have a hero image get its smaller copies on upgrade."""
    from byline.newsroom.images import make_renditions

    article_model = apps.get_model("newsroom", "Article")
    for article in article_model.objects.exclude(hero_image="").iterator():
        article_model.objects.filter(pk=article.pk).update(
            hero_renditions=make_renditions(article.hero_image)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0004_search_document_column"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="hero_renditions",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(make_existing_renditions, migrations.RunPython.noop),
    ]
