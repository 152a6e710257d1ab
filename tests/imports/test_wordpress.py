"""A WordPress export becomes journalists, sections, tags, articles, redirects and comments."""

from datetime import UTC, datetime

import pytest

from byline.comments.models import Comment
from byline.core.ip import ip_fingerprint
from byline.imports.models import ImportedIdentity
from byline.journalists.models import Journalist
from byline.newsroom.models import Article, ArticleRedirect, Section, Tag
from tests.factories import JournalistFactory, SectionFactory, UserFactory
from tests.imports.wxr import FIXTURES, write, wxr, wxr_comment, wxr_item

pytestmark = pytest.mark.django_db


def article(slug: str) -> Article:
    return Article.objects.get(slug=slug)


def comment_by(text: str) -> Comment:
    return Comment.objects.get(body_source__contains=text)


def test_authors_become_journalists_named_by_their_display_or_real_name(import_wordpress):
    import_wordpress()
    assert Journalist.objects.get(email="odile@courier.example.net").name == "Odile Fairweather"
    # WordPress put the login in the display name; the real name is better.
    assert Journalist.objects.get(email="theo.brandt@courier.example.net").name == "Theo Brandt"
    bridge = article("council-approves-bridge-budget")
    assert [j.name for j in bridge.ordered_journalists] == ["Odile Fairweather"]


def test_authors_are_matched_to_existing_journalists_by_login_then_email(import_wordpress):
    by_login = JournalistFactory(name="Odile F. (staff)", user=UserFactory(username="odile"))
    by_email = JournalistFactory(name="Theo Brandt (staff)", email="Theo.Brandt@courier.example.net")
    import_wordpress()
    assert article("council-approves-bridge-budget").ordered_journalists == [by_login]
    assert article("flood-warning").ordered_journalists == [by_email]
    assert not Journalist.objects.filter(name="Odile Fairweather").exists()
    login = ImportedIdentity.objects.get(kind="author", external_id="odile")
    assert login.object_id == by_login.pk


def test_an_author_missing_from_the_declarations_still_gets_a_journalist_and_a_note(import_wordpress):
    report = import_wordpress()
    assert [j.name for j in article("guest-column").ordered_journalists] == ["guestwriter"]
    assert "journalist: author not declared in the export; created from the post's login" in report.render()


def test_categories_become_sections_and_tags_become_tags(import_wordpress):
    import_wordpress()
    assert set(Section.objects.values_list("slug", "name")) >= {
        ("city-hall", "City Hall"),
        ("river", "The River"),
    }
    bridge = article("council-approves-bridge-budget")
    assert bridge.section.slug == "city-hall"
    # A post has one section: its second category is kept as a tag, next to its real tags.
    assert sorted(t.name for t in bridge.tags.all()) == ["Budget", "The River"]
    assert set(Tag.objects.values_list("slug", flat=True)) >= {"budget", "flooding"}


def test_existing_sections_are_reused_by_slug(import_wordpress):
    existing = SectionFactory(slug="river", name="River News")
    import_wordpress()
    assert article("flood-warning").section == existing


def test_post_statuses_map_to_published_scheduled_and_draft(import_wordpress):
    import_wordpress()
    assert article("council-approves-bridge-budget").status == Article.Status.PUBLISHED
    assert article("library-reopens").status == Article.Status.SCHEDULED
    for slug in ["school-board-race", "salary-notes", "notes-for-the-ferry-story"]:
        assert article(slug).status == Article.Status.DRAFT
        assert article(slug).published_at is None


def test_publication_time_is_post_date_gmt_to_the_second(import_wordpress):
    import_wordpress()
    assert article("council-approves-bridge-budget").published_at == datetime(
        2025, 2, 14, 17, 30, 5, tzinfo=UTC
    )
    assert article("library-reopens").published_at == datetime(2030, 6, 1, 13, 0, tzinfo=UTC)


def test_a_draft_dated_zero_gets_a_slug_from_its_title_and_no_date(import_wordpress):
    import_wordpress()
    draft = article("notes-for-the-ferry-story")
    assert draft.headline == "Notes for the ferry story"
    assert draft.section.slug == "uncategorized"


def test_a_published_post_without_any_valid_date_is_kept_as_a_draft_and_reported(tmp_path, import_wordpress):
    path = write(tmp_path, wxr(wxr_item(1, date_gmt="0000-00-00 00:00:00")))
    report = import_wordpress(path)
    assert Article.objects.get().status == Article.Status.DRAFT
    assert "published post without a valid date; imported as a draft" in report.render()


def test_excerpt_becomes_the_standfirst(import_wordpress):
    import_wordpress()
    assert (
        article("council-approves-bridge-budget").standfirst == "Seven councillors said yes to the crossing."
    )


def test_paragraph_less_wordpress_text_becomes_paragraphs(import_wordpress):
    import_wordpress()
    html = article("council-approves-bridge-budget").body_html
    assert "<p>The council voted 7 to 2 on Thursday night to pay for the new bridge.<br>\n" in html
    assert "<p>Work starts in *April*, the mayor said" in html  # old text is not read as Markdown
    assert "<blockquote>\n<p>We have waited long enough.</p>\n</blockquote>" in html
    assert article("flood-warning").body_html.count("<p>") == 2


def test_hostile_html_in_a_post_is_sanitised(import_wordpress):
    import_wordpress()
    bridge = article("council-approves-bridge-budget")
    for hostile in ["<script", "javascript:", "onclick", "stolen"]:
        assert hostile not in bridge.body_html
        assert hostile not in bridge.body_source
    assert "Read the motion" in bridge.body_html


def test_comment_status_decides_whether_comments_are_open(import_wordpress):
    import_wordpress()
    assert article("council-approves-bridge-budget").comments_open is True
    assert article("flood-warning").comments_open is False


def test_old_permalinks_answer_with_a_301_to_the_new_address(client, import_wordpress):
    import_wordpress()
    bridge = article("council-approves-bridge-budget")
    response = client.get("/2025/02/14/council-approves-bridge-budget/")
    assert response.status_code == 301
    assert response["Location"] == bridge.get_absolute_url()
    assert ArticleRedirect.objects.filter(old_path="/?p=101", article=bridge).exists()


def test_old_query_string_address_answers_with_a_301(client, import_wordpress):
    import_wordpress()
    response = client.get("/?p=101")
    assert response.status_code == 301
    assert response["Location"] == article("council-approves-bridge-budget").get_absolute_url()


def test_redirects_to_drafts_are_stored_but_not_followed_until_published(client, import_wordpress):
    import_wordpress()
    assert ArticleRedirect.objects.filter(old_path="/?p=104").exists()
    assert client.get("/2025/01/10/guest-column/").status_code == 301


def test_pages_attachments_and_duplicate_posts_are_reported_and_skipped(import_wordpress):
    report = import_wordpress()
    assert not Article.objects.filter(headline__in=["About the Courier", "bridge-photo.jpg"]).exists()
    assert not Article.objects.filter(slug="council-duplicate").exists()
    text = report.render()
    assert "page: pages are not imported (1)" in text
    assert "page 110 “About the Courier” (line 291)" in text
    assert "attachment: attachments are not imported" in text
    assert "post: duplicate post id 101; the first one was kept (1)" in text
    assert "post 101 “Council approves the bridge budget (duplicate)” (line 280)" in text
    assert report.skipped["page"] == 1 and report.skipped["attachment"] == 1


def test_comments_keep_name_email_time_and_an_anonymised_address(import_wordpress):
    import_wordpress()
    first = comment_by("My grandfather asked")
    assert first.guest_name == "Marguerite Ocampo"
    assert first.guest_email == "marguerite@readers.example.org"
    assert first.author is None
    assert first.created_at == datetime(2025, 2, 14, 18, 2, 11, tzinfo=UTC)
    # The /24 is kept, not the address.
    assert first.ip_hash == ip_fingerprint("203.0.113.45") == ip_fingerprint("203.0.113.1")
    assert "203.0.113" not in first.ip_hash
    assert comment_by("Your grandfather had patience").ip_hash == ip_fingerprint("2001:db8:85a3::1")


def test_comments_are_threaded_by_their_parent(import_wordpress):
    import_wordpress()
    top = comment_by("My grandfather asked")
    reply = comment_by("Your grandfather had patience")
    reply_to_reply = comment_by("I will read it tonight")
    assert (top.depth, top.parent) == (0, None)
    assert (reply.parent, reply.depth, reply.thread_root) == (top, 1, top)
    assert (reply_to_reply.parent, reply_to_reply.in_reply_to, reply_to_reply.depth) == (reply, reply, 2)
    assert reply_to_reply.thread_root == top


def test_approval_values_map_to_approved_pending_rejected_and_removed(import_wordpress):
    import_wordpress()
    assert comment_by("My grandfather asked").status == Comment.Status.APPROVED
    assert comment_by("I will read it tonight").status == Comment.Status.PENDING
    spam = comment_by("Buy watches here")
    assert (spam.status, spam.rejection_reason) == (Comment.Status.REJECTED, "spam")
    assert spam.moderation_reasons[0]["reason"] == "marked as spam in WordPress"
    trashed = comment_by("I take back what I said")
    assert trashed.is_removed and not trashed.is_public


def test_comment_count_counts_exactly_the_visible_comments(import_wordpress):
    import_wordpress()
    bridge = article("council-approves-bridge-budget")
    assert bridge.comment_count == Comment.objects.filter(article=bridge).public().count() == 4


def test_hostile_html_in_a_comment_is_sanitised_like_a_new_comment(import_wordpress):
    import_wordpress()
    html = comment_by("Your grandfather had patience").body_html
    assert "<img" not in html and "onerror" not in html and "onmouseover" not in html
    assert '<a href="https://example.org/plan" rel="nofollow ugc noopener">The plan</a>' in html


def test_a_reply_whose_parent_is_missing_becomes_top_level_and_is_reported(import_wordpress):
    report = import_wordpress()
    orphan = comment_by("Replying to a comment that was deleted long ago")
    assert orphan.parent is None and orphan.depth == 0
    assert (
        "comment 507 on post 101 “Council approves the bridge budget” (line 139) (parent 499)"
        in report.render()
    )


def test_duplicate_ids_zero_dates_and_pingbacks_are_skipped_with_reasons(import_wordpress):
    report = import_wordpress()
    assert not Comment.objects.filter(body_source__contains="reuses id 502").exists()
    assert not Comment.objects.filter(body_source__contains="no date at all").exists()
    assert not Comment.objects.filter(body_source__contains="the Courier reported").exists()
    text = report.render()
    assert "comment: duplicate comment id 502; the first one was kept (1)" in text
    assert "comment: no valid date (0000-00-00 or missing) (1)" in text
    assert "comment: pingbacks are not imported (1)" in text
    # 7 comments written, plus the pingback, duplicate, undated one and the one on the page: 4 skipped.
    assert (report.created["comment"], report.skipped["comment"]) == (7, 4)


def test_replies_deeper_than_the_maximum_depth_hang_at_the_deepest_level(
    tmp_path, import_wordpress, settings
):
    settings.BYLINE_COMMENT_MAX_DEPTH = 2
    chain = "".join(wxr_comment(n, parent=n - 1 if n > 1 else 0, body=f"level {n}") for n in range(1, 6))
    import_wordpress(write(tmp_path, wxr(wxr_item(1, comments=chain))))
    depths = {
        c.body_source: (c.depth, c.in_reply_to.body_source if c.in_reply_to else None)
        for c in Comment.objects.all()
    }
    assert depths["level 3"] == (2, "level 2")
    assert depths["level 5"] == (2, "level 4")
    assert Comment.objects.get(body_source="level 5").parent.body_source == "level 2"


def test_a_reply_listed_before_its_parent_is_still_threaded(tmp_path, import_wordpress):
    comments = wxr_comment(2, parent=1, body="the reply") + wxr_comment(1, body="the parent")
    import_wordpress(write(tmp_path, wxr(wxr_item(1, comments=comments))))
    assert Comment.objects.get(body_source="the reply").parent == Comment.objects.get(
        body_source="the parent"
    )


def test_wxr_version_1_1_files_are_read_too(tmp_path, import_wordpress):
    report = import_wordpress(write(tmp_path, wxr(wxr_item(5, comments=wxr_comment(9)), version="1.1")))
    assert report.created["article"] == 1 and report.created["comment"] == 1
    assert Article.objects.get().headline == "Post 5"


def test_a_huge_comment_is_skipped_with_its_size_and_the_rest_imported(tmp_path, import_wordpress):
    huge = "word " * (10 * 1024 * 1024)  # 50 MB in one comment
    comments = wxr_comment(1, body="a normal comment") + wxr_comment(2, body=huge)
    report = import_wordpress(write(tmp_path, wxr(wxr_item(1, comments=comments))))
    assert list(Comment.objects.values_list("body_source", flat=True)) == ["a normal comment"]
    text = report.render()
    assert "comment: longer than 100,000 characters (BYLINE_IMPORT_MAX_COMMENT_CHARS) (1)" in text
    assert "comment 2 on post 1 “Post 1”" in text and "52,428,800 characters" in text


def test_items_of_unknown_types_and_statuses_are_skipped_with_reasons(tmp_path, import_wordpress):
    items = wxr_item(1, post_type="product") + wxr_item(2, status="trash") + wxr_item(3, status="auto-draft")
    report = import_wordpress(write(tmp_path, wxr(items)))
    assert not Article.objects.exists()
    text = report.render()
    assert "items of type “product” are not imported" in text
    assert "post status “trash” is not imported" in text


def test_the_import_is_recorded_with_its_report(import_wordpress):
    from byline.imports.models import ImportRun

    import_wordpress()
    run = ImportRun.objects.get()
    assert run.site == "https://courier.example.net"
    assert run.summary["created"]["article"] == 7


def test_fixture_is_a_wxr_1_2_file():
    assert "<wp:wxr_version>1.2</wp:wxr_version>" in (FIXTURES / "wordpress-1.2.xml").read_text()


def test_a_category_named_like_a_site_address_gets_a_slug_of_its_own(tmp_path, import_wordpress):
    report = import_wordpress(write(tmp_path, wxr(wxr_item(1, category="comments"))))
    section = Article.objects.get().section
    assert section.slug == "comments-news" and section.name == "Comments"
    assert "section: slug is used by the site itself; renamed" in report.render()


def test_a_percent_encoded_permalink_redirects_from_its_decoded_path(client, tmp_path, import_wordpress):
    item = wxr_item(1, slug="caf%c3%a9-reopens").replace(
        "/2025/caf%c3%a9-reopens/", "/2025/caf%C3%A9-reopens/"
    )
    import_wordpress(write(tmp_path, wxr(item)))
    article = Article.objects.get()
    assert article.slug == "cafe-reopens"
    response = client.get("/2025/caf%C3%A9-reopens/")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
