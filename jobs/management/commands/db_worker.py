"""`manage.py db_worker`: django-tasks-db's command, with our worker
(`jobs.worker`), which rides out database restarts and takes over jobs left
by workers that died. It replaces the library's command of the same name
(this app comes first in INSTALLED_APPS), so no deployment can start the
fragile one by mistake."""

import logging
import os
from argparse import ArgumentTypeError

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from jobs.worker import Worker


def valid_lease_seconds(value: str) -> float:
    seconds = db_worker.valid_interval(value)
    if seconds <= 0:
        raise ArgumentTypeError("Must be greater than zero")
    return seconds


class Command(db_worker.Command):
    help = (
        "Run the background job worker: reconnects after database outages and "
        "takes over jobs whose worker's lease expired."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--lease-seconds",
            type=valid_lease_seconds,
            default=settings.NEWSROOM_TASK_LEASE_SECONDS,
            help="How long a job stays this worker's without it renewing the "
            "lease (default: NEWSROOM_TASK_LEASE_SECONDS, %(default)s)",
        )

    def configure_logging(self, verbosity):
        super().configure_logging(verbosity)
        # Our worker's lines follow the same verbosity as the library's.
        level = db_worker.logger.level
        logging.getLogger("jobs").setLevel(level)

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        lease_seconds,
        **options,
    ):
        self.configure_logging(verbosity)
        if reload and batch:
            db_worker.logger.warning(
                "Warning: --reload and --batch cannot be specified together. "
                "Disabling autoreload."
            )
            reload = False

        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")

        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
            lease_seconds=lease_seconds,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                # Only the child process handles the signals.
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
