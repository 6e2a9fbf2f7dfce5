"""A job left running by a worker that died is taken over once its lease runs
out, counts as an attempt, and shows in the admin as failed."""

import importlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import Lease
from jobs.worker import Worker
from pagecache.tasks import purge_cdn


def left_running(*, lease_left: timedelta, attempt: int = 1) -> DBTaskResult:
    """A purge job taken by worker "w-dead", its lease running out in
    `lease_left` (negative: already expired)."""
    kwargs = {"attempt": attempt} if attempt > 1 else {}
    result = purge_cdn.enqueue(keys=["front"], paths=["/"], **kwargs)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("w-dead")
    Lease.objects.create(
        task_result=row, worker_id="w-dead", expires_at=timezone.now() + lease_left
    )
    return row


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_lease_ran_out_is_run_again_and_shown_failed_in_the_admin(
    database_tasks, run_worker, cdn, admin_client
):
    lost = left_running(lease_left=timedelta(seconds=-1))

    run_worker()

    cdn.assert_called_once_with(keys=["front"], paths=["/"])
    lost.refresh_from_db()
    assert lost.status == "FAILED"
    assert lost.exception_class_path == "jobs.worker.LeaseExpired"
    assert "Worker w-dead stopped renewing its lease" in lost.traceback
    again = DBTaskResult.objects.exclude(pk=lost.pk).get()
    assert again.status == "SUCCESSFUL"
    assert again.args_kwargs["kwargs"]["attempt"] == 2
    assert not Lease.objects.exists()

    changelist = admin_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        {"status__exact": "FAILED"},
    )
    assert changelist.status_code == 200
    assert str(lost.pk) in changelist.content.decode()
    detail = admin_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[lost.pk])
    )
    assert "LeaseExpired: Worker w-dead stopped renewing its lease" in (
        detail.content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_still_holds_the_lease_is_left_alone(
    database_tasks, run_worker, cdn
):
    held = left_running(lease_left=timedelta(minutes=1))

    run_worker()

    cdn.assert_not_called()
    held.refresh_from_db()
    assert (held.status, held.worker_ids) == ("RUNNING", ["w-dead"])
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_lost_last_attempt_stays_failed(
    database_tasks, run_worker, cdn, settings, caplog
):
    settings.NEWSROOM_TASK_MAX_ATTEMPTS = 3
    lost = left_running(lease_left=timedelta(seconds=-1), attempt=3)

    run_worker()

    cdn.assert_not_called()
    lost.refresh_from_db()
    assert lost.status == "FAILED"
    assert DBTaskResult.objects.count() == 1
    assert "failed on run 3 of 3 and will not be retried" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_run_taken_over_meanwhile_is_not_marked_successful_by_its_old_worker(
    database_tasks, run_worker, cdn
):
    """The old worker comes back after another has recorded its run as lost:
    the run stays failed, and the next attempt is the one that counts."""
    taken_over = left_running(lease_left=timedelta(seconds=-1))
    run_worker()  # another worker: the run is lost, attempt 2 succeeds

    old = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w-dead",
        excluded_queue_names=[],
        lease_seconds=60,
    )
    assert old.record(taken_over, True, None) is None

    taken_over.refresh_from_db()
    assert taken_over.status == "FAILED"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("migration", "old_path"),
    [
        # jobs/0002: a purge queued before `purge_cdn` left newsroom/jobs.py;
        # it was repointed to newsroom/purge.py, which jobs/0003 moves on.
        ("0002_moved_job_paths", "newsroom.jobs.purge_cdn"),
        ("0003_purge_job_in_pagecache", "newsroom.jobs.purge_cdn"),
        # jobs/0003: one queued before `purge_cdn` left newsroom/purge.py.
        ("0003_purge_job_in_pagecache", "newsroom.purge.purge_cdn"),
    ],
)
def test_a_job_queued_under_a_moved_path_runs_under_the_new_one(
    database_tasks, migration, old_path
):
    from django.apps import apps

    repoint = importlib.import_module(f"jobs.migrations.{migration}")
    queued = purge_cdn.enqueue(keys=["front"], paths=["/"])
    done = purge_cdn.enqueue(keys=["front"], paths=["/"])
    DBTaskResult.objects.filter(pk__in=[queued.id, done.id]).update(task_path=old_path)
    DBTaskResult.objects.filter(pk=done.id).update(status="SUCCESSFUL")

    repoint.repoint(apps, None, repoint.MOVED)
    # Migrated from before 0002, a database runs 0003 after it.
    final = importlib.import_module("jobs.migrations.0003_purge_job_in_pagecache")
    final.repoint(apps, None, final.MOVED)

    paths = {
        str(pk): path
        for pk, path in DBTaskResult.objects.values_list("pk", "task_path")
    }
    assert paths[queued.id] == "pagecache.tasks.purge_cdn"
    assert paths[done.id] == old_path  # history stays as it was
    assert DBTaskResult.objects.get(pk=queued.id).task.func is purge_cdn.func
