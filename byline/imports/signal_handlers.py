"""Imported guest comments follow their author into the account that verifies the same address."""


from byline.imports.services import claim_guest_comments


def claim_on_verification(sender, user, **kwargs) -> str:
    claimed = claim_guest_comments(user=user)
    if not claimed:
        return ""
    noun = "comment" if claimed == 1 else "comments"
    return f"{claimed} earlier {noun} written with this email address now appear under your name."


def connect() -> None:
    from byline.accounts.signals import email_verified

    email_verified.connect(claim_on_verification, dispatch_uid="imports-claim-on-verification")
