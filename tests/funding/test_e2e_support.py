"""A new reader follows the support call under a byline, in a real browser, JavaScript on and off.

Nothing leaves the machine: the Stripe API is the local stand-in, and Stripe's Checkout page is answered
by the browser's own request interception.
"""


import pytest

from tests.factories import ArticleFactory, JournalistFactory, SectionFactory
from tests.funding import stripe_standin

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]




@pytest.fixture
def story():
    writer = JournalistFactory(name="Noor Haddad", slug="noor-haddad")
    return ArticleFactory(
        section=SectionFactory(name="City", slug="city"),
        slug="transit-fares-frozen",
        headline="Transit fares frozen for a year",
        journalists=[writer],
    )


def open_support_call(context, live_server, story):
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    page.get_by_role("link", name="Help fund Noor's journalism!").click()
    page.wait_for_load_state()
    return page


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]]


def test_without_stripe_keys_the_support_call_leads_to_an_honest_notice(
    browser, live_server, story, settings
):
    settings.BYLINE_STRIPE_SECRET_KEY = ""
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(15000)
    page = open_support_call(context, live_server, story)

    assert page.get_by_role("heading", level=1).inner_text() == "Help fund Noor's journalism!"
    assert "Online support is not set up yet" in page.content()
    assert page.get_by_role("button", name="Continue to secure payment").count() == 0
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_reader_corrects_a_bad_amount_and_reaches_stripe_checkout(
    browser, live_server, story, stripe_keys, javascript
):
    standin = stripe_standin.start()
    stripe_keys.BYLINE_STRIPE_API_BASE = standin.url
    context = browser.new_context(java_script_enabled=javascript)
    context.set_default_timeout(15000)
    context.route(
        "https://checkout.stripe.com/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Stripe Checkout</title>"
        ),
    )
    try:
        page = open_support_call(context, live_server, story)
        assert "Transit fares frozen for a year" in page.content()
        if javascript:  # axe runs as a script in the page
            assert axe_violations(page) == []

        page.get_by_label("Other amount").first.check()
        page.get_by_role("textbox", name="Other amount").fill("1")
        page.get_by_role("button", name="Continue to secure payment").click()
        page.wait_for_load_state()
        assert "The smallest contribution is $3" in page.content()
        assert page.get_by_role("textbox", name="Other amount").input_value() == "1"
        if javascript:
            assert axe_violations(page) == []

        page.get_by_role("textbox", name="Other amount").fill("12.50")
        page.get_by_label("Monthly").check()
        page.get_by_role("button", name="Continue to secure payment").click()
        page.wait_for_url("https://checkout.stripe.com/**")

        form = standin.last_form()
        assert form["mode"] == "subscription"
        assert form["line_items[0][price_data][unit_amount]"] == "1250"
        assert form["metadata[article_id]"] == str(story.pk)
    finally:
        context.close()
        standin.server.shutdown()
        standin.server.server_close()
