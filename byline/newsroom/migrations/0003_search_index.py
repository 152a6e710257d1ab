"""Site search storage, one per database vendor.

SQLite: an FTS5 table `newsroom_article_fts` whose rowid is the article's id (kept in sync by
`byline.newsroom.search` through signals). PostgreSQL: a GIN index on the very expression the search query
builds (`byline.newsroom.search.article_search_vector`), so the planner can use it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

FTS_TABLE = "newsroom_article_fts"
PG_INDEX = "article_search_gin"


def _pg_index() -> GinIndex:
    # Must stay identical to byline.newsroom.search.article_search_vector().
    vector = (
        SearchVector("headline", weight="A", config="english")
        + SearchVector("standfirst", weight="B", config="english")
        + SearchVector("body_text", weight="C", config="english")
    )
    return GinIndex(vector, name=PG_INDEX)


def forwards(apps, schema_editor):
    from byline.core.text import plain_text

    Article = apps.get_model("newsroom", "Article")
    for article in Article.objects.only("pk", "body_html").iterator():
        text = plain_text(article.body_html)
        Article.objects.filter(pk=article.pk).update(body_text=text, word_count=len(text.split()))

    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "headline, standfirst, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        schema_editor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, headline, standfirst, body) "
            "SELECT id, headline, standfirst, body_text FROM newsroom_article"
        )
    elif vendor == "postgresql":
        schema_editor.add_index(Article, _pg_index())


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("newsroom", "Article"), _pg_index())


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0002_notes_revisions_search")]

    operations = [migrations.RunPython(forwards, backwards)]
