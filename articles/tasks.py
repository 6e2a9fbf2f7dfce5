"""Jobs kept at their old address.

The renditions job moved to `images.tasks`. Runs queued before the move are
stored under the name `articles.tasks.generate_renditions`; this task keeps
them running (and their retries, which are queued under the same name). New
runs are queued under the new name. Remove it once no such run can be left in
the queue.
"""

from django_tasks import TaskContext, task

from images import tasks as images_tasks


@task(takes_context=True)
def generate_renditions(
    context: TaskContext, *, image_id: int, attempt: int = 1
) -> int:
    """Kept for queued jobs: as `images.tasks.generate_renditions`."""
    return images_tasks.generate_renditions.func(
        context, image_id=image_id, attempt=attempt
    )
