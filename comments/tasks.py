"""Comment work done by the task worker, outside the request."""

from django_tasks import TaskContext, task

from comments import services
from comments.models import Comment
from core.jobs import retry_on_failure


@task(takes_context=True)
def send_reply_notification(
    context: TaskContext, *, reply_id: int, attempt: int = 1
) -> bool:
    """Email the author of the comment that `reply_id` answers. Returns whether
    a mail went out (not when the reply was removed or they opted out since)."""
    with retry_on_failure(context, attempt=attempt):
        reply = (
            Comment.objects.select_related("article", "author", "parent__author")
            .filter(pk=reply_id)
            .first()
        )
        return reply is not None and services.comment_reply_notify(reply=reply)
