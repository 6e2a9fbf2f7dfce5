"""A real worker process (`manage.py db_worker`, the database tasks backend,
on the PostgreSQL test database) SIGKILLed in the middle of a batch, while it
waits on the SMTP server, and a new one started: every subscriber still gets
exactly one message."""

import asyncio
import email
import threading
import time
from collections import Counter
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletters import sending
from newsletters.models import (
    Delivery,
    DeliveryStatus,
    EditionStatus,
    Subscription,
    SubscriptionStatus,
)
from tests.newsletters.factories import EditionFactory, EditionItemFactory
from tests.servers import (
    JobWorker,
    database_url,
    free_port,
    server_env,
    wait_for_disconnections,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker's row locks are tested on PostgreSQL, as in production",
)

SUBSCRIBERS = 1000
HOLD_AT = 300  # the message the server holds, for the kill to land


class SlowMailbox:
    """Accepts every message a little slowly; at message HOLD_AT it waits
    before even taking the recipient, until released (or a few seconds)."""

    def __init__(self):
        self.messages = []
        self.holding = threading.Event()
        self.release = threading.Event()
        self._started = 0
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._lock:
            self._started += 1
            number = self._started
        if number == HOLD_AT:
            self.holding.set()
            for _ in range(100):
                if self.release.is_set():
                    break
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.002)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture
def slow_smtp():
    mailbox = SlowMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    mailbox.release.set()
    controller.stop()


def wait_until(condition, what: str, *workers: JobWorker, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {w.worker_id}\n{w.output()}" for w in workers)
            raise AssertionError(f"Timed out waiting until {what}\n{logs}")
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_and_duplicates_nothing(
    slow_smtp, settings, tmp_path, django_db_blocker
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWSROOM_NEWSLETTER_BATCH_SIZE = 200
    env = server_env(
        database=database_url(connection.settings_dict),
        static_root=tmp_path / "static",
        NEWSROOM_TASKS_BACKEND="database",
        NEWSROOM_TASK_LEASE_SECONDS="2",
        NEWSROOM_TASK_RETRY_SECONDS="1",
        NEWSROOM_NEWSLETTER_BATCH_SIZE="200",
        NEWSROOM_SITE_URL="http://news.example",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST=slow_smtp.hostname,
        DJANGO_EMAIL_PORT=str(slow_smtp.port),
        DJANGO_EMAIL_USE_TLS="0",
        DJANGO_LOG_LEVEL="INFO",
        DJANGO_LOG_FORMAT="text",
    )
    mailbox = slow_smtp.handler
    edition = EditionFactory()
    EditionItemFactory(edition=edition)
    Subscription.objects.bulk_create(
        Subscription(
            newsletter=edition.newsletter,
            email=f"reader{n}@example.org",
            status=SubscriptionStatus.CONFIRMED,
            confirmed_at=timezone.now(),
        )
        for n in range(SUBSCRIBERS)
    )
    assert sending.edition_send(edition) == SUBSCRIBERS  # five batch jobs queued

    first = JobWorker(env, tmp_path / "w-1.log", worker_id="w-1")
    second = None
    try:
        wait_until(mailbox.holding.is_set, "the worker is mid-batch", first)
        first.kill()
        mailbox.release.set()
        killed_at = len(mailbox.messages)
        assert 0 < killed_at < SUBSCRIBERS

        second = JobWorker(env, tmp_path / "w-2.log", worker_id="w-2")
        wait_until(
            lambda: (
                not Delivery.objects.filter(
                    edition=edition, status=DeliveryStatus.QUEUED
                ).exists()
            ),
            "every delivery is sent",
            first,
            second,
        )
    finally:
        for worker in (first, second):
            if worker is not None:
                worker.stop()
        wait_for_disconnections(django_db_blocker)

    received = Counter(message["To"] for message in mailbox.messages)
    assert len(received) == SUBSCRIBERS
    assert max(received.values()) == 1
    assert sum(received.values()) == SUBSCRIBERS
    assert (
        Delivery.objects.filter(edition=edition, status=DeliveryStatus.SENT).count()
        == SUBSCRIBERS
    )
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    # The killed run is recorded as failed, and its retry ran on the new worker.
    lost = DBTaskResult.objects.get(exception_class_path="jobs.worker.LeaseExpired")
    assert lost.worker_ids == ["w-1"]
    assert "was left running by worker w-1 past its lease" in second.output()
    assert DBTaskResult.objects.filter(
        args_kwargs__kwargs__attempt=2, status="SUCCESSFUL"
    ).exists()
