"""The comment policy: ordered checks, each returning a verdict, a reason code and (where it has one) a score.

`moderate_comment(draft)` is what BYLINE_COMMENT_POLICY names:

    BYLINE_COMMENT_POLICY = "byline.moderation.pipeline.moderate_comment"

Order: the author's standing (banned or suspended: refused with a message, the reader keeps their text),
then the text (banned words → reject; suspect words, toxicity, links → hold; the civility nudge), then spam
signals and the author (honeypot, duplicate text, burst, new account → hold), then the moderation mode
(pre-moderation, unless the author is trusted). The strictest verdict wins; every check that fired is
returned as a reason and stored on the comment. A classifier that fails or overruns its time budget holds
the comment with reason "classifier unavailable": a comment is never lost.
"""

from __future__ import annotations

import contextvars
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from byline.comments.policy import CommentDraft, PolicyDecision, Verdict
from byline.core.conf import byline_setting
from byline.core.errors import PermissionDenied
from byline.moderation import wordlists
from byline.moderation.toxicity import ClassifierUnavailable, get_backend

if TYPE_CHECKING:
    from byline.moderation.selectors import PostingSignals

logger = logging.getLogger("byline.moderation")

NUDGE_MESSAGE = (
    "Your comment may break our community guidelines. Edit it, or post it for a moderator to review."
)
HELD_MESSAGE = "Thanks! Your comment is awaiting review by a moderator."
UNAVAILABLE_MESSAGE = (
    "Thanks! Our automatic check is not available right now, so your comment awaits review by a moderator."
)
REJECTED_MESSAGE = (
    "Your comment was not published: it contains language our community guidelines do not allow."
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HREF = re.compile(r"<a\s[^>]*href=", re.IGNORECASE)
_SEVERITY = {Verdict.APPROVE: 0, Verdict.HOLD: 1, Verdict.REJECT: 2}
_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="toxicity")


@dataclass(frozen=True)
class Check:
    check: str
    verdict: Verdict
    reason: str
    score: float | None = None

    def as_dict(self) -> dict:
        return {"check": self.check, "verdict": str(self.verdict), "reason": self.reason, "score": self.score}


@dataclass
class TextScreen:
    """What the text alone says: the checks that fired, the toxicity score, whether to nudge."""

    checks: list[Check]
    toxicity: float | None
    nudge: bool


def _score_with_budget(text: str) -> tuple[float | None, dict]:
    budget = byline_setting("BYLINE_TOXICITY_TIME_BUDGET_MS") / 1000
    backend = get_backend()
    try:
        backend.prepare()
    except Exception as exc:  # noqa: BLE001 - an unloadable model holds the comment
        logger.warning("Toxicity classifier %s could not load: %s", backend.name, exc)
        return None, {"error": str(exc)}
    future = _executor.submit(contextvars.copy_context().run, backend.score, text)
    try:
        result = future.result(timeout=budget)
    except FutureTimeout:
        logger.warning("Toxicity classifier %s overran its %.0f ms budget.", backend.name, budget * 1000)
        return None, {"error": "timeout"}
    except ClassifierUnavailable as exc:
        logger.warning("Toxicity classifier %s unavailable: %s", backend.name, exc)
        return None, {"error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - a crash in a classifier must hold the comment, not lose it
        logger.exception("Toxicity classifier %s crashed.", backend.name)
        return None, {"error": type(exc).__name__}
    return result.score, result.signals


def count_links(text: str, html: str = "") -> int:
    return max(len(_URL.findall(text or "")), len(_HREF.findall(html or "")))


def screen_text(
    text: str,
    *,
    html: str = "",
    hold_threshold: float | None = None,
    nudge_threshold: float | None = None,
    max_links: int | None = None,
    matcher: wordlists.Matcher | None = None,
) -> TextScreen:
    """The checks that read only the text: word lists, toxicity, links."""
    from byline.moderation import selectors

    site = None
    if hold_threshold is None or nudge_threshold is None or max_links is None:
        site = selectors.effective_settings()
    hold_at = hold_threshold if hold_threshold is not None else site["hold_threshold"]
    nudge_at = nudge_threshold if nudge_threshold is not None else site["nudge_threshold"]
    links_max = max_links if max_links is not None else site["max_links"]
    matcher = matcher or wordlists.current_matcher()
    with wordlists.using(matcher):
        return _screen(text, html, matcher, hold_at, nudge_at, links_max)


def _screen(
    text: str, html: str, matcher: wordlists.Matcher, hold_at: float, nudge_at: float, links_max: int
) -> TextScreen:
    checks: list[Check] = []
    for match in matcher.find(text):
        verdict = Verdict.REJECT if match.list_name == wordlists.BANNED else Verdict.HOLD
        label = "banned" if verdict == Verdict.REJECT else "suspect"
        checks.append(Check(f"{label}_words", verdict, f"{match.category}: {match.word}"))
        if len([c for c in checks if c.check.endswith("_words")]) >= 5:
            break
    score, signals = _score_with_budget(text)
    if score is None:
        checks.append(Check("toxicity", Verdict.HOLD, "classifier unavailable"))
    elif score >= hold_at:
        checks.append(Check("toxicity", Verdict.HOLD, f"toxicity {score:.2f} ≥ {hold_at:.2f}", score))
    links = count_links(text, html)
    if links > links_max:
        checks.append(Check("links", Verdict.HOLD, f"{links} links (more than {links_max})", float(links)))
    nudge = score is not None and score >= nudge_at
    return TextScreen(checks=checks, toxicity=score, nudge=nudge)


def _author_checks(
    draft: CommentDraft, links: int, signals: PostingSignals, now: datetime
) -> tuple[list[Check], bool]:
    """Spam signals and the author's record. Returns the checks and whether the author is trusted."""
    from byline.moderation.selectors import resolve_mode

    checks: list[Check] = []
    if draft.honeypot.strip():
        checks.append(Check("honeypot", Verdict.HOLD, "hidden field filled in (a bot?)"))
    if signals.duplicate:
        checks.append(Check("duplicate", Verdict.HOLD, "the same text was posted recently"))
    author = draft.author
    if author is None:
        return checks, False
    recent = signals.recent_by_author
    if recent >= byline_setting("BYLINE_MODERATION_BURST_COUNT"):
        said = f"{recent} or more" if signals.burst_capped else str(recent)
        checks.append(Check("burst", Verdict.HOLD, f"{said} comments in a short time", float(recent)))
    age_limit = timedelta(minutes=byline_setting("BYLINE_MODERATION_NEW_ACCOUNT_MINUTES"))
    if author.date_joined and now - author.date_joined < age_limit:
        checks.append(
            Check("new_account", Verdict.HOLD, f"account younger than {age_limit.seconds // 60} minutes")
        )
    if links and not signals.has_approved:
        checks.append(Check("links", Verdict.HOLD, "link from a first-time commenter", float(links)))
    standing = signals.standing
    if standing is not None and standing.always_premoderate:
        checks.append(Check("standing", Verdict.HOLD, "author is always pre-moderated"))
    mode = resolve_mode(signals.article_mode, signals.site["mode"])
    trusted = signals.trusted
    if not trusted and mode == "pre":
        checks.append(Check("mode", Verdict.HOLD, "pre-moderation: every comment is reviewed"))
    elif not trusted and mode == "pre_first" and not signals.has_approved:
        checks.append(Check("mode", Verdict.HOLD, "pre-moderation of first-time commenters"))
    return checks, trusted


def warm_up() -> None:
    """Load the classifier's models now rather than on the first comment (call from a server's worker start,
    e.g. gunicorn's `post_worker_init`). Failures are logged; the first comment would then be held."""
    try:
        get_backend().prepare()
    except Exception:  # noqa: BLE001
        logger.warning("Could not warm up the toxicity classifier.", exc_info=True)


def refuse_if_barred(standing) -> None:
    """A banned or suspended reader is told so (with the end date) and keeps their text."""
    from byline.core.timefmt import format_stamp

    if standing is None:
        return
    if standing.is_banned:
        raise PermissionDenied("Your account may no longer post comments.", code="banned")
    if standing.is_suspended():
        raise PermissionDenied(
            f"Your account is suspended from commenting until {format_stamp(standing.suspended_until)}.",
            code="suspended",
        )


def moderate_comment(draft: CommentDraft) -> PolicyDecision:
    """The policy named by BYLINE_COMMENT_POLICY."""
    from byline.moderation import selectors

    now = timezone.now()
    since = now - timedelta(seconds=byline_setting("BYLINE_MODERATION_BURST_SECONDS"))
    signals = selectors.posting_signals(draft=draft, now=now, since=since)
    site = signals.site
    refuse_if_barred(signals.standing)
    screen = screen_text(
        draft.body_text or draft.body_source,
        html=draft.body_html,
        hold_threshold=site["hold_threshold"],
        nudge_threshold=site["nudge_threshold"],
        max_links=site["max_links"],
    )
    links = count_links(draft.body_text, draft.body_html)
    author_checks, trusted = _author_checks(draft, links, signals, now)
    checks = screen.checks + author_checks
    verdict = max((c.verdict for c in checks), key=_SEVERITY.__getitem__, default=Verdict.APPROVE)
    if verdict != Verdict.REJECT and screen.nudge:
        if not draft.confirmed_nudge:
            return PolicyDecision(
                verdict=Verdict.HOLD,
                reasons=[c.as_dict() for c in checks],
                toxicity_score=screen.toxicity,
                message_for_author=NUDGE_MESSAGE,
                nudge=True,
            )
        checks.append(Check("nudge", Verdict.HOLD, "posted after the civility nudge", screen.toxicity))
        verdict = Verdict.HOLD
    if verdict == Verdict.APPROVE:
        checks.append(Check("trust" if trusted else "default", Verdict.APPROVE, _approve_reason(trusted)))
    return PolicyDecision(
        verdict=verdict,
        reasons=[c.as_dict() for c in checks],
        toxicity_score=screen.toxicity,
        message_for_author=_message(verdict, checks),
    )


def _approve_reason(trusted: bool) -> str:
    return "trusted author, nothing flagged" if trusted else "nothing flagged"


def _message(verdict: Verdict, checks: list[Check]) -> str:
    if verdict == Verdict.REJECT:
        return REJECTED_MESSAGE
    if verdict == Verdict.HOLD:
        if any(c.reason == "classifier unavailable" for c in checks):
            return UNAVAILABLE_MESSAGE
        return HELD_MESSAGE
    return ""


def moderate_text(text: str) -> tuple[Verdict, bool, TextScreen]:
    """The text checks alone, with the shipped word lists and the BYLINE_* thresholds, as the evaluation
    bench runs them (no database needed): (verdict, nudged, screen)."""
    screen = screen_text(
        text,
        hold_threshold=byline_setting("BYLINE_TOXICITY_HOLD_THRESHOLD"),
        nudge_threshold=byline_setting("BYLINE_TOXICITY_NUDGE_THRESHOLD"),
        max_links=byline_setting("BYLINE_MODERATION_MAX_LINKS"),
        matcher=wordlists.default_matcher(),
    )
    verdict = max((c.verdict for c in screen.checks), key=_SEVERITY.__getitem__, default=Verdict.APPROVE)
    return verdict, screen.nudge, screen
