"""`byline page_files headers|sweep|clear`: the page files nginx serves (byline/web/published.py)."""

from django.core.management.base import BaseCommand, CommandError

from byline.web import published


class Command(BaseCommand):
    help = (
        "headers: print the add_header lines nginx sends with page files (save as the file "
        "deploy/nginx/byline.conf includes); sweep: delete files whose deadline passed (the app servers do "
        "this every few seconds); clear: delete every page file."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["headers", "sweep", "clear"])

    def handle(self, *args, action: str, **options) -> None:
        if action == "headers":
            self.stdout.write(published.nginx_headers(), ending="")
            return
        if published.directory() is None:
            raise CommandError("BYLINE_PAGE_FILES_DIR is not set: there are no page files.")
        try:
            count = published.sweep() if action == "sweep" else published.clear()
        except published.PageFilesUnavailable as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Deleted {count} page file(s).")
