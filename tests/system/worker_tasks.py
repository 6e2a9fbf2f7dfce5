"""Jobs for tests/system/test_worker.py only. Each run that gets through
writes a row to MARKS_TABLE in the test's own database, so the test can count
how many times a job's side effect happened, and in which worker."""

import os
import time
from pathlib import Path

from django.db import connection
from django_tasks import TaskContext, task

from core.jobs import retry_on_failure

MARKS_TABLE = "worker_test_mark"
MARKS_TABLE_SQL = (
    f"CREATE TABLE {MARKS_TABLE} "
    "(label text NOT NULL, attempt integer NOT NULL, pid integer NOT NULL)"
)
GATE_SECONDS = 30


def _mark(label: str, attempt: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MARKS_TABLE} (label, attempt, pid) VALUES (%s, %s, %s)",
            [label, attempt, os.getpid()],
        )


@task(takes_context=True)
def mark(context: TaskContext, *, label: str, attempt: int = 1) -> str:
    with retry_on_failure(context, attempt=attempt):
        _mark(label, attempt)
        return label


@task(takes_context=True)
def mark_when_gate_opens(
    context: TaskContext, *, label: str, gate: str, attempt: int = 1
) -> str:
    """Says it has started (`<gate>.started-<attempt>`), waits for the file
    `gate` to exist, then marks."""
    with retry_on_failure(context, attempt=attempt):
        Path(f"{gate}.started-{attempt}").touch()
        deadline = time.monotonic() + GATE_SECONDS
        while not Path(gate).exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{gate} did not open")
            time.sleep(0.05)
        _mark(label, attempt)
        return label


class NewsletterServerDown(Exception):
    pass


@task(takes_context=True)
def mark_then_fail(context: TaskContext, *, label: str, attempt: int = 1) -> None:
    with retry_on_failure(context, attempt=attempt):
        _mark(label, attempt)
        raise NewsletterServerDown(f"{label}: run {attempt} refused")
