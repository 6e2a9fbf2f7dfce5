import io
import signal
from unittest import mock

import pytest
from django.core.management import call_command
from django_tasks.signals import task_enqueued


@pytest.fixture
def enqueued():
    """Every job enqueued during the test, as (task name, kwargs)."""
    jobs = []

    def record(sender, task_result, **kwargs):
        jobs.append((task_result.task.name, task_result.kwargs))

    task_enqueued.connect(record)
    yield jobs
    task_enqueued.disconnect(record)


@pytest.fixture
def database_tasks(settings):
    """Jobs wait in the database for the worker, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def run_worker():
    """`manage.py db_worker --batch`: run every job that is due, then stop.

    Needs committed rows (`transaction=True`): the worker manages its own
    transactions and connections."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]

    def run():
        handlers = {signum: signal.getsignal(signum) for signum in signals}
        try:
            call_command(
                "db_worker",
                batch=True,
                reload=False,
                startup_delay=False,
                stdout=io.StringIO(),
            )
        finally:
            # The worker takes over Ctrl-C; give it back to pytest.
            for signum, handler in handlers.items():
                signal.signal(signum, handler)

    return run


@pytest.fixture
def cdn():
    """The CDN client (`pagecache.purge.purge`), replaced: no test talks to a
    CDN."""
    with mock.patch("pagecache.purge.purge", name="purge") as fake:
        yield fake
