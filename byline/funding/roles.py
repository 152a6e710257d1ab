"""Editors read the funding reports and edit support pages; the newsroom app creates the Editor group."""

from django.contrib.auth.models import Group, Permission

EDITOR_FUNDING_PERMISSIONS = [
    "view_contribution",  # the newsroom reports and CSV export
    "change_contribution",  # only `message_hidden` is editable in the admin
    "view_refund",
    "view_subscription",
    "view_processedevent",
    "add_supportpage",
    "change_supportpage",
    "view_supportpage",
]


def grant_editor_funding_permissions(**kwargs) -> None:
    from byline.newsroom.roles import EDITOR

    permissions = Permission.objects.filter(
        content_type__app_label="funding", codename__in=EDITOR_FUNDING_PERMISSIONS
    )
    Group.objects.get_or_create(name=EDITOR)[0].permissions.add(*permissions)
