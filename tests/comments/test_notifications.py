import socket
import threading

import pytest
from django.core import mail

from byline.accounts.models import User
from byline.comments import services
from byline.comments.notifications import unsubscribe_token
from tests.factories import UserFactory


def reply_to(author, article, parent, body="I see it differently."):
    return services.post_comment(
        author=author, article=article, body_source=body, parent_id=parent.pk
    ).comment


@pytest.fixture
def thread(article):
    asker = UserFactory(display_name="Asker", email="asker@example.org")
    answerer = UserFactory(display_name="Answerer")
    question = services.post_comment(author=asker, article=article, body_source="Who pays for it?").comment
    return asker, answerer, question


@pytest.mark.django_db
def test_reply_notification_is_sent_after_commit_with_links(
    django_capture_on_commit_callbacks, article, thread
):
    asker, answerer, question = thread
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_to(answerer, article, question, "The province pays half.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asker@example.org"]
    assert "Answerer replied to your comment" in message.subject
    assert "The province pays half." in message.body
    assert f"{article.get_absolute_url()}#comment-{reply.pk}" in message.body
    assert "/comments/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/comments/unsubscribe/"
    )


@pytest.mark.django_db
def test_no_email_before_the_transaction_commits(django_capture_on_commit_callbacks, article, thread):
    asker, answerer, question = thread
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reply_to(answerer, article, question)
    assert mail.outbox == []
    assert callbacks


@pytest.mark.django_db
def test_no_email_when_the_reader_turned_notifications_off(
    django_capture_on_commit_callbacks, article, thread
):
    asker, answerer, question = thread
    User.objects.filter(pk=asker.pk).update(notify_replies=False)
    with django_capture_on_commit_callbacks(execute=True):
        reply_to(answerer, article, question)
    assert mail.outbox == []


@pytest.mark.django_db
def test_no_email_for_replying_to_yourself(django_capture_on_commit_callbacks, article, thread):
    asker, _, question = thread
    with django_capture_on_commit_callbacks(execute=True):
        reply_to(asker, article, question, "Answering myself")
    assert mail.outbox == []


@pytest.mark.django_db
def test_held_reply_notifies_only_once_approved(
    django_capture_on_commit_callbacks, article, thread, settings
):
    asker, answerer, question = thread
    settings.BYLINE_COMMENT_POLICY = "tests.comments.policies.hold_everything"
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_to(answerer, article, question)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=reply)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_one_click_unsubscribe_works_without_signing_in(client, thread):
    asker, _, _ = thread
    response = client.get(f"/comments/unsubscribe/{unsubscribe_token(asker)}/")
    assert response.status_code == 200
    assert "you will no longer get emails" in response.content.decode()
    asker.refresh_from_db()
    assert asker.notify_replies is False


@pytest.mark.django_db
def test_rfc8058_one_click_post_unsubscribes_without_a_csrf_token(thread):
    from django.test import Client

    asker, _, _ = thread
    response = Client(enforce_csrf_checks=True).post(
        f"/comments/unsubscribe/{unsubscribe_token(asker)}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    asker.refresh_from_db()
    assert asker.notify_replies is False


@pytest.mark.django_db
def test_a_forged_unsubscribe_link_changes_nothing(client, thread):
    asker, _, _ = thread
    response = client.get(f"/comments/unsubscribe/{unsubscribe_token(asker)}x/")
    assert response.status_code == 400
    asker.refresh_from_db()
    assert asker.notify_replies is True


@pytest.mark.django_db
def test_resubscribing_from_the_unsubscribe_page(client, thread):
    asker, _, _ = thread
    token = unsubscribe_token(asker)
    client.get(f"/comments/unsubscribe/{token}/")
    client.post(f"/comments/unsubscribe/{token}/", {"resubscribe": "1"})
    asker.refresh_from_db()
    assert asker.notify_replies is True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages: list[bytes] = []
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope.content)
        self.received.set()
        return "250 Message accepted for delivery"


@pytest.mark.django_db
def test_reply_notification_goes_through_a_real_smtp_server(
    django_capture_on_commit_callbacks, settings, article
):
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        asker = UserFactory(display_name="Smtp Asker", email="smtp-asker@example.org")
        question = services.post_comment(author=asker, article=article, body_source="Any news?").comment
        with django_capture_on_commit_callbacks(execute=True):
            reply_to(UserFactory(display_name="Smtp Answerer"), article, question, "Yes, on Friday.")
        assert inbox.received.wait(10)
    finally:
        controller.stop()
    message = message_from_bytes(inbox.messages[0], policy=policy.default)
    assert message["To"] == "smtp-asker@example.org"
    assert "Smtp Answerer replied to your comment" in message["Subject"]
    assert "Yes, on Friday." in message.get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
