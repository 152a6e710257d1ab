"""`selectors.posting_signals` asks in one hand-written query what the readable selectors
(`effective_settings`, `author_record`, `comments_by_author_since`, `standing_of`, `mode_for_article`,
`same_text_posted_recently`) ask in eight: every case here checks the answer itself and that both agree."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from byline.comments.models import Comment
from byline.comments.policy import CommentDraft
from byline.moderation import selectors
from byline.moderation.models import ArticleModerationSettings, AuthorStanding, SiteModerationSettings
from tests.comments.factories import CommentFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trust_after_three")]
LONG_TEXT = "The ferry timetable changed again without notice."


def ask(author, article, text=LONG_TEXT, *, editing=None) -> selectors.PostingSignals:
    """posting_signals, after checking it against the separate selectors."""
    now = timezone.now()
    since = now - timedelta(seconds=120)
    draft = CommentDraft(
        author=author, article=article, parent=None, body_source=text, body_text=text, editing=editing
    )
    signals = selectors.posting_signals(draft=draft, now=now, since=since)
    assert signals.site == selectors.effective_settings()
    duplicate = selectors.same_text_posted_recently(draft=draft, now=now)
    override = ArticleModerationSettings.objects.filter(article=article).values_list("mode", flat=True)
    assert signals.duplicate == duplicate
    assert signals.article_mode == (override.first() or "")
    if author is None:
        assert signals.standing is None and not signals.trusted
        return signals
    record = selectors.author_record(author=author, trust_after=signals.site["trust_after"])
    assert signals.standing == selectors.standing_of(author)
    assert signals.recent_by_author == selectors.comments_by_author_since(author=author, since=since)
    assert signals.has_approved == (record.approved > 0)
    assert signals.trusted == record.trusted
    return signals


@pytest.fixture
def trust_after_three(settings):
    settings.BYLINE_MODERATION_TRUST_APPROVED = 3


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def test_a_first_time_reader_has_no_record_no_standing_and_no_burst(old_reader, article):
    signals = ask(old_reader, article)
    assert (signals.standing, signals.recent_by_author, signals.has_approved, signals.trusted) == (
        None,
        0,
        False,
        False,
    )


def test_trust_needs_as_many_approved_comments_as_the_setting_says(old_reader, article, settings):
    for _ in range(3):
        CommentFactory(author=old_reader, created_at=days_ago(2))
    assert ask(old_reader, article).trusted
    settings.BYLINE_MODERATION_TRUST_APPROVED = 4
    assert not ask(old_reader, article).trusted
    settings.BYLINE_MODERATION_TRUST_APPROVED = 0
    assert ask(old_reader, article).trusted


def test_the_moderators_saved_settings_win_over_the_defaults(old_reader, article):
    for _ in range(2):
        CommentFactory(author=old_reader, created_at=days_ago(2))
    assert not ask(old_reader, article).trusted
    SiteModerationSettings.objects.create(pk=1, trust_after=2, mode="pre", hold_threshold=0.5)
    signals = ask(old_reader, article)
    assert signals.trusted
    assert (signals.site["mode"], signals.site["hold_threshold"], signals.site["trust_after"]) == (
        "pre",
        0.5,
        2,
    )


@override_settings(BYLINE_MODERATION_TRUST_RECENT=2)
def test_only_a_rejection_among_the_latest_comments_takes_trust_away(old_reader, article):
    CommentFactory(author=old_reader, status=Comment.Status.REJECTED, created_at=days_ago(5))
    for _ in range(3):
        CommentFactory(author=old_reader, created_at=days_ago(2))
    assert ask(old_reader, article).trusted  # the rejection is older than the latest two
    CommentFactory(author=old_reader, status=Comment.Status.REJECTED, created_at=days_ago(1))
    assert not ask(old_reader, article).trusted


def test_held_and_rejected_comments_are_not_an_approved_record(old_reader, article):
    CommentFactory(author=old_reader, status=Comment.Status.PENDING, created_at=days_ago(2))
    CommentFactory(author=old_reader, status=Comment.Status.REJECTED, created_at=days_ago(3))
    assert not ask(old_reader, article).has_approved


def test_the_burst_counts_only_comments_inside_the_window(old_reader, article):
    CommentFactory(author=old_reader, created_at=days_ago(1))
    for _ in range(3):
        CommentFactory(author=old_reader, created_at=timezone.now() - timedelta(seconds=30))
    CommentFactory(created_at=timezone.now())  # someone else's
    assert ask(old_reader, article).recent_by_author == 3


def test_a_standing_comes_back_with_its_dates(old_reader, article):
    until = timezone.now() + timedelta(days=3)
    AuthorStanding.objects.create(user=old_reader, suspended_until=until, always_premoderate=True)
    standing = ask(old_reader, article).standing
    assert standing.suspended_until == until and standing.is_suspended()
    assert standing.always_premoderate and not standing.is_banned


def test_the_articles_own_mode_is_read(old_reader, article):
    ArticleModerationSettings.objects.create(article=article, mode="pre_first")
    assert ask(old_reader, article).article_mode == "pre_first"


def test_the_same_long_text_by_anyone_recently_is_a_duplicate(old_reader, article):
    assert not ask(old_reader, article).duplicate
    CommentFactory(body_source=LONG_TEXT, created_at=timezone.now() - timedelta(minutes=5))
    assert ask(old_reader, article).duplicate
    assert not ask(old_reader, article, "Agreed.").duplicate


def test_a_removed_or_old_comment_or_the_one_being_edited_is_no_duplicate(old_reader, article):
    CommentFactory(body_source=LONG_TEXT, is_removed=True)
    CommentFactory(body_source=LONG_TEXT, created_at=days_ago(1))
    assert not ask(old_reader, article).duplicate
    mine = CommentFactory(author=old_reader, body_source=LONG_TEXT)
    assert not ask(old_reader, article, editing=mine).duplicate
    assert ask(old_reader, article).duplicate


def test_a_draft_without_an_author_gets_only_the_article_and_text_signals(article):
    CommentFactory(body_source=LONG_TEXT)
    signals = ask(None, article)
    assert signals.duplicate and signals.recent_by_author == 0 and not signals.has_approved


def test_a_reader_with_a_standing_but_no_comments(article):
    reader = UserFactory()
    AuthorStanding.objects.create(user=reader, is_shadow_banned=True)
    signals = ask(reader, article)
    assert signals.standing.is_shadow_banned and signals.standing.user_id == reader.pk


@pytest.mark.parametrize(
    ("cap", "threshold", "posted", "counted"),
    [
        (4, 2, 6, (4, True)),  # a flood: counting stops at the cap
        (2, 5, 6, (5, True)),  # a threshold above the cap: counting goes as far as the threshold
        (4, 2, 3, (3, False)),  # under the cap: the exact number
    ],
)
def test_a_burst_is_counted_up_to_the_cap(
    old_reader, article, settings, monkeypatch, cap, threshold, posted, counted
):
    monkeypatch.setattr(selectors, "BURST_COUNT_CAP", cap)
    settings.BYLINE_MODERATION_BURST_COUNT = threshold
    for _ in range(posted):
        CommentFactory(author=old_reader, created_at=timezone.now() - timedelta(seconds=30))
    assert counted_burst(old_reader, article) == counted


def counted_burst(author, article) -> tuple[int, bool]:
    now = timezone.now()
    draft = CommentDraft(author=author, article=article, parent=None, body_source="Hi", body_text="Hi")
    signals = selectors.posting_signals(draft=draft, now=now, since=now - timedelta(seconds=120))
    return signals.recent_by_author, signals.burst_capped


# The duplicate check looks texts up by their digest: every way a comment's text is written keeps it.


def test_only_the_very_same_text_is_a_duplicate(old_reader, article):
    CommentFactory(body_source=LONG_TEXT, created_at=timezone.now() - timedelta(minutes=5))
    assert ask(old_reader, article, LONG_TEXT).duplicate
    assert not ask(old_reader, article, LONG_TEXT.upper()).duplicate
    assert not ask(old_reader, article, LONG_TEXT + " ").duplicate
    assert not ask(old_reader, article, "The ferry timetable changed again, with notice.").duplicate


def test_an_edited_comment_is_a_duplicate_of_its_new_text_only(old_reader, article):
    from byline.comments.services import comment_edit

    first_text = "The ferry used to leave at seven every morning."
    mine = CommentFactory(author=old_reader, article=article, body_source=first_text)
    assert ask(None, article, first_text).duplicate
    comment_edit(comment=mine, user=old_reader, body_source=LONG_TEXT)
    assert ask(None, article, LONG_TEXT).duplicate
    assert not ask(None, article, first_text).duplicate


def test_comments_written_in_bulk_or_by_update_are_found_by_their_text(old_reader, article):
    other = "Nobody at the council answered my letter about it."
    Comment.objects.bulk_create([Comment(article=article, body_source=LONG_TEXT, body_html="")])
    assert ask(old_reader, article).duplicate
    written = CommentFactory(article=article)
    Comment.objects.filter(pk=written.pk).update(body_source=other)
    assert ask(old_reader, article, other).duplicate
    written.body_source = LONG_TEXT + " Twice."
    Comment.objects.bulk_update([written], ["body_source"])
    assert ask(old_reader, article, LONG_TEXT + " Twice.").duplicate
    assert not ask(old_reader, article, other).duplicate


def test_a_recently_imported_comment_counts_as_a_duplicate(old_reader, article, tmp_path):
    import io

    from byline.imports.disqus import DisqusImporter

    posted = (timezone.now() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    export = tmp_path / "disqus.xml"
    export.write_text(
        f"""<?xml version="1.0"?><disqus xmlns="http://disqus.com"
 xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="1"><link>https://news.example.org{article.get_absolute_url()}</link><title>T</title></thread>
<post dsq:id="2"><message>{LONG_TEXT}</message><createdAt>{posted}</createdAt>
<author><name>Ada</name></author><thread dsq:id="1"/></post></disqus>""",
        encoding="utf-8",
    )
    DisqusImporter(path=export, progress_stream=io.StringIO(), show_progress=False).run()
    imported = Comment.objects.get(guest_name="Ada")
    assert ask(old_reader, article, imported.body_source).duplicate


def test_on_postgresql_the_signals_statement_is_planned_once_per_connection(old_reader, article):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: this run uses " + connection.vendor)
    for _ in range(7):
        counted_burst(old_reader, article)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%recent_by_author%"],
        )
        (runs,) = cursor.fetchone()
    # Prepared from its fifth run on this connection: PostgreSQL no longer parses it on every post.
    assert runs >= 2
