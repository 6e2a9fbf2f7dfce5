"""Picture work done by the task worker, outside the request."""

from django_tasks import TaskContext, task

from core.jobs import retry_on_failure
from images import services
from images.models import Image


@task(takes_context=True)
def generate_renditions(
    context: TaskContext, *, image_id: int, attempt: int = 1
) -> int:
    """Cut and store every rendition of the picture `image_id`, with its focal
    point as it is when the job runs. Returns how many were stored."""
    with retry_on_failure(context, attempt=attempt):
        image = Image.objects.filter(pk=image_id).first()
        if image is None:  # deleted before the worker got to it
            return 0
        return len(services.image_generate_renditions(image=image).renditions)
