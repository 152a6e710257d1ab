"""Signals other apps listen to, so accounts never imports them."""

from django.dispatch import Signal

# Sent inside the verification transaction with `user`. A receiver may return a short sentence for the
# reader (e.g. "3 earlier comments …"); the verification page shows every sentence returned.
email_verified = Signal()
