"""Test doubles for BYLINE_COMMENT_POLICY (they live in tests only)."""

from byline.comments.policy import PolicyDecision, Verdict

SEEN = []


def hold_everything(draft):
    SEEN.append(draft)
    return PolicyDecision(
        verdict=Verdict.HOLD,
        reasons=[{"check": "test", "verdict": "hold", "reason": "held by the test policy", "score": 0.5}],
        toxicity_score=0.5,
    )


def reject_everything(draft):
    return PolicyDecision(
        verdict=Verdict.REJECT,
        reasons=[{"check": "words", "verdict": "reject", "reason": "banned word", "score": None}],
        message_for_author="Your comment uses language our community guidelines do not allow.",
    )


def nudge_once(draft):
    if draft.confirmed_nudge:
        return PolicyDecision(verdict=Verdict.APPROVE)
    return PolicyDecision(
        verdict=Verdict.APPROVE, nudge=True, message_for_author="This may come across as harsh."
    )


def not_a_decision(draft):
    return ("approve", "old style")
