# The renditions job's tests use the job fixtures.
from tests.jobs.conftest import database_tasks, enqueued, run_worker  # noqa: F401
