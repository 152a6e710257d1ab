"""Display names: folded for uniqueness, checked against the newsroom's journalists and reserved words."""

import re
import unicodedata

from byline.core.errors import InvalidInput

MIN_LENGTH = 2
MAX_LENGTH = 40
RESERVED = {
    "former reader",
    "moderator",
    "moderators",
    "admin",
    "administrator",
    "staff",
    "editor",
    "newsroom",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def display_name_key(name: str) -> str:
    """Fold a display name for uniqueness: case-insensitive, accents removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(without_accents.casefold().split())[:60]


def _skeleton(name: str) -> str:
    """The folded name with punctuation and spaces gone: "J. Writer" and "j writer" look alike to readers."""
    return re.sub(r"[\W_]+", "", display_name_key(name))


def clean_display_name(name: str, *, user=None) -> str:
    """Return the display name tidied, or raise InvalidInput (field "display_name") saying what is wrong."""
    from byline.accounts.models import User
    from byline.journalists.models import Journalist

    name = " ".join(unicodedata.normalize("NFC", name or "").split())
    if _CONTROL.search(name):
        raise InvalidInput(
            "Display names cannot contain control or invisible characters.", field="display_name"
        )
    if len(name) < MIN_LENGTH or len(name) > MAX_LENGTH:
        raise InvalidInput(
            f"Choose a display name of {MIN_LENGTH} to {MAX_LENGTH} characters.", field="display_name"
        )
    if not any(ch.isalnum() for ch in name):
        raise InvalidInput("A display name needs at least one letter or digit.", field="display_name")
    skeleton = _skeleton(name)
    if display_name_key(name) in RESERVED or skeleton in {_skeleton(word) for word in RESERVED}:
        raise InvalidInput("That display name is reserved. Please choose another.", field="display_name")
    journalists = Journalist.objects.all()
    if user is not None and user.pk:  # a journalist's own account may carry their name
        journalists = journalists.exclude(user_id=user.pk)
    for journalist_name in journalists.values_list("name", flat=True):
        if _skeleton(journalist_name) == skeleton:
            raise InvalidInput(
                "That is the name of one of our journalists. Please choose a display name of your own.",
                field="display_name",
            )
    taken = User.objects.filter(display_name_key=display_name_key(name))
    if user is not None and user.pk:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        raise InvalidInput("That display name is taken. Please choose another.", field="display_name")
    return name
