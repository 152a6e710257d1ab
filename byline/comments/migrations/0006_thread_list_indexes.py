"""The thread lists' partial indexes (see Comment.Meta.indexes).

On PostgreSQL they are built CONCURRENTLY, outside a transaction: a plain CREATE INDEX would block every
comment posted while it reads the whole comments table. Elsewhere (SQLite) they are built as usual.
"""

from django.db import migrations, models

PUBLIC_THREAD = models.Q(("is_shadowed", False), ("parent__isnull", True), ("status", "approved"))


class AddIndexWithoutBlockingWrites(migrations.AddIndex):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(model, self.index, concurrently=True)
        else:
            schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(model, self.index, concurrently=True)
        else:
            schema_editor.remove_index(model, self.index)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("comments", "0005_lean_indexes"),
    ]

    operations = [
        AddIndexWithoutBlockingWrites(
            model_name="comment",
            index=models.Index(
                condition=PUBLIC_THREAD,
                fields=["article", "-is_featured", "-created_at", "-id"],
                name="comment_threads_newest_idx",
            ),
        ),
        AddIndexWithoutBlockingWrites(
            model_name="comment",
            index=models.Index(
                condition=PUBLIC_THREAD,
                fields=["article", "-is_featured", "created_at", "id"],
                name="comment_threads_oldest_idx",
            ),
        ),
    ]
