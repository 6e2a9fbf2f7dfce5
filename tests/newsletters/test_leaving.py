"""Preferences and unsubscribing, reached by the signed links in every email:
no login, and the one-click POST needs no form token."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from newsletters.models import Subscription, SubscriptionStatus
from newsletters.services import (
    confirmation_token,
    email_from_preferences_token,
    preferences_token,
    unsubscribe_headers,
    unsubscribe_url,
)
from tests.newsletters.factories import NewsletterFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters():
    return NewsletterFactory(name="Morning Brief"), NewsletterFactory(name="Weekly")


@pytest.fixture
def subscribed(letters):
    brief, weekly = letters
    return [
        SubscriptionFactory(newsletter=brief, email="me@example.org"),
        SubscriptionFactory(newsletter=weekly, email="me@example.org"),
        SubscriptionFactory(newsletter=brief, email="neighbour@example.org"),
    ]


def statuses(email="me@example.org"):
    return {
        s.newsletter.name: s.status
        for s in Subscription.objects.filter(email=email).select_related("newsletter")
    }


def test_the_headers_follow_rfc_8058(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example"
    settings.NEWSROOM_NEWSLETTER_UNSUBSCRIBE_EMAIL = "leave@news.example"
    headers = unsubscribe_headers("me@example.org")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    match = re.fullmatch(
        r"<(https://news\.example/newsletters/unsubscribe/[^/]+/)>, "
        r"<mailto:leave@news\.example\?subject=unsubscribe%20me%40example\.org>",
        headers["List-Unsubscribe"],
    )
    # The token carries the address (and when it was signed).
    token = match[1].rstrip("/").rsplit("/", 1)[1]
    assert email_from_preferences_token(token) == "me@example.org"


def test_one_click_unsubscribe_works_without_login_or_form_token(subscribed):
    browserless = Client(enforce_csrf_checks=True)
    path = urlsplit(unsubscribe_url("me@example.org")).path
    response = browserless.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert set(statuses().values()) == {SubscriptionStatus.UNSUBSCRIBED}
    assert all(
        s.unsubscribed_at for s in Subscription.objects.filter(email="me@example.org")
    )
    # Only the link's own address.
    assert statuses("neighbour@example.org") == {
        "Morning Brief": SubscriptionStatus.CONFIRMED
    }


def test_opening_the_unsubscribe_link_only_asks(client, subscribed):
    token = preferences_token("me@example.org")
    response = client.get(f"/newsletters/unsubscribe/{token}/")
    page = response.content.decode()
    assert "Stop every newsletter to <strong>me@example.org</strong>?" in page
    assert "Unsubscribe from all" in page
    assert set(statuses().values()) == {SubscriptionStatus.CONFIRMED}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "token", ["nonsense", preferences_token("me@example.org")[:-2] + "xx"]
)
def test_a_forged_unsubscribe_link_changes_nothing(subscribed, token):
    response = Client().post(f"/newsletters/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert set(statuses().values()) == {SubscriptionStatus.CONFIRMED}


def test_preferences_untick_one_and_tick_another(client, letters, subscribed):
    brief, weekly = letters
    local = NewsletterFactory(name="City Letter")
    token = preferences_token("me@example.org")
    page = client.get(f"/newsletters/preferences/{token}/").content.decode()
    assert "Newsletters sent to <strong>me@example.org</strong>." in page
    assert page.count("checked") == 2

    response = client.post(
        f"/newsletters/preferences/{token}/", {"newsletters": [weekly.pk, local.pk]}
    )
    assert "Your choices are saved." in response.content.decode()
    assert statuses() == {
        "Morning Brief": SubscriptionStatus.UNSUBSCRIBED,
        "Weekly": SubscriptionStatus.CONFIRMED,
        "City Letter": SubscriptionStatus.CONFIRMED,
    }


def test_preferences_unsubscribe_from_all(client, subscribed):
    token = preferences_token("me@example.org")
    response = client.post(
        f"/newsletters/preferences/{token}/", {"unsubscribe_all": "1"}
    )
    assert "Your choices are saved." in response.content.decode()
    assert set(statuses().values()) == {SubscriptionStatus.UNSUBSCRIBED}


def test_preferences_refuse_unknown_newsletters(client, subscribed):
    token = preferences_token("me@example.org")
    response = client.post(
        f"/newsletters/preferences/{token}/", {"newsletters": ["999999", "x"]}
    )
    assert response.status_code == 400
    assert "Choose newsletters from the list." in response.content.decode()
    assert set(statuses().values()) == {SubscriptionStatus.CONFIRMED}


def test_preferences_need_a_good_link(client, subscribed):
    response = client.get("/newsletters/preferences/forged/")
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_a_preferences_page_stays_within_budget(client, django_assert_max_num_queries):
    for newsletter in NewsletterFactory.create_batch(20):
        SubscriptionFactory(newsletter=newsletter, email="me@example.org")
    token = preferences_token("me@example.org")
    with django_assert_max_num_queries(7):
        response = client.get(f"/newsletters/preferences/{token}/")
    assert response.content.decode().count("checked") == 20


def test_saving_preferences_leaves_a_retired_newsletter_as_it_was(client, letters):
    brief, _weekly = letters
    retired = NewsletterFactory(name="Election Special", is_active=False)
    SubscriptionFactory(newsletter=retired, email="me@example.org")
    token = preferences_token("me@example.org")
    page = client.get(f"/newsletters/preferences/{token}/").content.decode()
    assert "Election Special" not in page
    client.post(f"/newsletters/preferences/{token}/", {"newsletters": [brief.pk]})
    assert statuses() == {
        "Morning Brief": SubscriptionStatus.CONFIRMED,
        "Election Special": SubscriptionStatus.CONFIRMED,
    }


def test_the_links_never_reach_the_logs():
    from newsroom.logs import redact

    token = preferences_token("me@example.org")
    for kind in ("confirm", "preferences", "unsubscribe"):
        line = f"POST /newsletters/{kind}/{token}/ 200"
        assert redact(line) == f"POST /newsletters/{kind}/[redacted]/ 200"


@pytest.mark.parametrize("count", [2, 20])
def test_the_link_pages_stay_within_budget(
    client, django_assert_max_num_queries, count
):
    letters = NewsletterFactory.create_batch(count)
    for newsletter in letters:
        SubscriptionFactory(
            newsletter=newsletter,
            email="me@example.org",
            status=SubscriptionStatus.PENDING,
        )
    token = preferences_token("me@example.org")
    confirm = confirmation_token(
        email="me@example.org", newsletter_ids=[n.pk for n in letters]
    )
    for url in [
        f"/newsletters/unsubscribe/{token}/",
        f"/newsletters/confirm/{confirm}/",
    ]:
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.post(f"/newsletters/confirm/{confirm}/")
    assert response.content.decode().count("— Weekdays at 7:00</li>") == count
