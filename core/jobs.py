"""The retry rule every background job follows.

Jobs run on django-tasks (`TASKS` in settings). The database backend keeps
each run as a row, listed in the admin under "Task results": a run that raised
is FAILED there, with its traceback. django-tasks never runs a job twice by
itself, so every job wraps its work in `retry_on_failure`: a failed run is
enqueued again, later each time, until NEWSROOM_TASK_MAX_ATTEMPTS runs have
failed. The last failure stays FAILED in the admin and is logged as an error.

The worker (`manage.py db_worker`, our own: `jobs.worker`) holds a lease on
the run it works on and renews it while the job runs. A run whose worker was
killed, or lost the database, for longer than NEWSROOM_TASK_LEASE_SECONDS is
recorded FAILED ("LeaseExpired") by the next worker and counts as an attempt:
the next run is queued at once, by the same rule (`job_retry`). A run that
failed because the database went away could not queue its next run either;
the worker does, once the database is back.

So every job must be idempotent: a run may stop anywhere, after some of its
side effects, and run again from the start; a worker that loses its lease
while its job goes on may even finish it after the next run has started.
Running a job twice with the same arguments must leave the same result as
running it once (renditions are overwritten, a purge is harmless twice; a job
that sends something records what it sent and checks that first).
"""

import inspect
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskContext, TaskResult
from django_tasks.base import Task

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> timedelta:
    """The wait after run number `attempt` failed: 30 s, 2 min, 8 min, 32 min…
    with the default NEWSROOM_TASK_RETRY_SECONDS."""
    return timedelta(seconds=settings.NEWSROOM_TASK_RETRY_SECONDS * 4 ** (attempt - 1))


def job_counts_attempts(job: Task) -> bool:
    """Whether `job` follows the retry rule (takes the `attempt` keyword)."""
    return "attempt" in inspect.signature(job.func).parameters


def job_retry(
    result: TaskResult, *, attempt: int, at: datetime | None = None
) -> TaskResult | None:
    """Queue run `attempt + 1` of the job `result` is a run of, due at `at`
    (at once when None); None, logged as an error, when run `attempt` was the
    last one allowed."""
    name = result.task.name
    limit = settings.NEWSROOM_TASK_MAX_ATTEMPTS
    if attempt >= limit:
        logger.error(
            "Task %s failed on run %d of %d and will not be retried (id=%s).",
            name,
            attempt,
            limit,
            result.id,
        )
        return None
    again = result.task
    if at is not None:
        again = again.using(run_after=at)
    retry = again.enqueue(*result.args, **(result.kwargs | {"attempt": attempt + 1}))
    logger.warning(
        "Task %s failed on run %d of %d (id=%s); run %d is queued (id=%s).",
        name,
        attempt,
        limit,
        result.id,
        attempt + 1,
        retry.id,
    )
    return retry


@contextmanager
def retry_on_failure(context: TaskContext, *, attempt: int) -> Iterator[None]:
    """Run a job's work; if it raises, enqueue the same job again as run
    `attempt + 1` and re-raise, so this run is still recorded as failed.

    The job takes `context` first (`@task(takes_context=True)`) and a
    keyword-only `attempt: int = 1`, which only this function and the worker
    set.
    """
    try:
        yield
    except Exception:
        result = context.task_result
        at = None
        # The immediate backend (tests) cannot defer: it retries at once.
        if result.task.get_backend().supports_defer:
            at = timezone.now() + retry_delay(attempt)
        job_retry(result, attempt=attempt, at=at)
        raise
