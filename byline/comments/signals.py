"""Signals other apps may listen to (e.g. to purge an article's cached page).

`comment_changed(sender=Comment, comment=..., listings=...)`: sent after commit whenever a comment is posted,
edited, removed, or changes moderation state. `listings` is False when nothing shown outside the article
page can have changed (a new comment held for moderation: counts are of published comments).
"""

from django.dispatch import Signal

comment_changed = Signal()
