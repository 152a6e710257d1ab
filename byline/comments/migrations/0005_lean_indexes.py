"""comment.status: indexed in Meta instead of with db_index, so PostgreSQL no longer keeps the unused
varchar_pattern_ops (LIKE) copy of the index.

On PostgreSQL the existing index is renamed, not rebuilt: dropping it and building a new one would hold
a lock on the comments table (every signed-in page and every post) for as long as the build takes. SQLite
cannot rename an index; its tables are small enough to rebuild it.
"""

from django.db import migrations, models

STATUS = models.CharField(
    choices=[("pending", "Awaiting moderation"), ("approved", "Approved"), ("rejected", "Rejected")],
    default="pending",
    max_length=10,
)
NEW_NAME = "comment_status_idx"


def _names(apps, schema_editor) -> tuple[str, str, str]:
    """The quoted table, the name db_index gave the old index, and the quoted new name."""
    table = apps.get_model("comments", "Comment")._meta.db_table
    old = schema_editor._create_index_name(table, ["status"])
    return schema_editor.quote_name(table), old, schema_editor.quote_name(NEW_NAME)


def rename_status_index(apps, schema_editor):
    table, old, new = _names(apps, schema_editor)
    quote, execute = schema_editor.quote_name, schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        execute(f"DROP INDEX IF EXISTS {quote(old + '_like')}")
        execute(f"ALTER INDEX IF EXISTS {quote(old)} RENAME TO {new}")
    else:
        execute(f"DROP INDEX IF EXISTS {quote(old)}")
    execute(f"CREATE INDEX IF NOT EXISTS {new} ON {table} (status)")  # a no-op where it was renamed


def restore_status_index(apps, schema_editor):
    table, old, new = _names(apps, schema_editor)
    quote, execute = schema_editor.quote_name, schema_editor.execute
    execute(f"DROP INDEX IF EXISTS {new}")
    execute(f"CREATE INDEX IF NOT EXISTS {quote(old)} ON {table} (status)")
    if schema_editor.connection.vendor == "postgresql":
        execute(f"CREATE INDEX IF NOT EXISTS {quote(old + '_like')} ON {table} (status varchar_pattern_ops)")


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_comment_author_approved_idx"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name="comment", name="status", field=STATUS),
                migrations.AddIndex(
                    model_name="comment", index=models.Index(fields=["status"], name=NEW_NAME)
                ),
            ],
            database_operations=[migrations.RunPython(rename_status_index, restore_status_index)],
        ),
    ]
