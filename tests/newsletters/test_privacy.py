"""A reader's data download lists their subscriptions; closing the account
removes them."""

import json

import pytest

from newsletters.models import Subscription, SubscriptionStatus
from tests.comments.factories import ReaderFactory
from tests.factories import PASSWORD
from tests.newsletters.factories import NewsletterFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    reader = ReaderFactory()
    brief = NewsletterFactory(name="Morning Brief")
    weekly = NewsletterFactory(name="The Weekly")
    SubscriptionFactory(newsletter=brief, email=reader.email, user=reader)
    # Subscribed with the same address before signing up: theirs too.
    SubscriptionFactory(
        newsletter=weekly, email=reader.email, status=SubscriptionStatus.PENDING
    )
    SubscriptionFactory(newsletter=brief, email="neighbour@example.org")
    return reader


def test_the_data_download_lists_the_subscriptions(client, reader):
    client.force_login(reader)
    data = json.loads(client.get("/accounts/my-data/").content)
    assert [
        (s["newsletter"], s["status"]) for s in data["newsletter_subscriptions"]
    ] == [("Morning Brief", "confirmed"), ("The Weekly", "pending")]
    assert {s["email"] for s in data["newsletter_subscriptions"]} == {reader.email}
    assert data["newsletter_subscriptions"][0]["confirmed_at"]


def test_closing_the_account_removes_the_subscriptions(client, reader):
    client.force_login(reader)
    response = client.post("/accounts/", {"password": PASSWORD}, follow=True)
    assert "Your account is closed" in response.content.decode()
    assert list(Subscription.objects.values_list("email", flat=True)) == [
        "neighbour@example.org"
    ]
