"""Sending throughput: an edition to N confirmed subscribers (100,000 by
default) through a real SMTP server in this process (aiosmtpd), in batch
jobs on the immediate backend; prints deliveries a second, then removes
what it made.

    DATABASE_URL=postgres://…/newsroom_bench \
        python bench/newsletter_send.py [--subscribers 100000]

The database must be migrated. The figure is one process's: with the
database backend, each worker adds its own.
"""

import argparse
import os
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class CountingHandler:
    def __init__(self):
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    handler = CountingHandler()
    smtp = Controller(handler, hostname="127.0.0.1", port=free_port())
    smtp.start()
    os.environ |= {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_TASKS_BACKEND": "immediate",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": smtp.hostname,
        "DJANGO_EMAIL_PORT": str(smtp.port),
        "DJANGO_EMAIL_USE_TLS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    import django

    django.setup()
    from django.utils import timezone

    from articles.models import Article, Section, Status
    from newsletters import sending
    from newsletters.models import (
        Edition,
        EditionItem,
        Newsletter,
        Subscription,
        SubscriptionStatus,
    )

    stamp = str(int(time.time()))
    section = Section.objects.create(name=f"Bench {stamp}", slug=f"bench-{stamp}")
    story = Article.objects.create(
        headline="Council votes on the harbour",
        slug=f"bench-{stamp}",
        dek="A decade of port policy is decided tonight.",
        body='<p><strong class="lead-in">Why it matters:</strong> A vote.</p>',
        section=section,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    newsletter = Newsletter.objects.create(name="Bench", slug=f"bench-{stamp}")
    edition = Edition.objects.create(newsletter=newsletter, subject="Bench")
    try:
        EditionItem.objects.create(edition=edition, story=story, lead_ins=1)
        Subscription.objects.bulk_create(
            (
                Subscription(
                    newsletter=newsletter,
                    email=f"bench{n}@example.org",
                    status=SubscriptionStatus.CONFIRMED,
                    confirmed_at=timezone.now(),
                )
                for n in range(args.subscribers)
            ),
            batch_size=5000,
        )
        started = time.perf_counter()
        queued = sending.edition_send(edition)
        seconds = time.perf_counter() - started
        counts = sending.delivery_counts(edition)
        print(
            f"{queued} deliveries, {counts['sent']} sent, {handler.received} "
            f"received by SMTP in {seconds:.1f} s: "
            f"{counts['sent'] / seconds:.0f} deliveries/s"
        )
    finally:
        edition.deliveries.all().delete()
        edition.items.all().delete()
        edition.delete()
        newsletter.delete()
        story.delete()
        section.delete()
        smtp.stop()


if __name__ == "__main__":
    main()
