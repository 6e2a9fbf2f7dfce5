"""Failed jobs run again later and, in the end, stay visible as failed."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.jobs import retry_delay
from pagecache.tasks import purge_cdn


class CDNDown(Exception):
    pass


# --- purge_cdn ---------------------------------------------------------------------


def test_purge_cdn_passes_keys_and_paths_to_the_cdn_client(cdn, enqueued):
    result = purge_cdn.enqueue(keys=["story-12", "front"], paths=["/news/ferries/"])

    assert enqueued == [
        ("purge_cdn", {"keys": ["story-12", "front"], "paths": ["/news/ferries/"]})
    ]
    cdn.assert_called_once_with(keys=["story-12", "front"], paths=["/news/ferries/"])
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_a_failing_job_is_tried_again_until_it_works(cdn, enqueued):
    cdn.side_effect = [CDNDown("timeout"), None]

    purge_cdn.enqueue(keys=["front"], paths=[])

    assert cdn.call_count == 2
    assert [kwargs.get("attempt", 1) for _, kwargs in enqueued] == [1, 2]


def test_a_job_that_keeps_failing_stops_after_the_last_attempt(
    cdn, enqueued, settings, caplog
):
    settings.NEWSROOM_TASK_MAX_ATTEMPTS = 3
    cdn.side_effect = CDNDown("timeout")

    result = purge_cdn.enqueue(keys=["front"], paths=[])

    assert cdn.call_count == 3
    assert result.status == TaskResultStatus.FAILED
    assert "CDNDown: timeout" in result.errors[0].traceback
    assert "failed on run 3 of 3 and will not be retried" in caplog.text


def test_retries_wait_longer_each_time(settings):
    settings.NEWSROOM_TASK_RETRY_SECONDS = 30
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=8),
        timedelta(minutes=32),
    ]


# --- With the database backend, as in production -----------------------------------


@pytest.mark.django_db
def test_enqueued_jobs_wait_in_the_database(database_tasks, cdn):
    result = purge_cdn.enqueue(keys=["front"], paths=["/"])

    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.task_path) == ("READY", "pagecache.tasks.purge_cdn")
    assert row.args_kwargs["kwargs"] == {"keys": ["front"], "paths": ["/"]}
    cdn.assert_not_called()


@pytest.mark.django_db(transaction=True)
def test_failed_runs_are_retried_later_and_the_last_stays_failed_in_the_admin(
    database_tasks, run_worker, cdn, settings, admin_client
):
    settings.NEWSROOM_TASK_MAX_ATTEMPTS = 3
    cdn.side_effect = CDNDown("CDN answered 503")
    start = timezone.now()
    purge_cdn.enqueue(keys=["front"], paths=["/"])

    with time_machine.travel(start, tick=False) as clock:
        run_worker()
        assert cdn.call_count == 1
        waiting = DBTaskResult.objects.get(status="READY")
        assert waiting.run_after == start + retry_delay(1)
        assert waiting.args_kwargs["kwargs"]["attempt"] == 2

        run_worker()  # too early: nothing runs
        assert cdn.call_count == 1

        clock.shift(retry_delay(1))
        run_worker()
        clock.shift(retry_delay(2))
        run_worker()
        clock.shift(timedelta(days=1))
        run_worker()

    assert cdn.call_count == 3
    runs = DBTaskResult.objects.order_by("started_at")
    assert [r.status for r in runs] == ["FAILED"] * 3
    assert [r.args_kwargs["kwargs"].get("attempt", 1) for r in runs] == [1, 2, 3]
    assert all("CDNDown: CDN answered 503" in r.traceback for r in runs)
    assert not DBTaskResult.objects.ready().exists()

    changelist = admin_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        {"status__exact": "FAILED"},
    )
    assert changelist.status_code == 200
    assert changelist.content.decode().count("purge_cdn") >= 3
    detail = admin_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[runs[2].pk])
    )
    assert "CDNDown: CDN answered 503" in detail.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_run_that_succeeds_after_a_failure_is_recorded_as_successful(
    database_tasks, run_worker, cdn
):
    cdn.side_effect = [CDNDown("blip"), None]
    purge_cdn.enqueue(keys=["front"], paths=[])

    with time_machine.travel(timezone.now(), tick=False) as clock:
        run_worker()
        clock.shift(retry_delay(1))
        run_worker()

    statuses = list(DBTaskResult.objects.order_by("started_at").values_list("status"))
    assert statuses == [("FAILED",), ("SUCCESSFUL",)]
