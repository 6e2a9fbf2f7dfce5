"""Sending throughput: an edition to N confirmed subscribers (100,000 by
default) through a real SMTP server (aiosmtpd, in a process of its own, that
counts what it accepts); prints deliveries a second, wall and CPU time and
the queries each batch makes, then removes what it made.

    DATABASE_URL=postgres://…/some_bench_db \\
        python bench/newsletter_send.py [--subscribers 100000] [--workers 0]
        [--batch-size 200] [--profile 2000]

The batch jobs are queued on the database backend, as in production;
--workers 0 (the default) runs them with `db_worker --batch` in this process
(its queries counted), --workers N in N `manage.py db_worker --batch`
processes at once. --profile N
sends to N subscribers in this process under cProfile and prints the top of
the profile instead. The database must be migrated.
"""

import argparse
import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_sink(port: int) -> None:
    """The SMTP server: accepts every message, and at end of input prints
    how many it accepted and its own CPU seconds."""
    from aiosmtpd.controller import Controller

    class Counting:
        received = 0

        async def handle_DATA(self, server, session, envelope):
            Counting.received += 1
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()  # until the benchmark closes our input
    controller.stop()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"{Counting.received} {usage.ru_utime + usage.ru_stime:.2f}", flush=True)


class Sink:
    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--sink", str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def stop(self) -> tuple[int, float]:
        out, _err = self.process.communicate(timeout=60)
        received, cpu = out.split()
        return int(received), float(cpu)


def cpu_seconds(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        run_sink(args.sink)
        return
    if args.profile:
        args.subscribers, args.workers = args.profile, 0

    sink = Sink()
    os.environ |= {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_TASKS_BACKEND": "database",
        "NEWSROOM_NEWSLETTER_BATCH_SIZE": str(args.batch_size),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(sink.port),
        "DJANGO_EMAIL_USE_TLS": "0",
        "DJANGO_EMAIL_USE_SSL": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SECRET_KEY": os.environ.get(
            "DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40
        ),
    }
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

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
    queries = [0]

    def run_worker_here() -> None:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--worker-id",
            "bench",
            verbosity=0,
        )

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

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
        if args.profile:
            import cProfile
            import pstats

            sending.edition_send(edition)
            profiler = cProfile.Profile()
            profiler.enable()
            run_worker_here()
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
            return

        cpu_before = cpu_seconds(resource.RUSAGE_SELF)
        started = time.perf_counter()
        with connection.execute_wrapper(count):
            queued = sending.edition_send(edition)
            queue_seconds = time.perf_counter() - started
            queue_queries = queries[0]
            if not args.workers:
                run_worker_here()
        if args.workers:
            workers = [
                subprocess.Popen(
                    [sys.executable, "manage.py", "db_worker", "--batch"]
                    + ["--no-startup-delay", "--no-reload", "--worker-id", f"b{n}"],
                    cwd=ROOT,
                    env=os.environ,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for n in range(args.workers)
            ]
            for worker in workers:
                worker.wait()
        seconds = time.perf_counter() - started
        cpu = cpu_seconds(resource.RUSAGE_SELF) - cpu_before
        cpu += cpu_seconds(resource.RUSAGE_CHILDREN)  # the workers, once ended
        received, sink_cpu = sink.stop()
        sink = None
        counts = sending.delivery_counts(edition)
        batches = -(-queued // args.batch_size)
        edition.refresh_from_db()
        who = f"{args.workers} db_worker processes" if args.workers else "one process"
        print(
            f"{args.subscribers:,} subscribers, batches of {args.batch_size}, "
            f"{who}:\n"
            f"  {queued:,} deliveries queued, {counts['sent']:,} sent, "
            f"{received:,} received by SMTP, edition {edition.status}\n"
            f"  wall {seconds:.1f} s (queueing {queue_seconds:.1f} s of it): "
            f"{counts['sent'] / seconds:,.0f} deliveries/s\n"
            f"  CPU {cpu:.1f} s sending ({cpu / max(counts['sent'], 1) * 1e3:.2f} "
            f"ms a delivery), {sink_cpu:.1f} s in the SMTP server"
        )
        sending_queries = queries[0] - queue_queries
        if not args.workers:
            print(
                f"  {queue_queries:,} queries queueing, then {sending_queries:,}: "
                f"{sending_queries / batches:.0f} a batch, "
                f"{sending_queries / max(queued, 1):.2f} a delivery"
            )
    finally:
        if sink is not None:
            sink.stop()
        DBTaskResult.objects.filter(
            task_path="newsletters.tasks.send_edition_batch",
            args_kwargs__kwargs__edition_id=edition.pk,
        ).delete()
        edition.deliveries.all().delete()
        edition.items.all().delete()
        edition.delete()
        newsletter.delete()
        story.delete()
        section.delete()


if __name__ == "__main__":
    main()
