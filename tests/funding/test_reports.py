import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from byline.funding.models import Kind
from tests.factories import ArticleFactory, JournalistFactory, UserFactory
from tests.funding.factories import ContributionFactory, RefundFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_contribution"))
    client.force_login(user)
    return user


@pytest.fixture
def newsroom():
    mira = JournalistFactory(name="Mira Okafor")
    tom = JournalistFactory(name="Tom Berg")
    article = ArticleFactory(journalists=[mira], headline="Water rates double")
    ContributionFactory(journalist=mira, article=article, amount=2500)
    ContributionFactory(journalist=mira, amount=1000, kind=Kind.MONTHLY, stripe_invoice="in_1")
    refunded = ContributionFactory(journalist=mira, amount=4000)
    RefundFactory(contribution=refunded, amount=4000)
    ContributionFactory(journalist=tom, amount=9900)
    ContributionFactory(journalist=None, amount=500)
    SubscriptionFactory(journalist=mira)
    SubscriptionFactory(journalist=mira, status="canceled")
    return mira, tom


def test_logged_out_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("funding:dashboard"))

    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_a_reader_without_permission_is_refused(client):
    client.force_login(UserFactory())

    assert client.get(reverse("funding:dashboard")).status_code == 403
    assert client.get(reverse("funding:export_csv")).status_code == 403


def test_editors_see_totals_per_journalist_one_off_and_monthly_and_active_supporters(
    client, editor, newsroom
):
    text = client.get(reverse("funding:dashboard")).content.decode()

    assert "Mira Okafor" in text and "Tom Berg" in text and "The newsroom" in text
    # Mira: one-off $65 ($25 + $40), monthly $10, refunded $40, net $35, 3 payments, 1 active monthly
    assert "<td>$65</td><td>$10</td><td>$40</td><td>$35</td><td>3</td><td>1</td>" in text.replace("\n", "")
    assert "Water rates double" in text


def test_the_chart_is_server_rendered_svg_without_script_or_inline_style(client, editor, newsroom):
    text = client.get(reverse("funding:dashboard")).content.decode()

    assert "<svg" in text and 'role="img"' in text
    assert text.count("<rect") == 24  # one-off and monthly bars for each of 12 months
    assert "<script" not in text.split("</head>")[1]
    assert "style=" not in text


def test_a_journalist_sees_only_their_own_contributions(client, newsroom):
    mira, tom = newsroom
    user = UserFactory()
    mira.user = user
    mira.save()
    client.force_login(user)

    text = client.get(reverse("funding:dashboard")).content.decode()
    rows = list(csv.reader(io.StringIO(client.get(reverse("funding:export_csv")).content.decode())))

    assert "Mira Okafor" in text and "Tom Berg" not in text and "The newsroom" not in text
    assert {row[1] for row in rows[1:]} == {"Mira Okafor"}
    assert len(rows) == 4


def test_the_csv_export_lists_every_contribution_in_major_units(client, editor, newsroom):
    response = client.get(reverse("funding:export_csv"))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:7] == ["paid_at", "journalist", "article", "kind", "amount", "refunded", "currency"]
    assert len(rows) == 6
    refunded = [row for row in rows if row[4] == "40"][0]
    assert refunded[5] == "40"


def test_the_csv_export_defuses_spreadsheet_formulas_in_names(client, editor):
    ContributionFactory(supporter_name='=HYPERLINK("http://evil")')

    text = client.get(reverse("funding:export_csv")).content.decode()

    assert "'=HYPERLINK" in text


def test_the_payout_report_nets_refunds_in_the_month_they_were_made(client, editor):
    mira = JournalistFactory(name="Mira Okafor")
    last_month = timezone.now().replace(day=1) - timedelta(days=3)
    old = ContributionFactory(journalist=mira, amount=5000, paid_at=last_month)
    ContributionFactory(journalist=mira, amount=2000)
    RefundFactory(contribution=old, amount=1500)  # refunded this month

    rows = list(
        csv.reader(io.StringIO(client.get(reverse("funding:payouts") + "?format=csv").content.decode()))
    )
    page = client.get(reverse("funding:payouts")).content.decode()

    assert rows[0] == ["month", "journalist", "currency", "gross", "refunded", "net"]
    assert [r[1:] for r in rows[1:]] == [
        ["Mira Okafor", "CAD", "50", "0", "50"],
        ["Mira Okafor", "CAD", "20", "15", "5"],
    ]
    assert "Payout report" in page and "$5" in page


def test_refunds_for_payments_we_never_saw_are_shown_to_editors(client, editor):
    RefundFactory(contribution=None, stripe_charge="ch_mystery", amount=700)

    text = client.get(reverse("funding:dashboard")).content.decode()

    assert "ch_mystery" in text and "$7" in text


def test_the_editor_group_may_see_the_funding_reports(client):
    from django.contrib.auth.models import Group

    from byline.newsroom.roles import EDITOR

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(user)

    assert client.get(reverse("funding:dashboard")).status_code == 200


def test_an_editor_can_narrow_the_view_to_one_journalist(client, editor, newsroom):
    mira, tom = newsroom

    everyone = client.get(reverse("funding:dashboard")).content.decode()
    text = client.get(reverse("funding:dashboard") + f"?journalist={tom.slug}").content.decode()

    assert f'href="?journalist={tom.slug}"' in everyone
    assert "Reader funding: Tom Berg" in text
    assert "Mira Okafor" not in text
    assert "$99" in text
    assert client.get(reverse("funding:dashboard") + "?journalist=nobody").status_code == 404


def test_a_journalist_cannot_widen_their_view_to_a_colleague(client, newsroom):
    mira, tom = newsroom
    mira.user = UserFactory()
    mira.save()
    client.force_login(mira.user)

    text = client.get(reverse("funding:dashboard") + f"?journalist={tom.slug}").content.decode()

    assert "Tom Berg" not in text
