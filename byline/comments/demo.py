"""Demo comment threads, loaded by byline/web/demo/loader.py after the demo articles (inside its transaction).

Every text is in demo_texts.py, written for Byline. One article gets more than a thousand comments so the
COMMENTS section can be tried at scale. Comments are bulk-created and the counters recounted at the end.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from byline.accounts.models import User
from byline.accounts.names import display_name_key
from byline.comments import demo_texts as texts
from byline.comments.models import Comment, CommentLike
from byline.comments.services import article_recount_comments
from byline.core.text import render_comment
from byline.newsroom.models import Article

BUSY_ROOTS = 720
BUSY_REPLIES = 380
EMAIL_DOMAIN = "readers.example.org"


def load_demo_comments() -> str:
    if User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists():
        return ""  # loaded before
    rng = random.Random(20250509)
    regulars = _commenters(texts.COMMENTERS, prefix="regular")
    crowd_names = [f"{first} {last}" for first in texts.BUSY_NAMES_FIRST for last in texts.BUSY_NAMES_LAST]
    crowd = _commenters(rng.sample(crowd_names, 40), prefix="crowd")
    now = timezone.now()
    articles = list(Article.objects.live().filter(published_at__lte=now).order_by("published_at"))
    total = 0
    busy_article = None
    for article in articles:
        for key, threads in texts.THREADS.items():
            if key in article.slug:
                total += _write_threads(article, threads, regulars, now, rng)
                if key == texts.BUSY_SLUG:
                    busy_article = article
    if busy_article is not None:
        total += _write_crowd(busy_article, regulars + crowd, now, rng)
    likes = _like_comments(regulars + crowd, rng)
    for article in articles:
        article_recount_comments(article=article)
    return f"{total:,} comments" + (f" and {likes:,} likes" if likes else "")


def _commenters(names: list[str], *, prefix: str) -> list[User]:
    password = make_password(None)  # demo readers cannot sign in
    users = [
        User(
            username=f"demo-{prefix}-{n}",
            email=f"{prefix}-{n}@{EMAIL_DOMAIN}",
            display_name=name,
            display_name_key=display_name_key(name),
            password=password,
            email_verified_at=timezone.now(),
            notify_replies=False,
        )
        for n, name in enumerate(names)
    ]
    return User.objects.bulk_create(users)


def _moment(article: Article, now: datetime, rng: random.Random, after: datetime | None = None) -> datetime:
    start = max(after or article.published_at, article.published_at) + timedelta(minutes=2)
    span = max((now - start).total_seconds(), 60)
    return min(start + timedelta(seconds=rng.uniform(0, span) ** 0.9), now)


def _write_threads(article, threads, people, now, rng, parent: Comment | None = None) -> int:
    written = 0
    for who, text, replies in threads:
        comment = Comment.objects.create(
            article=article,
            author=people[who],
            parent=parent,
            in_reply_to=parent,
            thread_root=(parent.thread_root or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            body_source=text,
            body_html=render_comment(text),
            status=Comment.Status.APPROVED,
            created_at=_moment(article, now, rng, after=parent.created_at if parent else None),
        )
        written += 1 + _write_threads(article, replies, people, now, rng, parent=comment)
    return written


def _crowd_text(rng: random.Random) -> str:
    sentence = f"{rng.choice(texts.OPENERS)} {rng.choice(texts.POINTS)}."
    if rng.random() < 0.35:
        sentence += f" Also, {rng.choice(texts.POINTS)}."
    closer = rng.choice(texts.CLOSERS)
    return f"{sentence} {closer}".strip()


def _write_crowd(article: Article, people: list[User], now: datetime, rng: random.Random) -> int:
    roots = Comment.objects.bulk_create(
        _new(article, rng.choice(people), _crowd_text(rng), _moment(article, now, rng))
        for _ in range(BUSY_ROOTS)
    )
    replies = []
    for _ in range(BUSY_REPLIES):
        parent = rng.choice(roots)
        text = rng.choice(texts.REPLIES) if rng.random() < 0.6 else _crowd_text(rng)
        reply = _new(article, rng.choice(people), text, _moment(article, now, rng, after=parent.created_at))
        reply.parent = reply.in_reply_to = reply.thread_root = parent
        reply.depth = 1
        replies.append(reply)
    replies = Comment.objects.bulk_create(replies)
    deeper = []
    for parent in rng.sample(replies, 60):
        reply = _new(
            article,
            rng.choice(people),
            rng.choice(texts.REPLIES),
            _moment(article, now, rng, parent.created_at),
        )
        reply.parent = reply.in_reply_to = parent
        reply.thread_root_id = parent.thread_root_id
        reply.depth = 2
        deeper.append(reply)
    Comment.objects.bulk_create(deeper)
    return len(roots) + len(replies) + len(deeper)


def _new(article: Article, author: User, text: str, moment: datetime) -> Comment:
    return Comment(
        article=article,
        author=author,
        body_source=text,
        body_html=render_comment(text),
        status=Comment.Status.APPROVED,
        created_at=moment,
    )


def _like_comments(people: list[User], rng: random.Random) -> int:
    comments = list(Comment.objects.filter(author__in=people).only("pk", "author_id"))
    likes = []
    counts: dict[int, int] = {}
    for comment in comments:
        k = min(int(rng.expovariate(0.45)), 12)
        fans = [p for p in rng.sample(people, min(len(people), k + 1)) if p.pk != comment.author_id][:k]
        likes.extend(CommentLike(comment_id=comment.pk, user=fan) for fan in fans)
        counts[comment.pk] = len(fans)
    CommentLike.objects.bulk_create(likes, batch_size=2000)
    for comment in comments:
        comment.like_count = counts[comment.pk]
    Comment.objects.bulk_update(comments, ["like_count"], batch_size=1000)
    return len(likes)
