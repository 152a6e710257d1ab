"""Signals other apps may listen to (e.g. to purge an article's cached page).

`comment_changed(sender=Comment, comment=...)`: sent after commit whenever a comment is posted, edited,
removed, or changes moderation state.
"""

from django.dispatch import Signal

comment_changed = Signal()
