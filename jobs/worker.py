"""The job worker: django-tasks-db's, made to outlive database restarts and
workers that die.

django-tasks-db's own worker exits on the first database error, and a job it
left RUNNING (killed mid-job) is never looked at again. This one:

- treats OperationalError and InterfaceError as passing: it logs them, closes
  the connection, waits a little longer each time (up to BACKOFF_MAX_SECONDS)
  and carries on, whether it was looking for work, renewing a lease or
  recording how a job ended;
- takes each job with a `Lease` (SELECT … FOR UPDATE SKIP LOCKED, in the
  same transaction as the claim) and renews it from a thread while the job
  runs;
- records a run still RUNNING after its lease expired as FAILED
  (`LeaseExpired`) and queues the next attempt by the retry rule
  (`core.jobs.job_retry`), under a row lock, so one worker does it once;
- records a run's outcome only while it still holds the lease, so a run
  taken over by another worker is not marked successful behind its back;
- queues the next attempt itself when a run failed because the database went
  away and so could not queue it (`retry_on_failure` enqueues through the
  same database), in the transaction that records the failure.
"""

import logging
import random
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)
from django.utils import timezone
from django_tasks import TaskContext, TaskResultStatus
from django_tasks.signals import task_enqueued, task_finished, task_started
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from core.jobs import job_counts_attempts, job_retry, retry_delay
from jobs.models import Lease

logger = logging.getLogger(__name__)

# What a database restart, a failover or a cut network raise.
DATABASE_ERRORS = (OperationalError, InterfaceError)
BACKOFF_FIRST_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 10.0
# Lost runs handled per look for work, so a backlog of them cannot stall it.
LOST_RUNS_PER_POLL = 20


class LeaseExpired(Exception):
    """The worker running a job stopped renewing its lease."""


def caused_by_database(error: BaseException) -> bool:
    """Whether `error`, or an error that led to it, is a database error."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_ERRORS):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def close_connections() -> None:
    """Drop this thread's database connections; the next query opens a new one."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DATABASE_ERRORS as error:
            # Closing a connection the server has already dropped; it is gone.
            logger.debug("Closing a broken connection: %s", error)


class LeaseKeeper(threading.Thread):
    """Renews one run's lease every third of its length until stopped."""

    def __init__(self, *, task_id, worker_id: str, seconds: float):
        super().__init__(name=f"lease-{task_id}", daemon=True)
        self.task_id = task_id
        self.worker_id = worker_id
        self.seconds = seconds
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopped.wait(self.seconds / 3):
                try:
                    expires_at = timezone.now() + timedelta(seconds=self.seconds)
                    renewed = Lease.objects.filter(
                        pk=self.task_id, worker_id=self.worker_id
                    ).update(expires_at=expires_at)
                except DATABASE_ERRORS as error:
                    logger.warning(
                        "Could not renew the lease on task id=%s (%s: %s).",
                        self.task_id,
                        type(error).__name__,
                        str(error).strip(),
                    )
                    close_connections()
                    continue
                if not renewed:
                    logger.warning(
                        "Worker %s lost its lease on task id=%s: another worker "
                        "took the job over.",
                        self.worker_id,
                        self.task_id,
                    )
                    return
        finally:
            close_connections()

    def stop(self) -> None:
        self._stopped.set()
        self.join()


class Worker(db_worker.Worker):
    """django-tasks-db's worker loop with leases and database outages handled."""

    def __init__(self, *, lease_seconds: float, **options):
        super().__init__(**options)
        self.lease_seconds = lease_seconds
        self._outage = 0  # database errors in a row

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s lease=%ss",
            self.worker_id,
            ",".join(self.queue_names),
            self.lease_seconds,
        )
        if self.startup_delay and self.interval:
            # A random small delay, so workers restarted together spread out.
            time.sleep(random.random())  # noqa: S311

        while self.running:
            try:
                task_result, polled = self.take_next()
            except DATABASE_ERRORS as error:
                self.database_unavailable(error)
                continue
            if self._outage:
                logger.warning(
                    "Database reachable again; worker %s carries on.", self.worker_id
                )
                self._outage = 0

            if task_result is not None:
                self.run_task(task_result)

            if self.batch and polled and task_result is None:
                logger.info(
                    "No more tasks to run for worker_id=%s - exiting gracefully.",
                    self.worker_id,
                )
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Run maximum tasks (%d) on worker=%s - exiting gracefully.",
                    self._run_tasks,
                    self.worker_id,
                )
                return
            if self.running and task_result is None:
                time.sleep(self.interval)

    def database_unavailable(self, error: Exception) -> None:
        """Log a database error, drop the connection and wait a little (longer
        each time in a row) before the caller tries again."""
        self._outage += 1
        delay = min(
            BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** (self._outage - 1)
        )
        logger.warning(
            "Database unavailable (%s: %s); worker %s tries again in %.1f s.",
            type(error).__name__,
            str(error).strip(),
            self.worker_id,
            delay,
        )
        close_connections()
        time.sleep(delay)

    def for_this_worker(self, tasks: DBTaskResultQuerySet) -> DBTaskResultQuerySet:
        """`tasks` narrowed to this worker's backend and queues."""
        tasks = tasks.filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def take_next(self) -> tuple[DBTaskResult | None, bool]:
        """Claim the next due job, leased to this worker, after settling runs
        whose worker died. Returns it (or None) and whether the queue could be
        read at all (SQLite may be locked)."""
        close_old_connections()
        for _ in range(LOST_RUNS_PER_POLL):
            if not self.recover_lost_run():
                break

        tasks = self.for_this_worker(DBTaskResult.objects.ready())
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
            except OperationalError as error:
                if is_locked_database_exception(error):
                    return None, False
                raise
            if task_result is not None:
                task_result.claim(self.worker_id)
                Lease.objects.update_or_create(
                    task_result=task_result,
                    defaults={
                        "worker_id": self.worker_id,
                        "expires_at": timezone.now()
                        + timedelta(seconds=self.lease_seconds),
                    },
                )
        return task_result, True

    def recover_lost_run(self) -> bool:
        """Record one run left RUNNING past its lease as failed and queue the
        next attempt. Returns whether there was one."""
        lost_runs = self.for_this_worker(
            DBTaskResult.objects.running().filter(lease__expires_at__lt=timezone.now())
        )
        with exclusive_transaction(lost_runs.db):
            lost = (
                lost_runs.select_related("lease")
                .select_for_update(skip_locked=True, of=("self",))
                .first()
            )
            if lost is None:
                return False
            lease = lost.lease
            lease.delete()
            lost.set_failed(
                LeaseExpired(
                    f"Worker {lease.worker_id} stopped renewing its lease on this "
                    f"run (it expired at {lease.expires_at.isoformat()}): it was "
                    f"killed or lost the database. Worker {self.worker_id} "
                    "recorded the run as failed."
                )
            )
            logger.warning(
                "Task %s (id=%s) was left running by worker %s past its lease.",
                lost.task_name,
                lost.id,
                lease.worker_id,
            )
            self.retry_lost_run(lost)
        return True

    def retry_lost_run(self, lost: DBTaskResult) -> None:
        """Queue the next attempt of a lost run, by the retry rule."""
        try:
            job = lost.task
        except (ImportError, SuspiciousOperation):
            logger.exception("Task id=%s cannot be loaded to run again.", lost.id)
            return
        if not job_counts_attempts(job):
            logger.error(
                "Task %s (id=%s) takes no `attempt` (see core.jobs), so its "
                "lost run is not retried.",
                job.name,
                lost.id,
            )
            return
        attempt = lost.args_kwargs["kwargs"].get("attempt", 1)
        job_retry(lost.task_result, attempt=attempt)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run a claimed job while renewing its lease, then record how it ended."""
        self.running_task = True
        try:
            keeper = LeaseKeeper(
                task_id=db_task_result.pk,
                worker_id=self.worker_id,
                seconds=self.lease_seconds,
            )
            keeper.start()
            queued = []  # what the job enqueued: its retry, if it failed

            def note(sender, task_result, **kwargs):
                queued.append(task_result)

            task_enqueued.connect(note)
            try:
                outcome = self.call(db_task_result)
            finally:
                task_enqueued.disconnect(note)
                keeper.stop()
            while True:
                try:
                    finished = self.record(db_task_result, *outcome, queued=queued)
                    break
                except DATABASE_ERRORS as error:
                    self.database_unavailable(error)
            if finished is not None:
                self.announce_finished(finished)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def call(self, db_task_result: DBTaskResult) -> tuple[bool, object]:
        """Run the job: (True, its return value) or (False, what it raised)."""
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            task_started.send(sender=type(task.get_backend()), task_result=task_result)
            if task.takes_context:
                value = task.call(
                    TaskContext(task_result=task_result),
                    *task_result.args,
                    **task_result.kwargs,
                )
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
        except BaseException as error:  # recorded as the run's failure
            return False, error
        return True, value

    def record(
        self,
        db_task_result: DBTaskResult,
        succeeded: bool,
        value: object,
        *,
        queued: list | None = None,
    ) -> DBTaskResult | None:
        """Store the run's outcome if this worker still holds its lease; the
        stored row, or None when another worker has taken the job over.
        `queued` is what the run enqueued."""
        with transaction.atomic(using=db_task_result._state.db):
            row = (
                DBTaskResult.objects.select_for_update(of=("self",))
                .filter(
                    pk=db_task_result.pk,
                    status=TaskResultStatus.RUNNING,
                    lease__worker_id=self.worker_id,
                )
                .first()
            )
            if row is None:
                logger.warning(
                    "Task %s (id=%s) ended after worker %s had lost its lease; "
                    "another worker has recorded this run as lost and queued "
                    "the next one, so this outcome is not stored.",
                    db_task_result.task_name,
                    db_task_result.id,
                    self.worker_id,
                )
                return None
            if succeeded:
                try:
                    with transaction.atomic(using=row._state.db):
                        row.set_successful(value)
                except DATABASE_ERRORS:
                    raise
                except Exception as error:  # e.g. a value JSON cannot hold
                    succeeded, value = False, error
            if not succeeded:
                row.set_failed(value)
                if caused_by_database(value):
                    self.retry_if_not_queued(row, queued or [])
            Lease.objects.filter(pk=row.pk).delete()
        return row

    def retry_if_not_queued(self, row: DBTaskResult, queued: list) -> None:
        """Queue the next attempt of a run that failed with the database
        away, unless the run managed to queue it itself."""
        try:
            job = row.task
        except (ImportError, SuspiciousOperation):
            return  # recorded as the run's failure already
        attempt = row.args_kwargs["kwargs"].get("attempt", 1)
        if (
            not job_counts_attempts(job)
            or attempt >= settings.NEWSROOM_TASK_MAX_ATTEMPTS
        ):
            return  # no retry rule, or `retry_on_failure` said it was the last
        for result in queued:
            if (
                result.task.module_path == row.task_path
                and result.kwargs.get("attempt") == attempt + 1
            ):
                return
        job_retry(
            row.task_result,
            attempt=attempt,
            at=timezone.now() + retry_delay(attempt),
        )

    def announce_finished(self, row: DBTaskResult) -> None:
        try:
            sender = type(row.task.get_backend())
            task_result = row.task_result
        except (ImportError, SuspiciousOperation):
            logger.exception("Task id=%s failed unexpectedly", row.id)
        else:
            task_finished.send(sender=sender, task_result=task_result)
