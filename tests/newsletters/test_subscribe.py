"""Signing up: one confirmation email through a real SMTP server, its link,
the button that confirms, and what the page tells (and does not tell)."""

import re

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from newsletters.models import Subscription, SubscriptionStatus, Suppression
from newsletters.services import confirmation_token
from tests.factories import UserFactory
from tests.newsletters.factories import NewsletterFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/newsletters/confirm/[^/\s]+/)")


def confirmation_path(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return LINK.search(body).group(1)


@pytest.fixture
def brief():
    return NewsletterFactory(name="Morning Brief", slug="morning-brief")


@pytest.fixture
def weekly():
    return NewsletterFactory(name="The Weekly", slug="weekly", schedule="Sundays")


def subscribe(client, email, *newsletters, **extra):
    return client.post(
        "/newsletters/",
        {"email": email, "newsletters": [n.pk for n in newsletters]},
        follow=True,
        **extra,
    )


def test_the_page_lists_active_newsletters_with_a_form(client, brief, weekly):
    NewsletterFactory(name="Retired Letter", is_active=False)
    page = client.get("/newsletters/").content.decode()
    assert "Morning Brief" in page and "The Weekly" in page
    assert "Weekdays at 7:00" in page and "Sundays" in page
    assert "Retired Letter" not in page
    assert 'name="email"' in page and 'name="newsletters"' in page


def test_subscribing_sends_one_email_whose_button_confirms(
    client, mailbox, brief, weekly
):
    response = subscribe(client, "Reader@Example.ORG", brief, weekly)
    assert "Check your inbox" in response.content.decode()
    assert len(mailbox.messages) == 1
    message = mailbox.messages[0]
    assert message["To"] == "reader@example.org"
    assert "Morning Brief" in message.get_body(("plain",)).get_content()
    assert "/newsletters/preferences/" in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        Subscription.objects.filter(
            email="reader@example.org", status=SubscriptionStatus.PENDING
        ).count()
        == 2
    )

    path = confirmation_path(message)
    page = client.get(path)
    assert page.status_code == 200
    assert "Yes, send me these newsletters" in page.content.decode()
    # Opening the link (a mail scanner does) confirms nothing.
    assert not Subscription.objects.filter(status=SubscriptionStatus.CONFIRMED)

    confirmed = client.post(path)
    assert "You are subscribed" in confirmed.content.decode()
    assert "The Weekly" in confirmed.content.decode()
    rows = Subscription.objects.filter(email="reader@example.org")
    assert {row.status for row in rows} == {SubscriptionStatus.CONFIRMED}
    assert all(row.confirmed_at for row in rows)
    assert "no-store" in confirmed["Cache-Control"]


def test_addresses_are_stored_normalised_once_per_newsletter(client, mailbox, brief):
    subscribe(client, "  reader@EXAMPLE.org ", brief)
    subscribe(client, "reader@example.org", brief)
    subscribe(client, "reader@ｅxample.org", brief)  # a full-width e
    assert list(Subscription.objects.values_list("email", flat=True)) == [
        "reader@example.org"
    ]


def test_a_confirmed_address_gets_no_second_email_and_the_same_page(
    client, mailbox, brief
):
    SubscriptionFactory(newsletter=brief, email="known@example.org")
    response = subscribe(client, "known@example.org", brief)
    assert "Check your inbox" in response.content.decode()
    assert mailbox.messages == []


def test_the_page_reads_the_same_for_a_known_and_an_unknown_address(
    client, mailbox, brief
):
    SubscriptionFactory(newsletter=brief, email="known@example.org")
    known = subscribe(client, "known@example.org", brief)
    unknown = subscribe(client, "stranger@example.org", brief)
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", known.content.decode()) == strip.sub(
        "", unknown.content.decode()
    )


def test_a_suppressed_address_is_sent_nothing(client, mailbox, brief):
    Suppression.objects.create(email="bounced@example.org", reason="bounce")
    response = subscribe(client, "bounced@example.org", brief)
    assert "Check your inbox" in response.content.decode()
    assert mailbox.messages == []


def test_an_expired_link_is_refused_with_a_clear_message(
    client, mailbox, brief, settings
):
    settings.NEWSROOM_NEWSLETTER_CONFIRM_HOURS = 48
    subscribe(client, "late@example.org", brief)
    path = confirmation_path(mailbox.messages[0])
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=49)):
        page = client.get(path)
        posted = client.post(path)
    assert page.status_code == posted.status_code == 400
    assert "This confirmation link has expired" in posted.content.decode()
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"e": "victim@example.org", "n": [1]}, salt="other.salt"),
        signing.dumps({"e": "victim@example.org", "n": [1]}, key="x" * 50),
    ],
    ids=["garbage", "other salt", "other key"],
)
def test_a_forged_link_is_refused_and_confirms_nothing(client, brief, token):
    SubscriptionFactory(
        newsletter=brief, email="victim@example.org", status=SubscriptionStatus.PENDING
    )
    response = client.post(f"/newsletters/confirm/{token}/")
    assert response.status_code == 400
    assert "This confirmation link is not valid" in response.content.decode()
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING


def test_a_link_confirms_only_its_own_address_and_newsletters(client, brief, weekly):
    mine = SubscriptionFactory(
        newsletter=brief, email="me@example.org", status=SubscriptionStatus.PENDING
    )
    other = SubscriptionFactory(
        newsletter=weekly, email="me@example.org", status=SubscriptionStatus.PENDING
    )
    token = confirmation_token(email="me@example.org", newsletter_ids=[brief.pk])
    client.post(f"/newsletters/confirm/{token}/")
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.status == SubscriptionStatus.CONFIRMED
    assert other.status == SubscriptionStatus.PENDING


def test_a_signed_in_reader_subscribing_with_their_address_is_linked(
    client, mailbox, brief
):
    reader = UserFactory(email="me@example.org")
    client.force_login(reader)
    subscribe(client, "me@example.org", brief)
    subscribe(client, "someone-else@example.org", brief)
    assert Subscription.objects.get(email="me@example.org").user == reader
    assert Subscription.objects.get(email="someone-else@example.org").user is None


@pytest.mark.parametrize(
    ("email", "newsletters", "message"),
    [
        ("<script>alert(1)</script>@example.org", "ok", "Enter a valid email address."),
        ("reader@exam<ple>.org", "ok", "Enter a valid email address."),
        ("x" * 300 + "@example.org", "ok", "Ensure this value has at most 254"),
        ("", "ok", "This field is required."),
        ("reader@example.org", [], "Tick at least one newsletter."),
        ("reader@example.org", ["999999"], "Choose newsletters from the list."),
        ("reader@example.org", ["1_0"], "Choose newsletters from the list."),
        ("reader@example.org", ["<b>1</b>"], "Choose newsletters from the list."),
        ("reader@example.org", ["9" * 40], "Choose newsletters from the list."),
    ],
    ids=[
        "script",
        "markup domain",
        "huge",
        "empty",
        "none ticked",
        "unknown id",
        "underscore id",
        "markup id",
        "huge id",
    ],
)
def test_hostile_input_gets_a_clear_error_and_saves_nothing(
    client, mailbox, brief, email, newsletters, message
):
    retired = NewsletterFactory(is_active=False)
    if newsletters == "ok":
        newsletters = [str(brief.pk)]
    response = client.post(
        "/newsletters/", {"email": email, "newsletters": newsletters}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "<script>alert(1)</script>" not in page
    assert not Subscription.objects.exists() and mailbox.messages == []
    # An inactive newsletter's id is refused just the same.
    response = client.post(
        "/newsletters/", {"email": "r@example.org", "newsletters": [retired.pk]}
    )
    assert response.status_code == 400 and not Subscription.objects.exists()


def test_a_huge_body_is_refused_without_saving(client, mailbox, brief):
    response = client.post(
        "/newsletters/",
        {"email": "r@example.org", "newsletters": [brief.pk] * 20000},
    )
    assert response.status_code == 400
    assert not Subscription.objects.exists() and mailbox.messages == []


def test_sign_ups_from_one_network_are_limited(client, mailbox, brief, settings):
    settings.NEWSROOM_NEWSLETTER_SUBSCRIBE_RATE_PER_IP = 2
    for n in range(2):
        assert subscribe(client, f"r{n}@example.org", brief).status_code == 200
    response = client.post(
        "/newsletters/", {"email": "r9@example.org", "newsletters": [brief.pk]}
    )
    assert response.status_code == 400
    assert "Many sign-ups are coming from your network" in response.content.decode()
    assert len(mailbox.messages) == 2
    assert not Subscription.objects.filter(email="r9@example.org").exists()


@pytest.mark.parametrize("count", [2, 20])
def test_the_newsletters_page_stays_within_budget(
    client, django_assert_max_num_queries, count
):
    NewsletterFactory.create_batch(count)
    # One for the newsletters; the rest is the site's chrome (sections, strip)
    # and, with every cache empty, the time of the next go-live.
    with django_assert_max_num_queries(6):
        response = client.get("/newsletters/")
    assert response.status_code == 200
    assert response.content.decode().count('name="newsletters"') == count


def test_the_footer_links_the_newsletters(client):
    page = client.get("/newsletters/").content.decode()
    assert '<a href="/newsletters/">Newsletters</a>' in page
