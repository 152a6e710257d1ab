"""The thread lists' partial indexes (see Comment.Meta.indexes).

On PostgreSQL they are built CONCURRENTLY, outside a transaction: a plain CREATE INDEX would block every
comment posted while it reads the whole comments table. Elsewhere (SQLite) they are built as usual.
"""

from django.db import migrations, models

PUBLIC_THREAD = models.Q(("is_shadowed", False), ("parent__isnull", True), ("status", "approved"))


class AddIndexWithoutBlockingWrites(migrations.AddIndex):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._change(schema_editor, to_state.apps.get_model(app_label, self.model_name), "add_index")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._change(schema_editor, from_state.apps.get_model(app_label, self.model_name), "remove_index")

    def _change(self, schema_editor, model, method: str) -> None:
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        concurrently = {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}
        getattr(schema_editor, method)(model, self.index, **concurrently)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("comments", "0005_lean_indexes"),
    ]

    operations = [
        AddIndexWithoutBlockingWrites(
            model_name="comment",
            index=models.Index(condition=PUBLIC_THREAD, fields=["article", "-is_featured", *order], name=name),
        )
        for name, order in [
            ("comment_threads_newest_idx", ["-created_at", "-id"]),
            ("comment_threads_oldest_idx", ["created_at", "id"]),
        ]
    ]
