"""Sending an edition to a real SMTP server in the test process: everyone
receiving the newsletter gets exactly one message, with both parts and the
one-click unsubscribe headers; nobody else gets one; a batch run again sends
nothing twice."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from newsletters import sending
from newsletters.models import (
    Delivery,
    DeliveryStatus,
    EditionStatus,
    Subscription,
    SubscriptionStatus,
    Suppression,
)
from tests.factories import ArticleFactory
from tests.newsletters.factories import (
    EditionFactory,
    EditionItemFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db


def subscribers(newsletter, count: int) -> None:
    Subscription.objects.bulk_create(
        Subscription(
            newsletter=newsletter,
            email=f"reader{n}@example.org",
            status=SubscriptionStatus.CONFIRMED,
            confirmed_at=timezone.now(),
        )
        for n in range(count)
    )


@pytest.fixture
def edition():
    edition = EditionFactory(subject="Harbour vote, ferries and more")
    EditionItemFactory(edition=edition, story__headline="Council votes on the harbour")
    return edition


def test_a_thousand_subscribers_get_exactly_one_message_each(
    mailbox, edition, settings
):
    settings.NEWSROOM_NEWSLETTER_BATCH_SIZE = 200
    subscribers(edition.newsletter, 1000)

    queued = sending.edition_send(edition)

    assert queued == 1000
    received = Counter(message["To"] for message in mailbox.messages)
    assert len(received) == 1000
    assert set(received.values()) == {1}
    for message in mailbox.messages[::97]:
        assert message["Subject"] == "Harbour vote, ferries and more"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/newsletters/unsubscribe/" in message["List-Unsubscribe"]
        text = message.get_body(("plain",)).get_content()
        page = message.get_body(("html",)).get_content()
        assert "Council votes on the harbour" in text
        assert "Council votes on the harbour" in page
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    assert edition.sent_at is not None
    assert sending.delivery_counts(edition) == {
        "queued": 0,
        "sent": 1000,
        "failed": 0,
        "bounced": 0,
    }


def test_suppressed_unsubscribed_and_pending_addresses_get_nothing(mailbox, edition):
    newsletter = edition.newsletter
    SubscriptionFactory(newsletter=newsletter, email="keen@example.org")
    SubscriptionFactory(newsletter=newsletter, email="bounced@example.org")
    Suppression.objects.create(email="bounced@example.org", reason="bounce")
    SubscriptionFactory(
        newsletter=newsletter,
        email="left@example.org",
        status=SubscriptionStatus.UNSUBSCRIBED,
    )
    SubscriptionFactory(
        newsletter=newsletter,
        email="unsure@example.org",
        status=SubscriptionStatus.PENDING,
    )
    SubscriptionFactory(email="other-letter@example.org")

    sending.edition_send(edition)

    assert [m["To"] for m in mailbox.messages] == ["keen@example.org"]
    assert list(edition.deliveries.values_list("email", flat=True)) == [
        "keen@example.org"
    ]


def test_a_batch_run_again_sends_nothing_twice(mailbox, edition, settings):
    settings.NEWSROOM_NEWSLETTER_BATCH_SIZE = 50
    subscribers(edition.newsletter, 120)
    sending.edition_send(edition)
    assert len(mailbox.messages) == 120
    ids = list(edition.deliveries.order_by("pk").values_list("pk", flat=True))

    again = sending.edition_send_batch(
        edition_id=edition.pk, first_id=ids[0], last_id=ids[-1]
    )

    assert again == 0
    assert len(mailbox.messages) == 120
    with pytest.raises(sending.EditionRefused, match="already sent"):
        sending.edition_send(edition)
    assert len(mailbox.messages) == 120


def test_a_batch_cut_off_by_the_provider_is_retried_and_finishes(
    mailbox, edition, settings, monkeypatch
):
    """The SMTP server stops answering after 5 messages: the job fails, is
    retried (immediate backend: at once) and sends only those left."""
    settings.NEWSROOM_NEWSLETTER_BATCH_SIZE = 100
    subscribers(edition.newsletter, 12)
    real_sender = sending._sender
    calls = {"n": 0}

    def flaky_sender(*args, **kwargs):
        send = real_sender(*args, **kwargs)

        def flaky(delivery):
            calls["n"] += 1
            if calls["n"] == 6:
                raise ConnectionResetError("the provider hung up")
            return send(delivery)

        return flaky

    monkeypatch.setattr(sending, "_sender", flaky_sender)

    sending.edition_send(edition)  # the run fails, the retry finishes

    received = Counter(m["To"] for m in mailbox.messages)
    assert len(received) == 12 and set(received.values()) == {1}
    failed_once = Delivery.objects.get(edition=edition, attempts=2)
    assert failed_once.status == DeliveryStatus.SENT
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT


def test_the_rate_setting_spaces_messages(mailbox, edition, settings):
    settings.NEWSROOM_NEWSLETTER_RATE = 20  # a message every 50 ms
    subscribers(edition.newsletter, 6)
    started = timezone.now()
    sending.edition_send(edition)
    assert len(mailbox.messages) == 6
    assert timezone.now() - started >= timedelta(seconds=5 / 20)


def test_a_scheduled_edition_whose_story_was_unpublished_stops_and_says_which(
    mailbox, edition
):
    subscribers(edition.newsletter, 3)
    withdrawn = ArticleFactory(published=True, headline="Ferry timetable leaked")
    EditionItemFactory(edition=edition, story=withdrawn)
    send_at = timezone.now() + timedelta(hours=1)
    sending.edition_schedule(edition, send_at=send_at)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SCHEDULED
    withdrawn.status = "unpublished"
    withdrawn.save()

    early = sending.edition_send_scheduled(edition.pk, send_at=sending._stamp(send_at))
    assert early == "early"
    edition.send_at = timezone.now() - timedelta(seconds=1)
    edition.save(update_fields=["send_at"])
    outcome = sending.edition_send_scheduled(
        edition.pk, send_at=sending._stamp(edition.send_at)
    )

    assert outcome == "stopped"
    edition.refresh_from_db()
    assert edition.status == EditionStatus.STOPPED
    assert "“Ferry timetable leaked”" in edition.stop_reason
    assert "Council votes on the harbour" not in edition.stop_reason
    assert mailbox.messages == []
    assert not edition.deliveries.exists()

    # The editor takes the story out and sends the stopped edition after all.
    edition.items.filter(story=withdrawn).delete()
    assert sending.edition_send(edition) == 3
    assert len(mailbox.messages) == 3
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    assert edition.stop_reason == ""


def test_a_scheduled_edition_goes_out_at_its_time(mailbox, edition):
    subscribers(edition.newsletter, 3)
    send_at = timezone.now() + timedelta(minutes=5)
    sending.edition_schedule(edition, send_at=send_at)
    edition.refresh_from_db()
    edition.send_at = timezone.now() - timedelta(seconds=1)
    edition.save(update_fields=["send_at"])

    stale = sending.edition_send_scheduled(edition.pk, send_at=sending._stamp(send_at))
    assert stale == "skipped"  # the job for the earlier time
    outcome = sending.edition_send_scheduled(
        edition.pk, send_at=sending._stamp(edition.send_at)
    )

    assert outcome == "sending"
    assert sorted(m["To"] for m in mailbox.messages) == [
        "reader0@example.org",
        "reader1@example.org",
        "reader2@example.org",
    ]
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT


def test_an_edition_with_an_unpublished_story_is_refused_now(mailbox, edition):
    subscribers(edition.newsletter, 2)
    EditionItemFactory(
        edition=edition, story=ArticleFactory(headline="Draft about the dredger")
    )
    with pytest.raises(sending.EditionRefused, match="“Draft about the dredger”"):
        sending.edition_send(edition)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT
    assert mailbox.messages == []
