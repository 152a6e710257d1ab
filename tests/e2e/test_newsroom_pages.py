"""The home page and an article page in a real browser, with JavaScript on and off, checked by axe-core."""

from datetime import UTC, datetime

import pytest

from tests.factories import ArticleFactory, JournalistFactory, SectionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story():
    from byline.web.demo.loader import hero_image

    maya = JournalistFactory(name="Maya Okafor", slug="maya-okafor", role="Journalist and Writer",
                             bio_source="Maya covers city hall and housing.")
    article = ArticleFactory(
        section=SectionFactory(name="Local", slug="local"),
        slug="council-delays-vote",
        headline="Council delays budget vote",
        standfirst="A late amendment split councillors and pushed the vote to next week.",
        body_source="The council adjourned without a budget.\n\nThe vote is now set for Tuesday.",
        published_at=datetime(2025, 5, 9, 16, 46, 57, tzinfo=UTC),
        journalists=[maya],
        hero_alt="An illustration of the council chamber",
    )
    article.hero_image.save("council.jpg", hero_image("council", 640, 360), save=True)
    return article


def axe_violations(page, browser, *, javascript: bool = True) -> list[str]:
    """axe-core's findings on the page as it is now. axe needs JavaScript: for a page opened with
    JavaScript off, the DOM it rendered is checked in a scripted tab of its own that loads nothing else."""
    from axe_playwright_python.sync_playwright import Axe

    if javascript:
        return _violations(Axe().run(page))
    context = browser.new_context()
    try:
        copy = context.new_page()
        copy.route("**/*", lambda route: route.fulfill(status=404, body=""))
        copy.set_content(page.content())
        return _violations(Axe().run(copy))
    finally:
        context.close()


def _violations(results) -> list[str]:
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]]


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_home_and_article_pages_work_and_are_accessible(browser, live_server, story, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        page.goto(live_server.url + "/")
        assert page.locator("a", has_text="Council delays budget vote").count() == 1
        assert axe_violations(page, browser, javascript=javascript) == []

        page.click("text=Council delays budget vote")
        page.wait_for_url("**/local/council-delays-vote/")
        assert page.locator("h1").inner_text() == "Council delays budget vote"
        assert "pushed the vote to next week" in page.locator(".standfirst").inner_text()
        assert page.locator("time.published").inner_text() == "2025-05-09 12:46:57 -0400"
        assert page.locator(".hero img").get_attribute("alt") == "An illustration of the council chamber"
        assert "The vote is now set for Tuesday." in page.locator(".article-body").inner_text()
        box = page.locator(".byline-box")
        assert box.locator("a", has_text="Maya Okafor").get_attribute("href") == "/journalists/maya-okafor/"
        assert "Journalist and Writer" in box.inner_text()
        assert "Maya covers city hall and housing." in box.inner_text()
        assert box.locator("a", has_text="Help fund Maya's journalism!").is_visible()
        assert page.locator("#comments h2").inner_text().upper().startswith("COMMENTS")
        assert axe_violations(page, browser, javascript=javascript) == []

        box.locator("a", has_text="Help fund Maya's journalism!").click()
        page.wait_for_url("**/support/maya-okafor/**")
        assert "Maya" in page.locator("h1").inner_text()
        assert errors == []
    finally:
        context.close()


def test_article_page_fits_a_phone_screen(browser, live_server, story):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        page.goto(live_server.url + story.get_absolute_url())
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 375
        assert axe_violations(page, browser) == []
    finally:
        context.close()
