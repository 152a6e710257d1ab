"""Staff groups every install has: Writer (own drafts only), Editor (publish anything), Admin."""

from django.contrib.auth.models import Group, Permission

WRITER = "Writer"
EDITOR = "Editor"
ADMIN = "Admin"

WRITER_PERMISSIONS = [
    "newsroom.add_article", "newsroom.change_article", "newsroom.view_article",
    "newsroom.view_section", "newsroom.view_tag", "newsroom.add_tag",
    # Bylines are edited inline on the article; without these the inline silently disappears.
    "newsroom.add_byline", "newsroom.change_byline", "newsroom.delete_byline", "newsroom.view_byline",
    "journalists.view_journalist",
]
EDITOR_PERMISSIONS = WRITER_PERMISSIONS + [
    "newsroom.publish_article", "newsroom.delete_article",
    "newsroom.add_section", "newsroom.change_section",
    "newsroom.change_tag", "newsroom.delete_tag",
    "newsroom.view_articleredirect", "newsroom.change_articleredirect", "newsroom.add_articleredirect",
    "newsroom.delete_articleredirect",
    "journalists.add_journalist", "journalists.change_journalist",
    # Corrections and updates are edited inline on the article.
    "newsroom.add_articlenote", "newsroom.change_articlenote", "newsroom.delete_articlenote",
    "newsroom.view_articlenote",
]


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
    return found


def ensure_staff_groups(**kwargs) -> None:
    """Create or refresh the staff groups after every migrate, so upgrades bring new permissions along."""
    Group.objects.get_or_create(name=WRITER)[0].permissions.add(*_permissions(WRITER_PERMISSIONS))
    Group.objects.get_or_create(name=EDITOR)[0].permissions.add(*_permissions(EDITOR_PERMISSIONS))
    Group.objects.get_or_create(name=ADMIN)[0].permissions.set(Permission.objects.all())
