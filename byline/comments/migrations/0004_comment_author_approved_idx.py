"""A partial index of approved comments by author: the pipeline's trust check counts them up to a small cap,
and without it PostgreSQL walked every comment the author ever wrote (held and rejected ones included)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_comment_digest_backfill"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["author"],
                name="comment_author_approved_idx",
            ),
        ),
    ]
