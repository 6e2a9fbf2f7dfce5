"""Background jobs that belong to no app, and the retry rule every job follows.

Jobs run on django-tasks (`TASKS` in settings). The database backend keeps
each run as a row, listed in the admin under "Task results": a run that raised
is FAILED there, with its traceback. django-tasks never runs a job twice by
itself, so every job wraps its work in `retry_on_failure`: a failed run is
enqueued again, later each time, until NEWSROOM_TASK_MAX_ATTEMPTS runs have
failed. The last failure stays FAILED in the admin and is logged as an error.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskContext, task

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> timedelta:
    """The wait after run number `attempt` failed: 30 s, 2 min, 8 min, 32 min…
    with the default NEWSROOM_TASK_RETRY_SECONDS."""
    return timedelta(seconds=settings.NEWSROOM_TASK_RETRY_SECONDS * 4 ** (attempt - 1))


@contextmanager
def retry_on_failure(context: TaskContext, *, attempt: int) -> Iterator[None]:
    """Run a job's work; if it raises, enqueue the same job again as run
    `attempt + 1` and re-raise, so this run is still recorded as failed.

    The job takes `context` first (`@task(takes_context=True)`) and a
    keyword-only `attempt: int = 1`, which only this function sets.
    """
    try:
        yield
    except Exception:
        result = context.task_result
        name = result.task.name
        if attempt >= settings.NEWSROOM_TASK_MAX_ATTEMPTS:
            logger.error(
                "Task %s failed on run %d of %d and will not be retried (id=%s).",
                name,
                attempt,
                settings.NEWSROOM_TASK_MAX_ATTEMPTS,
                result.id,
            )
            raise
        again = result.task
        # The immediate backend (tests) cannot defer: it retries at once.
        if again.get_backend().supports_defer:
            again = again.using(run_after=timezone.now() + retry_delay(attempt))
        retry = again.enqueue(
            *result.args, **(result.kwargs | {"attempt": attempt + 1})
        )
        logger.warning(
            "Task %s failed on run %d of %d (id=%s); run %d is queued (id=%s).",
            name,
            attempt,
            settings.NEWSROOM_TASK_MAX_ATTEMPTS,
            result.id,
            attempt + 1,
            retry.id,
        )
        raise


@task(takes_context=True)
def purge_cdn(
    context: TaskContext, keys: list[str], paths: list[str], *, attempt: int = 1
) -> None:
    """Drop pages from the CDN's cache, by surrogate key and by path.

    Enqueue with `purge_cdn.enqueue(keys=[...], paths=[...])`.
    """
    with retry_on_failure(context, attempt=attempt):
        from newsroom import purge  # which imports this module

        purge.purge(keys=keys, paths=paths)
