"""Deliveries against real local receivers: signed, retried by the backoff,
sent exactly once, endpoints switched off after failing again and again."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import ArticleFactory
from tests.webhooks.conftest import make_endpoint
from webhooks.models import DeliveryStatus, Event, WebhookDelivery
from webhooks.services import delivery_attempt, webhook_events_queue
from webhooks.signing import payload_body, signature_header, signature_verify

pytestmark = pytest.mark.django_db


def receiver_verifies(secret: str, headers: dict, body: bytes) -> bool:
    """What a receiver does (README.md), written independently of our code."""
    fields = dict(
        part.split("=", 1) for part in headers["Webhook-Signature"].split(",")
    )
    expected = hmac.new(
        secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


def queue_one(endpoint, story=None) -> WebhookDelivery:
    story = story or ArticleFactory(published=True)
    assert webhook_events_queue(events=[((Event.STORY_PUBLISHED, story.pk), {})]) >= 1
    return WebhookDelivery.objects.filter(endpoint=endpoint).latest("created_at")


def test_the_receiver_verifies_the_signature_with_the_secret(receiver_factory):
    receiver = receiver_factory(200)
    endpoint = make_endpoint(receiver.url)
    story = ArticleFactory(published=True, headline="Harbour vote passes")
    delivery = queue_one(endpoint, story)

    assert delivery_attempt(delivery_id=delivery.pk) == "Sent (200)."

    headers, body = receiver.requests[0]
    assert headers["Webhook-Id"] == str(delivery.pk)
    assert headers["Webhook-Event"] == "story.published"
    assert headers["Content-Type"] == "application/json"
    assert receiver_verifies(endpoint.secret, headers, body)
    assert signature_verify(
        secret=endpoint.secret, body=body, header=headers["Webhook-Signature"]
    )
    payload = json.loads(body)
    assert payload["id"] == str(delivery.pk)
    assert payload["event"] == "story.published"
    assert payload["data"]["headline"] == "Harbour vote passes"
    assert payload["data"]["url"].endswith(story.get_absolute_url())
    # Tampered with, or checked with another secret: refused.
    tampered = body.replace(b"passes", b"fails!")
    assert not receiver_verifies(endpoint.secret, headers, tampered)
    assert not signature_verify(
        secret=endpoint.secret, body=tampered, header=headers["Webhook-Signature"]
    )
    assert not receiver_verifies("another secret", headers, body)


def test_an_old_or_garbled_signature_is_refused():
    body = payload_body({"event": "story.published"})
    old = signature_header(secret="s", body=body, timestamp=1_000_000)
    assert not signature_verify(secret="s", body=body, header=old)
    assert signature_verify(secret="s", body=body, header=old, now=1_000_100)
    for garbled in ("", "t=abc,v1=00", "v1=00", "t=1", "nonsense"):
        assert not signature_verify(secret="s", body=body, header=garbled)


def test_fails_twice_then_succeeds_with_backoff(quick, receiver_factory):
    receiver = receiver_factory(500, 500, 200)
    endpoint = make_endpoint(receiver.url)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        delivery = queue_one(endpoint)
        assert delivery_attempt(delivery_id=delivery.pk).startswith("Failed")
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.FAILED
        assert delivery.attempts == 1
        assert delivery.last_status_code == 500
        assert delivery.next_attempt_at == start + timedelta(seconds=60)
        assert len(delivery.response_excerpt) <= 1024
        # A second run of the job before the retry is due does nothing.
        assert delivery_attempt(delivery_id=delivery.pk) == "Not due yet."
        assert len(receiver.requests) == 1

    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        delivery_attempt(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert delivery.attempts == 2
        assert delivery.next_attempt_at == start + timedelta(seconds=61 + 300)

    with time_machine.travel(start + timedelta(seconds=61 + 301), tick=False):
        assert delivery_attempt(delivery_id=delivery.pk) == "Sent (200)."
        # Run again, for a delivery already sent: nothing is sent twice.
        assert delivery_attempt(delivery_id=delivery.pk) == "Already sent."

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 3
    assert delivery.last_status_code == 200
    assert delivery.sent_at is not None and delivery.next_attempt_at is None
    assert len(receiver.requests) == 3
    ids = {headers["Webhook-Id"] for headers, _ in receiver.requests}
    assert ids == {str(delivery.pk)}  # the same id on every retry
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_gives_up_after_the_last_retry(settings, receiver_factory):
    settings.NEWSROOM_WEBHOOKS_RETRY_SECONDS = [0, 0]
    receiver = receiver_factory(503)
    endpoint = make_endpoint(receiver.url)
    delivery = queue_one(endpoint)
    for _ in range(5):
        delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert delivery.attempts == 3
    assert "503" in delivery.last_error
    assert len(receiver.requests) == 3


def test_endpoint_switched_off_after_n_failures_in_a_row(settings, receiver_factory):
    settings.NEWSROOM_WEBHOOKS_DISABLE_AFTER = 3
    receiver = receiver_factory(500)
    endpoint = make_endpoint(receiver.url)
    deliveries = [queue_one(endpoint) for _ in range(4)]
    for delivery in deliveries[:2]:
        delivery_attempt(delivery_id=delivery.pk)
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 2

    delivery_attempt(delivery_id=deliveries[2].pk)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_at is not None
    assert "3 failed deliveries in a row" in endpoint.disabled_reason
    assert "500" in endpoint.disabled_reason

    # What was still queued for it is not sent.
    delivery_attempt(delivery_id=deliveries[3].pk)
    deliveries[3].refresh_from_db()
    assert deliveries[3].status == DeliveryStatus.GAVE_UP
    assert len(receiver.requests) == 3


def test_a_success_resets_the_failure_count(settings, receiver_factory):
    settings.NEWSROOM_WEBHOOKS_DISABLE_AFTER = 2
    receiver = receiver_factory(500, 200, 500)
    endpoint = make_endpoint(receiver.url)
    for _ in range(3):
        delivery_attempt(delivery_id=queue_one(endpoint).pk)
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 1


def test_a_refused_address_is_recorded_as_a_failure(settings):
    settings.NEWSROOM_WEBHOOKS_ALLOWED_PRIVATE_HOSTS = []
    endpoint = make_endpoint("https://[::1]/hook")
    delivery = queue_one(endpoint)
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_status_code is None
    assert "private, local or reserved" in delivery.last_error


def test_a_story_unpublished_before_sending_is_not_announced(receiver_factory):
    receiver = receiver_factory(200)
    endpoint = make_endpoint(receiver.url)
    story = ArticleFactory(published=True)
    delivery = queue_one(endpoint, story)
    story.status = "unpublished"
    story.save()
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert receiver.requests == []


def test_a_missing_delivery_is_nothing_to_do():
    import uuid

    assert delivery_attempt(delivery_id=uuid.uuid4()) == "No such delivery."


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_until_sent(
    settings, database_tasks, run_worker, receiver_factory, roles
):
    """The job on the database backend, run by our worker: two 500s, then a
    200; three attempts and one success, each retry queued by the job."""
    from articles.services import article_publish
    from tests.factories import UserFactory

    settings.NEWSROOM_WEBHOOKS_RETRY_SECONDS = [0, 0, 0]
    receiver = receiver_factory(500, 500, 200)
    endpoint = make_endpoint(receiver.url)
    editor = UserFactory(username="worker-editor", is_staff=True)
    from django.contrib.auth.models import Group

    editor.groups.add(Group.objects.get(name="Editors"))
    story = ArticleFactory()
    article_publish(article=story, by=editor)
    assert WebhookDelivery.objects.count() == 1
    assert receiver.requests == []  # waiting for the worker

    run_worker()

    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint == endpoint
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 3
    assert [h["Webhook-Id"] for h, _ in receiver.requests] == [str(delivery.pk)] * 3
    run_worker()  # nothing left to do
    assert len(receiver.requests) == 3


def test_overdue_deliveries_are_queued_again_and_sent_once(
    receiver_factory, enqueued, django_capture_on_commit_callbacks
):
    import io

    from django.core.management import call_command

    receiver = receiver_factory(200)
    endpoint = make_endpoint(receiver.url)
    lost = queue_one(endpoint)  # its job never ran (not committed here)
    recent = queue_one(endpoint)
    WebhookDelivery.objects.filter(pk=lost.pk).update(
        next_attempt_at=timezone.now() - timedelta(hours=1)
    )
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("requeue_webhooks", stdout=out)
    assert "Queued 1 overdue" in out.getvalue()
    assert [kwargs["delivery_id"] for _, kwargs in enqueued] == [str(lost.pk)]
    lost.refresh_from_db()
    assert lost.status == DeliveryStatus.SENT  # the immediate backend ran it
    recent.refresh_from_db()
    assert recent.status == DeliveryStatus.QUEUED
    # Run twice: the job for a sent delivery does nothing.
    assert delivery_attempt(delivery_id=lost.pk) == "Already sent."
    assert len(receiver.requests) == 1
