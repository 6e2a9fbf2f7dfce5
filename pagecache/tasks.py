"""The purge job: CDN purges run outside the request, retried while the CDN
does not answer (core/jobs.py). Jobs queued under the job's earlier homes
(`newsroom.jobs`, `newsroom.purge`) are repointed here by jobs/0002 and
jobs/0003."""

from django_tasks import TaskContext, task

from core.jobs import retry_on_failure
from pagecache import purge


def schedule(*, keys: list[str], paths: list[str]) -> None:
    """Purge outside the request, when a CDN is configured."""
    if purge.backend() is None:
        return
    purge_cdn.enqueue(keys=keys, paths=paths)


@task(takes_context=True)
def purge_cdn(
    context: TaskContext, keys: list[str], paths: list[str], *, attempt: int = 1
) -> None:
    """Drop pages from the CDN's cache, by surrogate key and by path.

    Enqueue with `purge_cdn.enqueue(keys=[...], paths=[...])`.
    """
    with retry_on_failure(context, attempt=attempt):
        purge.purge(keys=keys, paths=paths)
