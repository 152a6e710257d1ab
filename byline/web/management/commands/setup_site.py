"""First-run set-up for `make run`: demo content for an empty site, an admin account if there is none."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from byline.core.conf import byline_setting
from byline.newsroom.models import Article
from byline.web.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo content if there are no articles, and create an admin account if there is none."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo content.")

    def handle(self, *args, **options):
        if not options["no_demo"] and not Article.objects.exists():
            summary = load_demo()
            self.stdout.write(self.style.SUCCESS(f"Loaded demo content: {summary}."))
        self._ensure_admin()

    @transaction.atomic
    def _ensure_admin(self) -> None:
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        username = os.environ.get("BYLINE_ADMIN_USERNAME", "admin")
        password = os.environ.get("BYLINE_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        from django.utils import timezone

        User.objects.create_superuser(
            username=username,
            email=byline_setting("BYLINE_ADMIN_EMAIL"),
            password=password,
            display_name="Site admin",
            email_verified_at=timezone.now(),
        )
        shown = password if not os.environ.get("BYLINE_ADMIN_PASSWORD") else "(from BYLINE_ADMIN_PASSWORD)"
        self.stdout.write(
            self.style.WARNING(
                f"Created the admin account. Log in at /admin/ as “{username}” with password: {shown}\n"
                "This password is shown only once."
            )
        )
