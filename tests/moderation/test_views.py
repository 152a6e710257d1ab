import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from byline.comments.models import Comment, CommentReport
from byline.moderation import services
from byline.moderation.models import Appeal, AuthorStanding, ModerationEvent
from tests.comments.factories import CommentFactory
from tests.factories import UserFactory
from tests.moderation.factories import held_comment

pytestmark = pytest.mark.django_db
QUEUE = reverse("moderation:queue")


def act(client, comment, action, **data):
    comment.refresh_from_db()
    payload = {"action": action, "fingerprint": services.comment_fingerprint(comment), **data}
    return client.post(reverse("moderation:comment_act", args=[comment.pk]), payload)


def test_readers_get_403_and_anonymous_visitors_the_login_page(client):
    assert client.get(QUEUE).status_code == 302
    client.force_login(UserFactory())
    for name in ("queue", "log", "log_csv", "words", "settings", "overview"):
        assert client.get(reverse(f"moderation:{name}")).status_code == 403
    comment = held_comment()
    assert (
        client.post(reverse("moderation:comment_act", args=[comment.pk]), {"action": "approve"}).status_code
        == 403
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_the_pending_queue_shows_the_comment_why_it_was_held_and_a_keyboard_script(moderator_client):
    comment = held_comment(body_source="This town is a shithole")
    page = moderator_client.get(QUEUE).content.decode()
    assert comment.article.headline in page
    assert "profanity: shithole" in page
    assert "0.90" in page
    assert "1 rejected" not in page and "0 rejected" in page and "account since" in page
    assert "moderation/moderation.js" in page and "<script>" not in page


def test_approving_a_held_comment_publishes_it_counts_it_logs_it_and_emails_the_author(
    moderator_client, moderator, django_capture_on_commit_callbacks
):
    comment = held_comment()
    with django_capture_on_commit_callbacks(execute=True):
        response = act(moderator_client, comment, "approve")
    assert response.status_code == 302
    comment.refresh_from_db()
    comment.article.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.article.comment_count == 1
    event = ModerationEvent.objects.filter(comment=comment, actor=moderator).get()
    assert (event.action, event.status_before, event.status_after) == ("approve", "pending", "approved")
    assert len(mail.outbox) == 1 and "published" in mail.outbox[0].subject
    assert mail.outbox[0].to == [comment.author.email]


def test_rejecting_needs_a_reason_which_the_author_receives(
    moderator_client, django_capture_on_commit_callbacks
):
    comment = held_comment()
    assert act(moderator_client, comment, "reject").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        act(moderator_client, comment, "reject", reason="Name-calling is not allowed here.")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert comment.rejection_reason == "Name-calling is not allowed here."
    assert "Name-calling is not allowed here." in mail.outbox[0].body
    assert f"/moderate/appeal/{comment.pk}/" in mail.outbox[0].body


def test_the_author_sees_the_reason_and_an_appeal_link_under_their_rejected_comment(client):
    comment = held_comment()
    Comment.objects.filter(pk=comment.pk).update(
        status=Comment.Status.REJECTED, rejection_reason="Off topic."
    )
    client.force_login(comment.author)
    page = client.get(comment.article.get_absolute_url()).content.decode()
    assert "Not published: Off topic." in page
    assert f'href="/moderate/appeal/{comment.pk}/">Ask for a second look</a>' in page


def test_nobody_moderates_their_own_comment(moderator_client, moderator):
    comment = held_comment(author=moderator)
    response = act(moderator_client, comment, "approve")
    assert response.status_code == 403
    assert "your own comment" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_a_decision_on_a_comment_changed_meanwhile_is_refused(moderator_client):
    comment = held_comment()
    stale = services.comment_fingerprint(comment)
    Comment.objects.filter(pk=comment.pk).update(
        body_source="edited in the meantime", edited_at=timezone.now()
    )
    response = moderator_client.post(
        reverse("moderation:comment_act", args=[comment.pk]), {"action": "approve", "fingerprint": stale}
    )
    assert response.status_code == 409
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_actions_need_the_csrf_token(moderator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    comment = held_comment()
    assert (
        client.post(reverse("moderation:comment_act", args=[comment.pk]), {"action": "approve"}).status_code
        == 403
    )


def test_bulk_approval_and_undo(moderator_client, moderator):
    first, second = held_comment(), held_comment()
    data = {
        "action": "approve",
        "comment": [first.pk, second.pk],
        f"fingerprint-{first.pk}": services.comment_fingerprint(first),
        f"fingerprint-{second.pk}": services.comment_fingerprint(second),
    }
    moderator_client.post(reverse("moderation:bulk"), data)
    assert Comment.objects.filter(status=Comment.Status.APPROVED).count() == 2
    event = ModerationEvent.objects.filter(comment=first, action="approve").get()
    assert "Undo" in moderator_client.get(QUEUE).content.decode()
    moderator_client.post(reverse("moderation:undo", args=[event.pk]))
    first.refresh_from_db()
    assert first.status == Comment.Status.PENDING
    assert ModerationEvent.objects.get(reverts=event).action == "undo"
    response = moderator_client.post(reverse("moderation:undo", args=[event.pk]), follow=True)
    assert "already undone" in response.content.decode()


def test_an_old_decision_cannot_be_undone(moderator):
    comment = held_comment()
    event = services.comment_moderate(comment_id=comment.pk, moderator=moderator, action="approve")
    ModerationEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with pytest.raises(Exception, match="too old"):
        services.decision_undo(event_id=event.pk, moderator=moderator)


def test_the_audit_log_is_append_only(moderator):
    event = services.comment_moderate(comment_id=held_comment().pk, moderator=moderator, action="approve")
    event.reason = "rewritten history"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_featuring_an_approved_comment(moderator_client):
    comment = CommentFactory()
    act(moderator_client, comment, "feature")
    comment.refresh_from_db()
    assert comment.is_featured


def test_author_actions_from_a_comment(moderator_client):
    comment = held_comment()
    act(moderator_client, comment, "suspend", days="3")
    standing = AuthorStanding.objects.get(user=comment.author)
    assert standing.is_suspended()
    assert timedelta(days=2, hours=23) < standing.suspended_until - timezone.now() <= timedelta(days=3)
    act(moderator_client, comment, "warn")
    act(moderator_client, comment, "premoderate")
    standing.refresh_from_db()
    assert standing.warnings == 1 and standing.always_premoderate
    page = moderator_client.get(reverse("moderation:author", args=[comment.author.pk])).content.decode()
    assert "Suspended author" in page and "Always pre-moderated" in page


def test_shadow_banning_hides_existing_comments_from_everyone_else(moderator):
    comment = CommentFactory()
    services.author_act(author=comment.author, moderator=moderator, action="shadow_ban")
    comment.refresh_from_db()
    comment.article.refresh_from_db()
    assert comment.is_shadowed and comment.article.comment_count == 0


def test_filters_and_search_narrow_the_queue(moderator_client):
    held_comment(body_source="Parking downtown is a disaster")
    other = held_comment(
        body_source="Something about the ferry",
        moderation_reasons=[{"check": "links", "verdict": "hold", "reason": "3 links", "score": 3.0}],
    )
    page = moderator_client.get(QUEUE, {"q": "parking"}).content.decode()
    assert "Parking downtown" in page and "ferry" not in page
    page = moderator_client.get(QUEUE, {"reason": "links"}).content.decode()
    assert "ferry" in page and "Parking" not in page
    page = moderator_client.get(QUEUE, {"author": other.author_id}).content.decode()
    assert "ferry" in page and "Parking" not in page


def test_the_reported_queue_lists_published_comments_with_open_reports_until_reviewed(moderator_client):
    comment = CommentFactory(body_source="A reported remark")
    report = CommentReport.objects.create(comment=comment, reporter=UserFactory(), reason="abuse")
    assert "A reported remark" in moderator_client.get(QUEUE, {"queue": "reported"}).content.decode()
    assert "A reported remark" in moderator_client.get(QUEUE, {"queue": "unmoderated"}).content.decode()
    act(moderator_client, comment, "approve")
    report.refresh_from_db()
    assert report.resolved_at is not None
    assert "A reported remark" not in moderator_client.get(QUEUE, {"queue": "reported"}).content.decode()
    assert "A reported remark" not in moderator_client.get(QUEUE, {"queue": "unmoderated"}).content.decode()
    assert "A reported remark" in moderator_client.get(QUEUE, {"queue": "approved"}).content.decode()


def test_the_audit_log_exports_as_csv(moderator_client, moderator):
    comment = held_comment()
    services.comment_moderate(
        comment_id=comment.pk, moderator=moderator, action="reject", reason="=HYPERLINK()"
    )
    response = moderator_client.get(reverse("moderation:log_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["time", "actor", "action"]
    actions = {(r[1], r[2]) for r in rows[1:]}
    assert ("system", "policy") in actions and ("moderator", "reject") in actions
    assert any(r[3] == "'=HYPERLINK()" for r in rows[1:])


def test_an_author_appeals_once_and_the_comment_returns_to_the_queue_marked(moderator_client):
    comment = held_comment(status=Comment.Status.REJECTED, rejection_reason="Off-topic")
    client = Client()
    client.force_login(comment.author)
    url = reverse("moderation:appeal", args=[comment.pk])
    assert "Off-topic" in client.get(url).content.decode()
    client.post(url, {"text": "It was about the article."})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert Appeal.objects.get(comment=comment).status == "open"
    assert "Appealed" in moderator_client.get(QUEUE).content.decode()
    assert client.post(url, {"text": "again"}).status_code == 400
    other = Client()
    other.force_login(UserFactory())
    assert other.get(url).status_code == 403


def test_word_lists_and_settings_are_editable_in_the_area(moderator_client):
    moderator_client.post(
        reverse("moderation:words"), {"term": "Gobshite", "list_name": "banned", "category": "insult"}
    )
    assert "gobshite" in moderator_client.get(reverse("moderation:words"), {"q": "gob"}).content.decode()
    moderator_client.post(reverse("moderation:settings"), {"mode": "pre", "hold_threshold": "0.8"})
    from byline.moderation.selectors import effective_setting

    assert effective_setting("mode") == "pre" and effective_setting("hold_threshold") == 0.8
    response = moderator_client.post(reverse("moderation:settings"), {"hold_threshold": "3"})
    assert response.status_code == 400


def test_the_overview_draws_svg_charts(moderator_client, moderator):
    services.comment_moderate(comment_id=held_comment().pk, moderator=moderator, action="approve")
    page = moderator_client.get(reverse("moderation:overview")).content.decode()
    assert page.count("<svg") == 4
    assert "suspect_words" in page
    assert "minutes" in page


def test_the_digest_emails_moderators_once_per_interval(moderator):
    held_comment()
    call_command("moderation_digest", stdout=io.StringIO())
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [moderator.email]
    assert mail.outbox[0].subject == "1 comment awaits moderation"
    assert "/moderate/" in mail.outbox[0].body
    held_comment()
    call_command("moderation_digest", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    call_command("moderation_digest", "--force", stdout=io.StringIO())
    assert len(mail.outbox) == 2


def test_an_imported_guest_comment_can_be_reviewed_and_approved(moderator_client):
    comment = held_comment(author=None, guest_name="Old Disqus Reader")
    page = moderator_client.get(reverse("moderation:comment", args=[comment.pk])).content.decode()
    assert "Old Disqus Reader" in page and "Suspend" not in page
    assert "Old Disqus Reader" in moderator_client.get(QUEUE).content.decode()
    act(moderator_client, comment, "approve")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_a_moderator_cannot_undo_a_decision_about_their_own_comment(moderator):
    colleague = UserFactory()
    colleague.groups.add(*moderator.groups.all())
    comment = held_comment(author=moderator)
    event = services.comment_moderate(
        comment_id=comment.pk, moderator=colleague, action="reject", reason="Rude."
    )
    with pytest.raises(Exception, match="about yourself"):
        services.decision_undo(event_id=event.pk, moderator=moderator)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED


def test_a_word_list_entry_with_an_unknown_list_is_refused_and_not_saved(moderator_client):
    from byline.moderation.models import WordListEntry

    response = moderator_client.post(
        reverse("moderation:words"), {"term": "blorp", "list_name": "nonsense", "category": "insult"}
    )
    assert response.status_code == 400
    assert not WordListEntry.objects.filter(term="blorp").exists()


def test_a_hostile_comment_executes_nothing_in_the_moderation_area(moderator_client):
    from byline.core.text import render_comment
    from tests.htmlcheck import executable_parts

    source = '<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) "><b>'
    comment = held_comment(body_source=source, body_html=render_comment(source))
    for url in (QUEUE, reverse("moderation:comment", args=[comment.pk]), reverse("moderation:log")):
        page = moderator_client.get(url).content.decode()
        assert executable_parts(page, allowed_tags={"script", "link", "meta", "form", "svg"}) == []
        assert page.count("<script") == 2  # the site's and the moderation area's own files
