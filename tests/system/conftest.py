"""Tests of the whole system (real gunicorn, PostgreSQL, Redis and worker
processes, crawls and fuzzing) are marked `system`, so `-m "not system"` runs
the in-process suite alone."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "/system/" in str(item.fspath):
            item.add_marker(pytest.mark.system)
