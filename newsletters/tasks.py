"""Newsletter sending done by the task worker. Every job is idempotent (see
core/jobs.py): deliveries are marked as they are sent and checked first."""

from django_tasks import TaskContext, task

from core.jobs import retry_on_failure
from newsletters import sending


@task(takes_context=True)
def send_edition_batch(
    context: TaskContext,
    *,
    edition_id: int,
    first_id: int,
    last_id: int,
    attempt: int = 1,
) -> int:
    """Send the edition's queued deliveries first_id…last_id; how many sent."""
    with retry_on_failure(context, attempt=attempt):
        return sending.edition_send_batch(
            edition_id=edition_id, first_id=first_id, last_id=last_id
        )


@task(takes_context=True)
def send_scheduled_edition(
    context: TaskContext, *, edition_id: int, send_at: str, attempt: int = 1
) -> str:
    """At its time: send the scheduled edition, or stop it if a story was
    unpublished meanwhile."""
    with retry_on_failure(context, attempt=attempt):
        return sending.edition_send_scheduled(edition_id, send_at=send_at)
