from django.core.management.base import BaseCommand

from byline.moderation.notifications import send_digest


class Command(BaseCommand):
    help = (
        "Email moderators a digest of newly pending comments (at most every BYLINE_MODERATION_DIGEST_HOURS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Send even if the interval has not passed.")

    def handle(self, *args, **options):
        sent = send_digest(force=options["force"])
        self.stdout.write(f"Sent {sent} digest email(s).")
