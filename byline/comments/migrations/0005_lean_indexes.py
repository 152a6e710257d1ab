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


def rename_status_index(apps, schema_editor):
    comment = apps.get_model("comments", "Comment")
    table = comment._meta.db_table
    old = schema_editor._create_index_name(table, ["status"])  # the name db_index gave it
    quote = schema_editor.quote_name
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(old + '_like')}")
        schema_editor.execute(f"ALTER INDEX IF EXISTS {quote(old)} RENAME TO {quote(NEW_NAME)}")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {quote(NEW_NAME)} ON {quote(table)} (status)")
    else:
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(old)}")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {quote(NEW_NAME)} ON {quote(table)} (status)")


def restore_status_index(apps, schema_editor):
    comment = apps.get_model("comments", "Comment")
    table = comment._meta.db_table
    old = schema_editor._create_index_name(table, ["status"])
    quote = schema_editor.quote_name
    schema_editor.execute(f"DROP INDEX IF EXISTS {quote(NEW_NAME)}")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {quote(old)} ON {quote(table)} (status)")
    if schema_editor.connection.vendor == "postgresql":
        like, columns = quote(old + "_like"), "(status varchar_pattern_ops)"
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {like} ON {quote(table)} {columns}")


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
