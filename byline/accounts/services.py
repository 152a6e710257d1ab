"""Writes for reader accounts: sign-up, email confirmation, preferences, export and deletion.

Emails go out after commit. Confirmation links are signed (django.core.signing) and expire after
BYLINE_EMAIL_VERIFICATION_HOURS; changing the email address invalidates links made for the old one.
"""

from __future__ import annotations

import logging
import secrets
from urllib.parse import urlencode

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from byline.accounts import data, ratelimit
from byline.accounts.models import User
from byline.accounts.names import clean_display_name
from byline.accounts.signals import email_verified
from byline.core.conf import byline_setting
from byline.core.errors import InvalidInput

logger = logging.getLogger("byline.accounts")
VERIFY_SALT = "byline.accounts.verify-email"


def normalise_email(email: str) -> str:
    email = (email or "").strip()
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}" if local else email


@transaction.atomic
def user_sign_up(
    *, email: str, display_name: str, password: str, ip_address: str = "", next_url: str = ""
) -> User:
    """Create a reader account (not yet confirmed) and email the confirmation link after commit."""
    ratelimit.hit(
        scope="signup",
        key=ip_address or "unknown",
        limit=byline_setting("BYLINE_SIGNUP_RATE_PER_HOUR"),
        window_seconds=3600,
        message="Too many accounts were created from your network just now. Please try again later.",
    )
    email = normalise_email(email)
    if "\x00" in email or "\x00" in password:
        raise InvalidInput("That contains characters we cannot accept.", field="email")
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidInput(
            "An account with this email address exists already. Sign in, or reset your password.",
            field="email",
        )
    name = clean_display_name(display_name)
    user = User(username=f"reader-{secrets.token_hex(6)}", email=email, display_name=name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    try:
        user.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(" ".join(messages), field=field) from None
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # two sign-ups raced for the same email or name
        raise InvalidInput("That email address or display name was just taken.", field="email") from None
    send_verification_email_on_commit(user=user, next_url=next_url)
    return user


def verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT, compress=True)


def verification_url(user: User, next_url: str = "") -> str:
    path = reverse("accounts:verify", kwargs={"token": verification_token(user)})
    if next_url:
        path += "?" + urlencode({"next": next_url})
    return byline_setting("BYLINE_SITE_URL").rstrip("/") + path


def send_verification_email_on_commit(*, user: User, next_url: str = "") -> None:
    user_id = user.pk
    transaction.on_commit(lambda: send_verification_email(user_id=user_id, next_url=next_url))


def send_verification_email(*, user_id: int, next_url: str = "") -> bool:
    user = User.objects.filter(pk=user_id).first()
    if user is None or user.is_verified:
        return False
    context = {
        "user": user,
        "url": verification_url(user, next_url),
        "hours": byline_setting("BYLINE_EMAIL_VERIFICATION_HOURS"),
        "site_name": byline_setting("BYLINE_SITE_NAME"),
    }
    try:
        send_mail(
            subject=f"Confirm your email address for {context['site_name']}",
            message=render_to_string("accounts/email/verify.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:  # the account exists; the reader can ask for the link again
        logger.exception("Could not send the confirmation email to user %s", user_id)
        return False
    return True


def user_resend_verification(*, user: User, next_url: str = "") -> None:
    ratelimit.hit(
        scope="verify-resend",
        key=str(user.pk),
        limit=3,
        window_seconds=3600,
        message="We have sent several links in the last hour. Please check your inbox (and spam folder).",
    )
    send_verification_email_on_commit(user=user, next_url=next_url)


@transaction.atomic
def user_verify_email(*, token: str) -> tuple[User, list[str]]:
    """Mark the address confirmed; returns the user and what listeners of `email_verified` had to say.

    Raises InvalidInput for a forged, expired or outdated link.
    """
    hours = byline_setting("BYLINE_EMAIL_VERIFICATION_HOURS")
    try:
        payload = signing.loads(token, salt=VERIFY_SALT, max_age=hours * 3600)
    except signing.SignatureExpired:
        raise InvalidInput(
            "This confirmation link has expired. Sign in and ask for a new one.", code="expired"
        ) from None
    except signing.BadSignature:
        raise InvalidInput("This confirmation link is not valid.", code="bad_link") from None
    user = User.objects.select_for_update().filter(pk=payload.get("u"), email=payload.get("e")).first()
    if user is None:
        raise InvalidInput("This confirmation link is not valid any more.", code="bad_link")
    notes: list[str] = []
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        responses = email_verified.send(sender=User, user=user)
        notes = [note for _, note in responses if isinstance(note, str) and note]
    return user, notes


@transaction.atomic
def user_update_profile(*, user: User, display_name: str, notify_replies: bool) -> User:
    user.display_name = clean_display_name(display_name, user=user)
    user.notify_replies = notify_replies
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "display_name_key", "notify_replies"])
    return user


@transaction.atomic
def user_set_notify_replies(*, user: User, notify: bool) -> User:
    User.objects.filter(pk=user.pk).update(notify_replies=notify)
    user.notify_replies = notify
    return user


def user_export_data(*, user: User) -> dict:
    """Everything Byline holds about the reader, as JSON-ready data."""
    export = {
        "account": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_verified_at": user.email_verified_at.isoformat() if user.email_verified_at else None,
            "notify_replies": user.notify_replies,
        },
        "exported_at": timezone.now().isoformat(),
    }
    for name, exporter in data.EXPORTERS.items():
        export[name] = exporter(user)
    return export


@transaction.atomic
def user_delete_account(*, user: User, password: str, keep_comments: bool) -> None:
    """Delete the account and its personal data. Comments are removed, or kept under "Former reader"."""
    if not user.check_password(password):
        raise InvalidInput("That password is not right.", field="password")
    for eraser in data.ERASERS.values():
        eraser(user=user, keep_content=keep_comments)
    user.delete()
