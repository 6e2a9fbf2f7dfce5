"""Reply emails leave the request: a job sends them after the reply commits."""

from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from comments.models import Comment, CommentStatus
from comments.services import comment_moderate, comment_post
from tests.comments.factories import CommentFactory, ReaderFactory
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.usefixtures("roles")


@pytest.fixture
def thread():
    """A comment whose author asked to hear about replies, and a second reader."""
    story = ArticleFactory(published=True)
    asker = ReaderFactory()
    CommentFactory(author=asker)  # not a first comment: no hold
    parent = CommentFactory(article=story, author=asker, notify_on_reply=True)
    answerer = ReaderFactory()
    CommentFactory(author=answerer)
    return story, parent, answerer


def reply(thread, body="Here is an answer"):
    story, parent, answerer = thread
    comment, _ = comment_post(article=story, author=answerer, body=body, parent=parent)
    return comment


@pytest.mark.django_db
def test_reply_email_is_a_job_enqueued_once_the_reply_is_committed(
    thread, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        answer = reply(thread)
        assert enqueued == [] and mail.outbox == []

    for callback in callbacks:
        callback()

    assert enqueued == [("send_reply_notification", {"reply_id": answer.pk})]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [thread[1].author.email]
    assert "Here is an answer" in mail.outbox[0].body


@pytest.mark.django_db
def test_no_job_for_readers_who_did_not_ask(
    thread, enqueued, django_capture_on_commit_callbacks
):
    Comment.objects.filter(pk=thread[1].pk).update(notify_on_reply=False)
    thread[1].refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        reply(thread)
    assert enqueued == [] and mail.outbox == []


@pytest.mark.django_db
def test_approving_a_held_reply_enqueues_the_email(
    thread, enqueued, django_capture_on_commit_callbacks
):
    story, parent, _ = thread
    held = CommentFactory(article=story, parent=parent, status=CommentStatus.PENDING)
    moderator = UserFactory(is_staff=True, permissions=["comments.change_comment"])
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(
            comments=Comment.objects.filter(pk=held.pk), action="approve", by=moderator
        )
    assert enqueued == [("send_reply_notification", {"reply_id": held.pk})]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_mail_server_error_is_retried_not_swallowed(
    thread, enqueued, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_TASK_MAX_ATTEMPTS = 2
    with (
        mock.patch(
            "comments.services.send_mail",
            side_effect=[SMTPServerDisconnected("gone"), 1],
        ) as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        reply(thread)
    assert send.call_count == 2
    assert [kwargs.get("attempt", 1) for _, kwargs in enqueued] == [1, 2]


@pytest.mark.django_db
def test_waiting_in_the_database_sends_nothing_during_the_request(
    thread, database_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = reply(thread)
    job = DBTaskResult.objects.get()
    assert job.task_path == "comments.tasks.send_reply_notification"
    assert job.args_kwargs["kwargs"] == {"reply_id": answer.pk}
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_email_unless_the_reply_was_removed_meanwhile(
    thread, database_tasks, run_worker
):
    kept = reply(thread, "An answer that stays")
    removed = reply(thread, "An answer a moderator removes")
    Comment.objects.filter(pk=removed.pk).update(status=CommentStatus.REJECTED)
    assert mail.outbox == []

    run_worker()

    assert [m.body.count("An answer that stays") for m in mail.outbox] == [1]
    results = dict(
        DBTaskResult.objects.values_list("args_kwargs__kwargs__reply_id", "status")
    )
    assert results == {kept.pk: "SUCCESSFUL", removed.pk: "SUCCESSFUL"}
