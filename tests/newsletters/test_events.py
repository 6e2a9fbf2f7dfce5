"""The mail provider's bounce and complaint events: signed, fresh, or refused
with nothing changed."""

import json
import time

import pytest

from newsletters.models import Subscription, Suppression
from newsletters.services import event_signature, subscription_request
from tests.newsletters.factories import NewsletterFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

SECRET = "a-long-shared-secret-for-the-provider"


@pytest.fixture(autouse=True)
def secret(settings):
    settings.NEWSROOM_NEWSLETTER_WEBHOOK_SECRET = SECRET


def send(client, body: bytes, *, timestamp=None, signature=None):
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    if signature is None:
        signature = event_signature(timestamp=timestamp, body=body)
    headers = {}
    if timestamp != "":
        headers["HTTP_X_NEWSROOM_TIMESTAMP"] = timestamp
    if signature != "":
        headers["HTTP_X_NEWSROOM_SIGNATURE"] = signature
    return client.post(
        "/newsletters/events/", body, content_type="application/json", **headers
    )


def event(kind="bounce", email="Gone@Example.org") -> bytes:
    return json.dumps({"type": kind, "email": email}).encode()


@pytest.mark.parametrize("kind", ["bounce", "complaint"])
def test_a_signed_event_suppresses_the_address(client, mailbox, kind):
    brief = NewsletterFactory()
    SubscriptionFactory(newsletter=brief, email="gone@example.org")
    response = send(client, event(kind))
    assert response.status_code == 200
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason) == ("gone@example.org", kind)
    assert not Subscription.objects.receiving().exists()
    # And it is never mailed again, not even a confirmation.
    subscription_request(email="gone@example.org", newsletters=[NewsletterFactory()])
    assert mailbox.messages == []


def test_the_same_event_twice_keeps_one_row(client):
    send(client, event())
    send(client, event())
    assert Suppression.objects.count() == 1


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [
        (None, "0" * 64),
        (None, ""),
        ("", None),
        (str(int(time.time()) - 301), None),
        (str(int(time.time()) + 3600), None),
        ("12abc", None),
        ("9" * 40, None),
    ],
    ids=[
        "bad signature",
        "no signature",
        "no timestamp",
        "stale",
        "from the future",
        "not a number",
        "huge number",
    ],
)
def test_unsigned_or_stale_events_are_refused(client, timestamp, signature):
    response = send(client, event(), timestamp=timestamp, signature=signature)
    assert response.status_code == 403
    assert not Suppression.objects.exists()


def test_a_signature_over_another_body_is_refused(client):
    now = str(int(time.time()))
    other = event(email="someone@example.org")
    response = send(
        client,
        event(),
        timestamp=now,
        signature=event_signature(timestamp=now, body=other),
    )
    assert response.status_code == 403 and not Suppression.objects.exists()


def test_without_a_secret_every_event_is_refused(client, settings):
    body = event()
    now = str(int(time.time()))
    signature = event_signature(timestamp=now, body=body)
    settings.NEWSROOM_NEWSLETTER_WEBHOOK_SECRET = ""
    assert send(client, body, timestamp=now, signature=signature).status_code == 403
    assert not Suppression.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"type": "bounce"}',
        b'{"type": "delivered", "email": "a@example.org"}',
        b'{"type": "bounce", "email": ["a@example.org"]}',
        b'{"type": "bounce", "email": "a@\xff.org"}',
    ],
    ids=["not json", "a list", "no email", "unknown type", "email list", "bad utf8"],
)
def test_malformed_events_are_refused_and_change_nothing(client, body):
    response = send(client, body)
    assert response.status_code == 400
    assert not Suppression.objects.exists()


def test_a_huge_event_is_refused(client):
    body = json.dumps({"type": "bounce", "email": "a@example.org", "x": "y" * 20000})
    response = send(client, body.encode())
    assert response.status_code == 413 and not Suppression.objects.exists()


def test_events_are_posts(client):
    assert client.get("/newsletters/events/").status_code == 405
