"""Seed the editable word lists from data/*.txt and create the Moderator group."""

from django.db import migrations


def seed(apps, schema_editor):
    from byline.moderation.wordlists import default_entries

    WordListEntry = apps.get_model("moderation", "WordListEntry")
    Group = apps.get_model("auth", "Group")
    seen = set()
    rows = []
    for entry in default_entries():
        key = (entry.term, entry.list_name)
        if key in seen:
            continue
        seen.add(key)
        rows.append(WordListEntry(term=entry.term, list_name=entry.list_name, category=entry.category))
    WordListEntry.objects.bulk_create(rows, ignore_conflicts=True)
    Group.objects.get_or_create(name="Moderator")


def unseed(apps, schema_editor):
    apps.get_model("moderation", "WordListEntry").objects.filter(created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
