"""Fill `body_digest` for existing comments, then index it.

The digest is computed by the database, one range of ids per statement and per transaction, so a large
table is never read into Python nor locked as a whole. Not atomic: a run that stops halfway resumes where
it stopped (only empty digests are filled); the index is built once the column is full.
"""

from django.db import migrations, models, transaction
from django.db.models import Max, Min
from django.db.models.functions import SHA256

BATCH = 5000


class Sha256Hex(SHA256):
    """sha256 of a text's UTF-8 bytes in lower-case hex, as `byline.comments.models.body_digest` computes it.
    Django's own SHA256 needs the pgcrypto extension on PostgreSQL; sha256() is built in since 11."""

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "ENCODE(SHA256(CONVERT_TO(%(expressions)s, 'UTF8')), 'hex')"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def fill_digests(apps, schema_editor) -> None:
    Comment = apps.get_model("comments", "Comment")
    alias = schema_editor.connection.alias
    comments = Comment.objects.using(alias)
    bounds = comments.aggregate(first=Min("pk"), last=Max("pk"))
    if bounds["first"] is None:
        return
    for start in range(bounds["first"], bounds["last"] + 1, BATCH):
        with transaction.atomic(using=alias):
            comments.filter(pk__gte=start, pk__lt=start + BATCH, body_digest="").update(
                body_digest=Sha256Hex("body_source")
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("comments", "0002_comment_body_digest")]

    operations = [
        migrations.RunPython(fill_digests, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["body_digest", "created_at"], name="comment_digest_idx"),
        ),
    ]
