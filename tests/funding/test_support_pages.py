from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from byline.funding.models import Kind
from tests.factories import ArticleFactory, JournalistFactory
from tests.funding.factories import ContributionFactory, RefundFactory, SupportPageFactory

pytestmark = pytest.mark.django_db


def page_of(journalist, client, query: str = "") -> str:
    response = client.get(reverse("funding:support_journalist", kwargs={"slug": journalist.slug}) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_byline_call_on_an_article_leads_to_the_journalists_support_page(client, stripe_keys):
    journalist = JournalistFactory(name="Mira Okafor")
    article = ArticleFactory(journalists=[journalist], headline="Council votes on the budget")

    article_page = client.get(article.get_absolute_url()).content.decode()
    link = f"/support/{journalist.slug}/?from={article.pk}"
    assert link in article_page

    text = page_of(journalist, client, f"?from={article.pk}")
    assert "Help fund Mira's journalism!" in text
    assert "Council votes on the budget" in text
    assert f'name="article" value="{article.pk}"' in text
    assert "Continue to secure payment" in text


def test_without_stripe_keys_the_page_says_support_is_not_set_up_and_offers_no_form(client, settings):
    settings.BYLINE_STRIPE_SECRET_KEY = ""
    journalist = JournalistFactory()

    text = page_of(journalist, client)

    assert "Online support is not set up yet" in text
    assert '<form method="post" class="support-form"' not in text


def test_a_journalist_not_taking_support_points_readers_to_the_newsroom(client, stripe_keys):
    journalist = JournalistFactory(accepts_support=False)

    text = page_of(journalist, client)

    assert "not taking contributions" in text
    assert 'class="support-form"' not in text


def test_an_unknown_journalist_is_a_404(client):
    assert client.get("/support/nobody-by-that-name/").status_code == 404


def test_the_newsroom_support_page_shows_its_editable_text(client, stripe_keys):
    SupportPageFactory(journalist=None, pitch_source="We pay *freelancers* fairly.", monthly_goal=None)

    text = client.get(reverse("funding:support_newsroom")).content.decode()

    assert "Support The Byline Ledger" in text
    assert "<em>freelancers</em>" in text
    assert "goal-meter" not in text


def test_the_goal_meter_counts_this_months_money_and_supporters_net_of_refunds(client, stripe_keys):
    journalist = JournalistFactory()
    SupportPageFactory(journalist=journalist, monthly_goal=200000)
    for _ in range(36):
        ContributionFactory(journalist=journalist, amount=3000)
    refunded = ContributionFactory(journalist=journalist, amount=20000, supporter_email="")
    RefundFactory(contribution=refunded, amount=3000)
    ContributionFactory(journalist=journalist, amount=99900, paid_at=timezone.now() - timedelta(days=70))
    ContributionFactory(journalist=None, amount=5000)  # the newsroom's, not this journalist's

    text = page_of(journalist, client)

    assert "$1,250 of $2,000 this month · 37 supporters" in text
    assert '<meter class="goal-meter" min="0" max="200000" value="125000"' in text


def test_a_supporter_giving_twice_in_a_month_is_one_supporter(client, stripe_keys):
    journalist = JournalistFactory()
    SupportPageFactory(journalist=journalist, monthly_goal=10000)
    ContributionFactory(journalist=journalist, amount=1000, supporter_email="same@example.org")
    ContributionFactory(
        journalist=journalist,
        amount=1000,
        supporter_email="same@example.org",
        kind=Kind.MONTHLY,
        stripe_invoice="in_x",
    )

    assert "$20 of $100 this month · 1 supporter" in page_of(journalist, client)


def test_public_messages_show_without_names_for_anonymous_supporters_and_hidden_ones_not_at_all(
    client, stripe_keys
):
    journalist = JournalistFactory()
    ContributionFactory(journalist=journalist, public_message="Great reporting", supporter_name="Lena Park")
    ContributionFactory(
        journalist=journalist, public_message="Keep it up", supporter_name="Secret Sam", is_anonymous=True
    )
    ContributionFactory(journalist=journalist, public_message="spam spam", message_hidden=True)
    ContributionFactory(journalist=journalist, public_message="<script>alert(1)</script>")

    text = page_of(journalist, client)

    assert "Great reporting" in text and "Lena Park" in text
    assert "Keep it up" in text and "Secret Sam" not in text
    assert "spam spam" not in text
    assert "<script>alert(1)</script>" not in text


def test_the_support_form_offers_presets_custom_amount_frequency_message_and_anonymity(client, stripe_keys):
    text = page_of(JournalistFactory(), client)

    for preset in ("$5", "$10", "$25", "$50"):
        assert preset in text
    assert "Other amount" in text
    assert 'value="monthly"' in text
    assert 'name="message"' in text
    assert 'name="anonymous"' in text
    assert 'name="currency" value="CAD"' in text
    assert "style=" not in text
    assert "<script>" not in text


def test_posting_to_a_journalist_not_taking_support_charges_nothing(client, stripe_keys):
    journalist = JournalistFactory(accepts_support=False)

    response = client.post(
        reverse("funding:support_journalist", kwargs={"slug": journalist.slug}),
        {"preset": "1000", "frequency": "once", "currency": "CAD"},
    )

    assert response.status_code == 403
    assert "not taking contributions" in response.content.decode()
