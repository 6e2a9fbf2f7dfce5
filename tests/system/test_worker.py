"""The job worker as production runs it (`manage.py db_worker`, real
processes) on a PostgreSQL server of the test's own: it outlives a database
restart, takes over the job of a SIGKILLed worker once its lease has run out
(one worker of two, once), and records a failing job's runs with their
traceback while retrying it by the rule."""

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.servers import ROOT, JobWorker, PostgresServer, server_env
from tests.system.worker_tasks import MARKS_TABLE, MARKS_TABLE_SQL

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker's row locks are tested on PostgreSQL, as in production",
)

LEASE_SECONDS = 3
TASKS = "tests.system.worker_tasks"


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer()
    try:
        server.start()
        server.create_database("newsroom")
        yield server
    finally:
        server.destroy()


@pytest.fixture(scope="module")
def worker_env(postgres, tmp_path_factory):
    """Production settings on the own server's database."""
    return server_env(
        database=postgres.url("newsroom"),
        static_root=tmp_path_factory.mktemp("static"),
        NEWSROOM_TASKS_BACKEND="database",
        NEWSROOM_TASK_LEASE_SECONDS=str(LEASE_SECONDS),
        NEWSROOM_TASK_MAX_ATTEMPTS="3",
        NEWSROOM_TASK_RETRY_SECONDS="1",
        DJANGO_DB_CONNECT_TIMEOUT="2",
        DJANGO_LOG_LEVEL="INFO",
        DJANGO_LOG_FORMAT="text",
    )


@pytest.fixture(scope="module")
def migrated(postgres, worker_env):
    manage(worker_env, "migrate", "--no-input", "--skip-checks", "-v0")
    with psycopg.connect(postgres.url("newsroom"), autocommit=True) as db:
        db.execute(MARKS_TABLE_SQL)


@pytest.fixture
def database(postgres, migrated):
    """Queries on the own database, from a fresh connection each time (the
    server restarts), which starts without jobs or marks."""

    def query(sql: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(postgres.url("newsroom"), autocommit=True) as db:
            cursor = db.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    query(f"TRUNCATE {MARKS_TABLE}, django_tasks_database_dbtaskresult CASCADE")
    return query


# A web process's part: enqueue jobs, one line of JSON [job, kwargs] at a time,
# on a fresh connection each time (the database restarts under it).
ENQUEUER = """
import json, sys
from django.db import connection
from tests.system import worker_tasks as tasks
for line in sys.stdin:
    job, kwargs = json.loads(line)
    getattr(tasks, job).enqueue(**kwargs)
    connection.close()
    print("queued", flush=True)
"""


@pytest.fixture(scope="module")
def enqueue(worker_env, tmp_path_factory):
    """enqueue(job, **kwargs), from another process, as a web process would."""
    errors = tmp_path_factory.mktemp("enqueuer") / "stderr.log"
    with errors.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-v0", "-c", ENQUEUER],
            cwd=ROOT,
            env=worker_env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )

    def enqueue(job: str, **kwargs) -> None:
        process.stdin.write(json.dumps([job, kwargs]) + "\n")
        process.stdin.flush()
        answer = process.stdout.readline()
        assert answer == "queued\n", answer + errors.read_text()

    yield enqueue
    process.stdin.close()
    process.wait(timeout=10)


@pytest.fixture
def start_worker(worker_env, migrated, tmp_path):
    started = []

    def start(worker_id: str) -> JobWorker:
        worker = JobWorker(
            worker_env, tmp_path / f"{worker_id}.log", worker_id=worker_id
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:  # all at once: each finishes its shutdown in parallel
        if worker.is_alive():
            worker.process.terminate()
    for worker in started:
        worker.stop()


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def wait_until(condition: Callable[[], bool], what: str, *workers: JobWorker):
    deadline = time.monotonic() + 30
    while not condition():
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {w.worker_id}\n{w.output()}" for w in workers)
            raise AssertionError(f"Timed out waiting until {what}\n{logs}")
        time.sleep(0.1)


def marks(database, label: str) -> list[tuple[int, int]]:
    """(attempt, worker pid) of every run of `label` that got through."""
    return database(
        f"SELECT attempt, pid FROM {MARKS_TABLE} WHERE label = %s ORDER BY attempt",
        (label,),
    )


def runs(database) -> list[tuple]:
    """Every run: status, attempt, worker ids, error class, traceback, due
    and start times, label."""
    return database(
        "SELECT status, coalesce((args_kwargs->'kwargs'->>'attempt')::int, 1), "
        "worker_ids, exception_class_path, traceback, run_after, started_at, "
        "args_kwargs->'kwargs'->>'label' "
        "FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at"
    )


def unfinished(database) -> int:
    return database(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult "
        "WHERE status IN ('READY', 'RUNNING')"
    )[0][0]


def test_the_worker_outlives_a_database_restart_and_runs_every_job_once(
    postgres, enqueue, database, start_worker, tmp_path
):
    gate = tmp_path / "gate"
    worker = start_worker("w-restart")
    enqueue("mark", label="before")
    wait_until(lambda: marks(database, "before"), "the first job ran", worker)
    # A job in the middle of its work when the database goes away.
    enqueue("mark_when_gate_opens", label="during", gate=str(gate))
    wait_until(
        lambda: Path(f"{gate}.started-1").exists(), "the worker took the job", worker
    )

    postgres.stop()
    gate.touch()  # its write fails, and so does the enqueueing of its retry
    wait_until(
        lambda: "Database unavailable" in worker.output(),
        "the worker met the stopped database",
        worker,
    )
    postgres.start()
    enqueue("mark", label="after")
    wait_until(
        lambda: marks(database, "after") and marks(database, "during"),
        "the other jobs ran",
        worker,
    )

    assert worker.is_alive(), worker.output()
    assert marks(database, "before") == [(1, worker.pid)]
    assert marks(database, "during") == [(2, worker.pid)]
    assert marks(database, "after") == [(1, worker.pid)]
    assert sorted((run[7], *run[:4]) for run in runs(database)) == [
        ("after", "SUCCESSFUL", 1, ["w-restart"], ""),
        ("before", "SUCCESSFUL", 1, ["w-restart"], ""),
        ("during", "FAILED", 1, ["w-restart"], "django.db.utils.OperationalError"),
        ("during", "SUCCESSFUL", 2, ["w-restart"], ""),
    ]
    assert "Database reachable again" in worker.output()


def test_a_job_left_by_a_killed_worker_runs_again_once_after_its_lease(
    enqueue, database, start_worker, tmp_path
):
    gate = tmp_path / "gate"
    workers = [start_worker(f"w-{n}") for n in (1, 2, 3)]
    wait_until(
        lambda: all("Starting worker" in w.output() for w in workers),
        "every worker is looking for work",
        *workers,
    )
    enqueue("mark_when_gate_opens", label="renditions", gate=str(gate))
    wait_until(
        lambda: Path(f"{gate}.started-1").exists(), "a worker took the job", *workers
    )
    ((_, _, (first_id,), *_),) = runs(database)
    first = next(w for w in workers if w.worker_id == first_id)
    others = [w for w in workers if w is not first]

    # While its worker lives and renews the lease, nobody else takes the job.
    time.sleep(LEASE_SECONDS * 1.5)
    assert [run[:3] for run in runs(database)] == [("RUNNING", 1, [first_id])]

    first.kill()
    gate.touch()  # the next run goes straight through
    wait_until(lambda: marks(database, "renditions"), "the job ran again", *others)
    wait_until(lambda: not unfinished(database), "every run ended", *others)

    lost, again = runs(database)
    assert lost[:4] == ("FAILED", 1, [first_id], "jobs.worker.LeaseExpired")
    assert f"Worker {first_id} stopped renewing its lease" in lost[4]
    assert again[0:2] == ("SUCCESSFUL", 2)
    (taker,) = (w for w in others if again[2] == [w.worker_id])
    assert marks(database, "renditions") == [(2, taker.pid)]
    assert not Path(f"{gate}.started-3").exists()
    assert all(w.is_alive() for w in others)


def test_a_failing_job_is_recorded_with_its_traceback_and_retried_by_the_rule(
    enqueue, database, start_worker
):
    worker = start_worker("w-failing")
    enqueue("mark_then_fail", label="newsletter")
    wait_until(
        lambda: len(runs(database)) == 3 and not unfinished(database),
        "three runs failed",
        worker,
    )

    failed = runs(database)
    assert [run[:3] for run in failed] == [
        ("FAILED", 1, ["w-failing"]),
        ("FAILED", 2, ["w-failing"]),
        ("FAILED", 3, ["w-failing"]),
    ]
    for attempt, run in enumerate(failed, start=1):
        assert run[3] == f"{TASKS}.NewsletterServerDown"
        assert f"NewsletterServerDown: newsletter: run {attempt} refused" in run[4]
    # NEWSROOM_TASK_RETRY_SECONDS=1: the second run waits 1 s, the third 4 s.
    (_, first), (second_due, second), (third_due, third) = (run[5:7] for run in failed)
    assert (second_due - first).total_seconds() >= 1 and second >= second_due
    assert (third_due - second).total_seconds() >= 4 and third >= third_due
    assert [attempt for attempt, _ in marks(database, "newsletter")] == [1, 2, 3]
    assert "failed on run 3 of 3 and will not be retried" in worker.output()
    assert worker.is_alive()
