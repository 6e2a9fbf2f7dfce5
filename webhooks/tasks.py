"""Webhook deliveries done by the task worker. Idempotent (core/jobs.py): a
run for a delivery already sent, given up, or not yet due does nothing."""

from django_tasks import TaskContext, task

from core.jobs import retry_on_failure
from webhooks import services


@task(takes_context=True)
def deliver_webhook(context: TaskContext, *, delivery_id: str, attempt: int = 1) -> str:
    """Make one attempt at the delivery; what happened, in words.

    A receiver's failure is not this job's failure: the delivery records it
    and queues its own retry by the webhook backoff. `retry_on_failure` is
    for this process failing (the database went away).
    """
    with retry_on_failure(context, attempt=attempt):
        return services.delivery_attempt(delivery_id=delivery_id)
