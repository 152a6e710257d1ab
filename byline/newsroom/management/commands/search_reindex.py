from django.core.management.base import BaseCommand
from django.db import connection, transaction

from byline.newsroom.search import search_reindex


class Command(BaseCommand):
    help = "Rebuild the site-search index from every article (SQLite's FTS5 table; PostgreSQL needs nothing)."

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            self.stdout.write("PostgreSQL searches through a GIN index: nothing to rebuild.")
            return
        with transaction.atomic():
            count = search_reindex()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} article(s) for search."))
