"""An API mail provider through django-anymail: an edition sent with
anymail's test backend records its deliveries; a bounce or complaint the
provider reports (anymail's tracking signal, or its real webhook view)
stops the address, as our own signed webhook does; the settings pick the
backend from the environment."""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.test import Client

from newsletters import sending
from newsletters.models import Subscription, SubscriptionStatus, Suppression
from newsletters.services import subscription_request
from tests.newsletters.factories import (
    EditionFactory,
    EditionItemFactory,
    NewsletterFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK_SECRET = "provider-user:a-long-random-password"


@pytest.fixture
def anymail_backend(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_SECRET}
    settings.NEWSROOM_SITE_URL = "http://testserver"


def test_an_edition_sent_through_anymail_records_every_delivery(anymail_backend):
    edition = EditionFactory(subject="Harbour vote")
    EditionItemFactory(edition=edition, story__headline="Council votes")
    for n in range(3):
        SubscriptionFactory(
            newsletter=edition.newsletter,
            email=f"reader{n}@example.org",
            status=SubscriptionStatus.CONFIRMED,
        )

    assert sending.edition_send(edition) == 3

    assert sorted(m.to[0] for m in mail.outbox) == [
        "reader0@example.org",
        "reader1@example.org",
        "reader2@example.org",
    ]
    message = mail.outbox[0]
    # anymail's test backend records what it would have posted to the API.
    assert message.anymail_test_params["subject"] == "Harbour vote"
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert message.anymail_status.status == {"sent"}
    assert sending.delivery_counts(edition)["sent"] == 3


def provider_event(event_type: str, recipient: str | None):
    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(event_type=event_type, recipient=recipient),
        esp_name="Test",
    )


@pytest.mark.parametrize(
    ("event_type", "reason"), [("bounced", "bounce"), ("complained", "complaint")]
)
def test_a_bounce_or_complaint_signal_stops_the_address(event_type, reason):
    brief = NewsletterFactory()
    SubscriptionFactory(
        newsletter=brief, email="gone@example.org", status=SubscriptionStatus.CONFIRMED
    )

    provider_event(event_type, "Gone@Example.org")

    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason) == ("gone@example.org", reason)
    assert not Subscription.objects.receiving().exists()
    subscription_request(email="gone@example.org", newsletters=[NewsletterFactory()])
    assert mail.outbox == []


@pytest.mark.parametrize("event_type", ["delivered", "opened", "deferred", "clicked"])
def test_other_provider_events_change_nothing(event_type):
    provider_event(event_type, "reader@example.org")
    assert not Suppression.objects.exists()


@pytest.mark.parametrize("recipient", [None, "", "not an address"])
def test_an_event_without_a_usable_address_changes_nothing(recipient):
    provider_event("bounced", recipient)
    assert not Suppression.objects.exists()


def postmark_bounce(email: str) -> bytes:
    return json.dumps(
        {
            "RecordType": "Bounce",
            "Type": "HardBounce",
            "TypeCode": 1,
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "Email": email,
            "BouncedAt": "2026-12-03T07:00:00Z",
            "Description": "The server was unable to deliver your message.",
        }
    ).encode()


def basic_auth(secret: str) -> str:
    return "Basic " + base64.b64encode(secret.encode()).decode()


def test_the_providers_real_webhook_stops_a_bounced_address(anymail_backend):
    # As the provider calls it: no session, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/newsletters/provider/postmark/tracking/",
        postmark_bounce("Gone@Example.org"),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth(WEBHOOK_SECRET),
    )
    assert response.status_code == 200
    assert Suppression.objects.get().email == "gone@example.org"


@pytest.mark.parametrize("secret", [None, "provider-user:wrong-password"])
def test_the_webhook_refuses_a_caller_without_the_secret(
    client, anymail_backend, secret
):
    headers = {"HTTP_AUTHORIZATION": basic_auth(secret)} if secret else {}
    response = client.post(
        "/newsletters/provider/postmark/tracking/",
        postmark_bounce("reader@example.org"),
        content_type="application/json",
        **headers,
    )
    assert response.status_code in (400, 401, 403)
    assert not Suppression.objects.exists()


def settings_in(env: dict) -> dict:
    """The email settings a fresh process reads from `env`."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ['EMAIL_BACKEND', 'ANYMAIL',"
        "'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL',"
        "'EMAIL_TIMEOUT', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD']}))"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_EMAIL", "ANYMAIL_", "NEWSROOM_EMAIL"))
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=clean
        | {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_SECRET_KEY": "a-secret-only-for-reading-the-settings-" + "x" * 20,
        }
        | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode:
        return {"error": result.stderr}
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_provider_setting_chooses_anymail_with_its_keys():
    read = settings_in(
        {
            "NEWSROOM_EMAIL_PROVIDER": "mailgun",
            "ANYMAIL_MAILGUN_API_KEY": "key-123",
            "ANYMAIL_MAILGUN_SENDER_DOMAIN": "mg.example.org",
        }
    )
    assert read["EMAIL_BACKEND"] == "anymail.backends.mailgun.EmailBackend"
    assert read["ANYMAIL"] == {
        "MAILGUN_API_KEY": "key-123",
        "MAILGUN_SENDER_DOMAIN": "mg.example.org",
    }


def test_smtp_settings_come_from_the_environment():
    read = settings_in(
        {
            "DJANGO_EMAIL_HOST": "smtp.example.org",
            "DJANGO_EMAIL_PORT": "465",
            "DJANGO_EMAIL_USE_SSL": "1",
            "DJANGO_EMAIL_HOST_USER": "newsroom",
            "DJANGO_EMAIL_HOST_PASSWORD": "s3cret",
            "DJANGO_EMAIL_TIMEOUT": "10",
        }
    )
    assert read["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (read["EMAIL_HOST"], read["EMAIL_PORT"]) == ("smtp.example.org", 465)
    assert (read["EMAIL_USE_SSL"], read["EMAIL_USE_TLS"]) == (True, False)
    assert (read["EMAIL_HOST_USER"], read["EMAIL_HOST_PASSWORD"]) == (
        "newsroom",
        "s3cret",
    )
    assert read["EMAIL_TIMEOUT"] == 10


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"NEWSROOM_EMAIL_PROVIDER": "mailgun; rm -rf /"}, "is not a provider name"),
        (
            {"DJANGO_EMAIL_USE_SSL": "1", "DJANGO_EMAIL_USE_TLS": "1"},
            "not both",
        ),
    ],
)
def test_contradictory_or_hostile_email_settings_stop_the_start(env, says):
    error = settings_in(env)["error"]
    assert "ImproperlyConfigured" in error
    assert says in error


def test_without_a_webhook_secret_the_providers_webhook_is_not_there(client, settings):
    settings.ANYMAIL = {}
    response = client.post(
        "/newsletters/provider/postmark/tracking/",
        postmark_bounce("reader@example.org"),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth(WEBHOOK_SECRET),
    )
    assert response.status_code == 404
    assert not Suppression.objects.exists()


@pytest.mark.parametrize("provider", ["nosuchprovider", "console", "test"])
def test_a_provider_anymail_does_not_know_is_not_found(
    client, anymail_backend, provider
):
    response = client.post(
        f"/newsletters/provider/{provider}/tracking/",
        postmark_bounce("reader@example.org"),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth(WEBHOOK_SECRET),
    )
    assert response.status_code == 404
    assert not Suppression.objects.exists()


def test_inbound_mail_webhooks_are_not_offered(client, anymail_backend):
    response = client.post(
        "/newsletters/provider/postmark/inbound/",
        b"{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth(WEBHOOK_SECRET),
    )
    assert response.status_code == 404


def test_a_provider_event_costs_the_same_few_queries_however_many_readers(
    client, anymail_backend, django_assert_max_num_queries
):
    def bounce(email):
        return client.post(
            "/newsletters/provider/postmark/tracking/",
            postmark_bounce(email),
            content_type="application/json",
            HTTP_AUTHORIZATION=basic_auth(WEBHOOK_SECRET),
        )

    with django_assert_max_num_queries(
        4
    ):  # get_or_create: select, savepoint, insert, release
        assert bounce("first@example.org").status_code == 200
    brief = NewsletterFactory()
    for n in range(30):
        SubscriptionFactory(newsletter=brief, email=f"reader{n}@example.org")
        Suppression.objects.create(email=f"gone{n}@example.org", reason="bounce")
    with django_assert_max_num_queries(
        4
    ):  # get_or_create: select, savepoint, insert, release
        assert bounce("second@example.org").status_code == 200
    assert (
        Suppression.objects.filter(
            email__in=["first@example.org", "second@example.org"]
        ).count()
        == 2
    )
