from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """Everyone who logs in: readers, commenters, journalists, editors, moderators.

    Readers are known by `display_name` on the site; `username` stays an internal handle.
    """

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=60, blank=True)
    # Case- and accent-folded display name, kept unique so "José" and "jose" cannot both exist.
    display_name_key = models.CharField(max_length=60, blank=True, db_index=True, editable=False)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    notify_replies = models.BooleanField(
        default=True, help_text="Email me when someone replies to my comment."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "display_name_key",
                name="unique_display_name_key",
                condition=~models.Q(display_name_key=""),
            ),
        ]
        indexes = [models.Index(Lower("email"), name="user_email_lower")]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    @property
    def is_verified(self) -> bool:
        """Confirmed by link, or a staff account (an administrator created it and vouches for it)."""
        return self.email_verified_at is not None or self.is_staff

    def save(self, *args, **kwargs):
        from byline.accounts.names import display_name_key

        self.display_name_key = display_name_key(self.display_name)
        super().save(*args, **kwargs)
