"""A batch builds its message once and fills in each reader's address,
links, Message-ID and date: each copy reads exactly as the message built for
that reader alone would; when that is not safe (a line too long for 8-bit
mail) each message is built on its own; one delivery keeps its Message-ID
when it is sent again."""

import email
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core import signing

from newsletters import sending
from newsletters.email import (
    MessageBytes,
    delivery_message_id,
    edition_items,
    edition_message,
    edition_render,
)
from newsletters.models import DeliveryStatus, EditionStatus, SubscriptionStatus
from newsletters.services import PREFERENCES_SALT
from tests.newsletters.conftest import _free_port
from tests.newsletters.factories import (
    EditionFactory,
    EditionItemFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db

BODY = (
    '<p><strong class="lead-in">Why it matters:</strong> The harbour is run '
    "for a decade by whoever wins — “the vote” on Thursday.</p>"
)


@pytest.fixture
def edition(settings):
    settings.NEWSROOM_SITE_URL = "http://testserver"
    edition = EditionFactory(
        subject="Harbour vote: what’s at stake", intro="Good morning, Zoë."
    )
    EditionItemFactory(
        edition=edition,
        story__headline="Council votes on the harbour",
        story__body=BODY,
    )
    return edition


def parsed(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


def test_each_copy_reads_as_the_message_built_for_its_reader(edition):
    rendered = edition_render(edition, edition_items(edition))
    whole = MessageBytes(rendered)
    assert whole.usable

    fast = parsed(whole.for_reader("ana@example.org", 41))
    slow = parsed(
        edition_message(edition, rendered, "ana@example.org", delivery_id=41)
        .message()
        .as_bytes(linesep="\r\n")
    )

    for header in ["Subject", "From", "To", "List-Unsubscribe-Post", "Message-ID"]:
        assert fast[header] == slow[header], header
    assert fast["List-Unsubscribe"].split() == slow["List-Unsubscribe"].split()
    assert fast["Message-ID"] == delivery_message_id(edition, 41)
    assert fast["Date"] is not None
    for kind in ["plain", "html"]:
        assert (
            fast.get_body((kind,)).get_content() == slow.get_body((kind,)).get_content()
        )
    text = fast.get_body(("plain",)).get_content()
    assert "Council votes on the harbour" in text
    assert "“the vote”" in fast.get_body(("html",)).get_content()
    assert "slot" not in fast.as_string()
    token = text.split("/newsletters/unsubscribe/")[1].split("/")[0]
    assert signing.loads(token, salt=PREFERENCES_SALT) == "ana@example.org"


def test_a_line_too_long_for_8bit_mail_is_built_per_reader(edition, mailbox):
    long_body = '<p><strong class="lead-in">Why:</strong> ' + "word " * 400 + "</p>"
    item = edition.items.get()
    item.story.body = long_body
    item.story.save()
    rendered = edition_render(edition, edition_items(edition))
    assert not MessageBytes(rendered).usable

    SubscriptionFactory(
        newsletter=edition.newsletter,
        email="ana@example.org",
        status=SubscriptionStatus.CONFIRMED,
    )
    sending.edition_send(edition)

    [message] = mailbox.messages
    assert message["To"] == "ana@example.org"
    assert ("word " * 400).strip() in message.get_body(("plain",)).get_content()


def test_a_delivery_sent_again_keeps_its_message_id(edition, mailbox):
    SubscriptionFactory(
        newsletter=edition.newsletter,
        email="ana@example.org",
        status=SubscriptionStatus.CONFIRMED,
    )
    sending.edition_send(edition)
    delivery = edition.deliveries.get()
    # As if the worker had died before marking it sent.
    edition.deliveries.update(status=DeliveryStatus.QUEUED)
    sending.edition_send_batch(
        edition_id=edition.pk, first_id=delivery.pk, last_id=delivery.pk
    )

    first, second = mailbox.messages
    assert first["Message-ID"] == second["Message-ID"]
    assert first["Message-ID"] == delivery_message_id(edition, delivery.pk)


class RefusingMailbox:
    """Takes every message except to refused@example.org, which it refuses
    for good (550), as a provider does for an address that does not exist."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == "refused@example.org":
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(parsed(envelope.content))
        return "250 OK"


def test_an_address_the_server_refuses_is_marked_failed_and_the_rest_sent(
    edition, settings
):
    handler = RefusingMailbox()
    server = Controller(handler, hostname="127.0.0.1", port=_free_port())
    server.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.hostname, server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        for address in ["ana@example.org", "refused@example.org", "bo@example.org"]:
            SubscriptionFactory(
                newsletter=edition.newsletter,
                email=address,
                status=SubscriptionStatus.CONFIRMED,
            )
        sending.edition_send(edition)
    finally:
        server.stop()

    assert sorted(m["To"] for m in handler.messages) == [
        "ana@example.org",
        "bo@example.org",
    ]
    refused = edition.deliveries.get(email="refused@example.org")
    assert refused.status == DeliveryStatus.FAILED
    assert refused.attempts == 1
    assert "No such user" in refused.error
    assert sending.delivery_counts(edition) == {
        "queued": 0,
        "sent": 2,
        "failed": 1,
        "bounced": 0,
    }
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
