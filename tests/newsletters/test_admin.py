"""The editors' side: newsletters set up in the admin, subscribers counted
and listed but never edited there."""

import pytest
from django.contrib.auth.models import Group

from newsletters.models import Newsletter, Subscription, SubscriptionStatus
from tests.factories import UserFactory
from tests.newsletters.factories import NewsletterFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_in_role(roles, client):
    editor = UserFactory(username="desk-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def test_an_editor_adds_a_newsletter(editor_in_role):
    response = editor_in_role.post(
        "/admin/newsletters/newsletter/add/",
        {
            "name": "Morning Brief",
            "slug": "morning-brief",
            "description": "Five stories before work.",
            "schedule": "Weekdays at 7:00",
            "is_active": "on",
            "sender": "brief@cupure.example",
            "position": "1",
        },
    )
    assert response.status_code == 302
    newsletter = Newsletter.objects.get()
    assert newsletter.from_address == "brief@cupure.example"
    assert "Morning Brief" in editor_in_role.get("/newsletters/").content.decode()


def test_the_list_counts_subscribers_within_budget(
    editor_in_role, django_assert_max_num_queries
):
    letters = NewsletterFactory.create_batch(10)
    for newsletter in letters:
        SubscriptionFactory.create_batch(3, newsletter=newsletter)
        SubscriptionFactory(newsletter=newsletter, status=SubscriptionStatus.PENDING)
    with django_assert_max_num_queries(12):
        response = editor_in_role.get("/admin/newsletters/newsletter/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<td class="field-confirmed_count">3</td>') == 10
    assert page.count('<td class="field-pending_count">1</td>') == 10


def test_subscriptions_are_listed_but_not_edited(editor_in_role):
    subscription = SubscriptionFactory(email="reader@example.org")
    listing = editor_in_role.get("/admin/newsletters/subscription/")
    assert "reader@example.org" in listing.content.decode()
    url = f"/admin/newsletters/subscription/{subscription.pk}/change/"
    assert editor_in_role.get(url).status_code == 200
    response = editor_in_role.post(url, {"email": "changed@example.org"})
    assert response.status_code == 403
    assert Subscription.objects.get().email == "reader@example.org"
    add = editor_in_role.get("/admin/newsletters/subscription/add/")
    assert add.status_code == 403


def test_the_subscription_list_stays_within_budget(
    editor_in_role, django_assert_max_num_queries
):
    SubscriptionFactory.create_batch(40)
    with django_assert_max_num_queries(12):
        response = editor_in_role.get("/admin/newsletters/subscription/")
    assert response.content.decode().count("@example.org") >= 40
