"""A Disqus export's comments land under the articles they were written for."""

from datetime import UTC, datetime

import pytest

from byline.comments.models import Comment
from byline.core.ip import ip_fingerprint
from byline.newsroom.models import Article
from tests.factories import ArticleFactory, SectionFactory
from tests.imports.wxr import write

pytestmark = pytest.mark.django_db


def by_text(text: str) -> Comment:
    return Comment.objects.get(body_source__contains=text)


def test_threads_match_articles_by_wordpress_id_and_by_old_link(import_wordpress, import_disqus):
    import_wordpress()
    report = import_disqus()
    bridge = Article.objects.get(slug="council-approves-bridge-budget")
    flood = Article.objects.get(slug="flood-warning")
    assert by_text("vote was closer").article == bridge  # thread <id> "101 …"
    assert by_text("Sandbags are gone").article == flood  # thread link = an old permalink
    assert report.site == "millbrook-courier"


def test_a_thread_linking_to_the_new_address_of_an_article_matches_it(tmp_path, import_disqus):
    article = ArticleFactory(section=SectionFactory(slug="local"), slug="the-ferry")
    export = f"""<?xml version="1.0"?><disqus xmlns="http://disqus.com"
 xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="1"><link>https://news.example.org{article.get_absolute_url()}</link><title>Ferry</title></thread>
<post dsq:id="2"><message>Hello ferry</message><createdAt>2025-05-09T16:46:57Z</createdAt>
<author><name>Ada</name></author><thread dsq:id="1"/></post></disqus>"""
    import_disqus(write(tmp_path, export))
    assert by_text("Hello ferry").article == article


def test_posts_keep_names_dates_parents_and_flags(import_wordpress, import_disqus):
    import_wordpress()
    import_disqus()
    question = by_text("consultation")
    answer = by_text("vote was closer")
    assert question.guest_name == "Guest Reader" and question.guest_email == ""
    assert question.created_at == datetime(2025, 3, 1, 14, 0, 1, tzinfo=UTC)
    # The reply comes first in the file; it still lands under its parent.
    assert (answer.parent, answer.depth) == (question, 1)
    assert answer.guest_email == "harriet@readers.example.org"
    assert answer.ip_hash == ip_fingerprint("203.0.113.80")
    assert by_text("Sandbags are gone").is_removed
    spam = by_text("free money")
    assert (spam.status, spam.rejection_reason) == (Comment.Status.REJECTED, "spam")


def test_hostile_html_in_a_disqus_post_is_sanitised(import_wordpress, import_disqus):
    import_wordpress()
    import_disqus()
    html = by_text("consultation").body_html
    assert "<script" not in html and "alert" not in html
    assert html == "<p>Does anyone know when the consultation closes?</p>"


def test_unmatched_threads_missing_parents_and_duplicates_are_reported(import_wordpress, import_disqus):
    import_wordpress()
    report = import_disqus()
    text = report.render()
    assert "thread: matches no article (neither its WordPress id nor its link) (1)" in text
    assert "1 comment(s) on “A story nobody imported”" in text
    assert "comment: duplicate post id 9002; the first one was kept (1)" in text
    assert "post 9006 (line" in text and "(parent 9999)" in text
    assert by_text("porch in 2019").parent is None
    assert not Comment.objects.filter(body_source__contains="Nobody will ever read").exists()


def test_comment_counts_include_imported_disqus_comments_exactly(import_wordpress, import_disqus):
    import_wordpress()
    import_disqus()
    for article in Article.objects.all():
        assert article.comment_count == Comment.objects.filter(article=article).public().count()
    assert Article.objects.get(slug="flood-warning").comment_count == 1
