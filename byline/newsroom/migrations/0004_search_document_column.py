"""PostgreSQL: keep the weighted search document in a stored generated column with a GIN index.

Computing `to_tsvector` over every matching article's body at query time (for the match's recheck and for the
rank) took seconds with a few thousand articles; a stored column costs the work once per save. The column is
invisible to Django's model (the database computes it), so inserts and updates are unchanged. It replaces
the expression index of 0003. SQLite is untouched (its FTS5 table is the stored form there).
"""

from django.db import migrations

COLUMN_SQL = (
    "ALTER TABLE newsroom_article ADD COLUMN search_document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, coalesce(headline, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(standfirst, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(body_text, '')), 'C')) STORED"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(COLUMN_SQL)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS article_search_document_gin ON newsroom_article USING gin (search_document)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS article_search_gin")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS article_search_document_gin")
    schema_editor.execute("ALTER TABLE newsroom_article DROP COLUMN IF EXISTS search_document")


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0003_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
