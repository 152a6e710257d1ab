"""What `import_wordpress` and `import_disqus` share: arguments, running, printing the report."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from byline.core.errors import BylineError


class ImportCommand(BaseCommand):
    importer_class = None
    file_help = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=self.file_help)
        parser.add_argument(
            "--dry-run", action="store_true", help="Read the whole file and print the report; write nothing."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show progress while importing."
        )

    def handle(self, *args, **options) -> None:
        try:
            importer = self.importer_class(
                path=options["file"],
                dry_run=options["dry_run"],
                progress_stream=self.stderr._out,
                show_progress=not options["no_progress"],
            )
            report = importer.run()
        except BylineError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(report.render())
