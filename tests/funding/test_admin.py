import pytest

from byline.funding.models import SupportPage
from tests.factories import JournalistFactory, UserFactory
from tests.funding.factories import ContributionFactory, SupportPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_an_editor_writes_a_support_page_with_a_goal_in_dollars(admin_client):
    journalist = JournalistFactory()

    response = admin_client.post(
        "/admin/funding/supportpage/add/",
        {"journalist": journalist.pk, "pitch_source": "Pays for *court* days.", "goal": "2,000"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    page = SupportPage.objects.get()
    assert page.monthly_goal == 200000
    assert "<em>court</em>" in page.pitch_html
    assert "$2,000" in admin_client.get("/admin/funding/supportpage/").content.decode()


def test_a_goal_that_is_not_an_amount_is_refused_with_a_message(admin_client):
    response = admin_client.post("/admin/funding/supportpage/add/", {"pitch_source": "x", "goal": "lots"})

    assert response.status_code == 200
    assert "is not an amount" in response.content.decode()
    assert not SupportPage.objects.exists()


def test_only_one_newsroom_support_page_can_exist(admin_client):
    SupportPageFactory(journalist=None)

    response = admin_client.post("/admin/funding/supportpage/add/", {"pitch_source": "Second", "goal": ""})

    assert response.status_code == 200
    assert SupportPage.objects.count() == 1


def test_the_ledger_is_read_only_in_the_admin_except_hiding_a_message(admin_client):
    contribution = ContributionFactory(public_message="Hello")

    assert admin_client.get("/admin/funding/contribution/add/").status_code == 403
    response = admin_client.post(
        f"/admin/funding/contribution/{contribution.pk}/change/", {"message_hidden": "on", "amount": "1"}
    )

    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.message_hidden is True
    assert contribution.amount == 2500
