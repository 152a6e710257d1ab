"""The support form talks to Stripe through the official library; a local server stands in for its API."""

import pytest
from django.urls import reverse

from byline.funding import services
from tests.factories import ArticleFactory, JournalistFactory
from tests.funding import stripe_standin
from tests.funding.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe_api(stripe_keys):
    standin = stripe_standin.start()
    stripe_keys.BYLINE_STRIPE_API_BASE = standin.url
    yield standin
    standin.server.shutdown()
    standin.server.server_close()


def support(client, journalist, REMOTE_ADDR="127.0.0.1", **data):  # noqa: N803 (Django's META name)
    form = {"preset": "1000", "other_amount": "", "frequency": "once", "currency": "CAD", "message": ""}
    form.update(data)
    url = reverse("funding:support_journalist", kwargs={"slug": journalist.slug})
    return client.post(url, form, REMOTE_ADDR=REMOTE_ADDR)


def test_a_one_off_contribution_goes_to_stripe_checkout_in_payment_mode(client, stripe_api):
    journalist = JournalistFactory(name="Mira Okafor")
    article = ArticleFactory(journalists=[journalist])

    response = support(client, journalist, preset="other", other_amount="25.50", article=str(article.pk))

    assert response.status_code == 303
    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_standin"
    sent = stripe_api.requests[-1]
    assert sent.path == "/v1/checkout/sessions"
    assert sent.headers["Authorization"] == "Bearer sk_test_byline"
    form = stripe_api.last_form()
    assert form["mode"] == "payment"
    assert form["line_items[0][price_data][unit_amount]"] == "2550"
    assert form["line_items[0][price_data][currency]"] == "cad"
    assert form["line_items[0][quantity]"] == "1"
    assert "Mira Okafor" in form["line_items[0][price_data][product_data][name]"]
    assert form["metadata[journalist_id]"] == str(journalist.pk)
    assert form["metadata[journalist]"] == journalist.slug
    assert form["metadata[article_id]"] == str(article.pk)
    assert form["payment_intent_data[metadata][article_id]"] == str(article.pk)
    assert form["success_url"] == "http://testserver/support/thanks/?session_id={CHECKOUT_SESSION_ID}"
    assert form["cancel_url"] == f"http://testserver/support/{journalist.slug}/?from={article.pk}"
    assert "line_items[0][price_data][recurring][interval]" not in form


def test_a_monthly_contribution_creates_a_subscription_checkout(client, stripe_api):
    journalist = JournalistFactory()

    response = support(
        client, journalist, preset="2500", frequency="monthly", message="For the housing series"
    )

    assert response.status_code == 303
    form = stripe_api.last_form()
    assert form["mode"] == "subscription"
    assert form["line_items[0][price_data][recurring][interval]"] == "month"
    assert form["line_items[0][price_data][unit_amount]"] == "2500"
    assert form["subscription_data[metadata][journalist_id]"] == str(journalist.pk)
    assert form["metadata[message]"] == "For the housing series"
    assert "submit_type" not in form


def test_the_newsroom_page_checks_out_without_a_journalist(client, stripe_api):
    response = client.post(
        reverse("funding:support_newsroom"),
        {"preset": "500", "frequency": "once", "currency": "CAD", "anonymous": "on"},
    )

    assert response.status_code == 303
    form = stripe_api.last_form()
    assert form["metadata[journalist_id]"] == ""
    assert form["metadata[anonymous]"] == "true"
    assert form["cancel_url"] == "http://testserver/support/"


def test_a_draft_article_is_not_carried_into_the_metadata(client, stripe_api):
    journalist = JournalistFactory()
    draft = ArticleFactory(draft=True, journalists=[journalist])

    support(client, journalist, article=str(draft.pk))

    assert stripe_api.last_form()["metadata[article_id]"] == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"preset": "other", "other_amount": "1"}, "The smallest contribution is $3"),
        ({"preset": "other", "other_amount": "5000"}, "The largest contribution we take online is $1,000"),
        ({"preset": "other", "other_amount": "lots"}, "“lots” is not an amount"),
        ({"preset": "other", "other_amount": "10.555"}, "at most 2 decimal places"),
        ({"currency": "USD"}, "We can only take contributions in CAD"),
        ({"preset": "other", "other_amount": ""}, "Please choose or enter an amount"),
    ],
)
def test_bad_input_gets_a_clear_message_on_the_form_and_charges_nothing(client, stripe_api, data, message):
    journalist = JournalistFactory()

    response = support(client, journalist, message="Thanks for the council coverage", **data)

    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert "Thanks for the council coverage" in text  # what the reader typed is kept
    if data.get("other_amount"):
        assert f'value="{data["other_amount"]}"' in text
    assert stripe_api.requests == []


def test_when_stripe_fails_the_reader_is_told_nothing_was_charged(client, stripe_api):
    stripe_api.status = 500

    response = support(client, JournalistFactory())

    assert response.status_code == 503
    assert "Nothing was charged" in response.content.decode()


def test_without_keys_a_post_takes_no_payment(client, settings):
    settings.BYLINE_STRIPE_SECRET_KEY = ""

    response = support(client, JournalistFactory())

    assert response.status_code == 503
    assert "not set up yet" in response.content.decode()


def test_a_monthly_supporter_opens_the_stripe_customer_portal_from_their_link(client, stripe_api):
    subscription = SubscriptionFactory(stripe_customer="cus_portal")
    url = reverse("funding:manage", kwargs={"token": services.manage_token_make(subscription=subscription)})

    page = client.get(url)
    assert page.status_code == 200
    assert stripe_api.requests == []  # looking at the page opens nothing

    response = client.post(url)

    assert response.status_code == 303
    assert response["Location"] == "https://billing.stripe.com/p/x"
    form = stripe_api.last_form()
    assert stripe_api.requests[-1].path == "/v1/billing_portal/sessions"
    assert form["customer"] == "cus_portal"
    assert form["return_url"] == "http://testserver/support/"


def test_an_altered_manage_link_is_refused(client, stripe_api):
    subscription = SubscriptionFactory()
    token = services.manage_token_make(subscription=subscription)

    response = client.post(reverse("funding:manage", kwargs={"token": token[:-2] + "xx"}))

    assert response.status_code == 404
    assert stripe_api.requests == []


def test_an_expired_manage_link_says_so(client, stripe_api, settings):
    settings.BYLINE_SUPPORT_MANAGE_LINK_DAYS = -1
    subscription = SubscriptionFactory()
    url = reverse("funding:manage", kwargs={"token": services.manage_token_make(subscription=subscription)})

    response = client.post(url)

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert stripe_api.requests == []


def test_the_thank_you_page_offers_monthly_supporters_their_manage_link(client):
    SubscriptionFactory(stripe_checkout_session="cs_test_thanks")

    monthly = client.get(reverse("funding:thanks") + "?session_id=cs_test_thanks").content.decode()
    once = client.get(reverse("funding:thanks") + "?session_id=cs_unknown").content.decode()

    assert "Thank you" in monthly and "/support/manage/" in monthly
    assert "Thank you" in once and "/support/manage/" not in once


def test_a_network_starting_too_many_checkouts_is_slowed_down(client, stripe_api, settings):
    settings.BYLINE_SUPPORT_CHECKOUTS_PER_HOUR = 3
    journalist = JournalistFactory()

    answers = [support(client, journalist, REMOTE_ADDR="198.51.100.7") for _ in range(4)]

    assert [a.status_code for a in answers] == [303, 303, 303, 429]
    assert int(answers[-1]["Retry-After"]) >= 1
    assert "Too many payment attempts" in answers[-1].content.decode()
    assert len(stripe_api.requests) == 3
    assert support(client, journalist, REMOTE_ADDR="203.0.113.9").status_code == 303  # another network
