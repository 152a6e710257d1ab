import unicodedata


def display_name_key(name: str) -> str:
    """Fold a display name for uniqueness: case-insensitive, accents removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(without_accents.casefold().split())[:60]
