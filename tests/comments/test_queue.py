"""The moderation queue's order is kept in the database, and a page of it
costs the same whatever the number of comments."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ReaderProfile
from comments.models import Comment, CommentReport, CommentStatus
from comments.services import comment_report
from tests.comments.factories import CommentFactory, ReaderFactory
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


@pytest.fixture
def moderator():
    user = UserFactory(username="mod", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_reports_are_counted_on_the_comment_and_rank_it():
    comment = CommentFactory(article=ArticleFactory(published=True))
    assert (comment.report_count, Comment.objects.get().queue_rank) == (0, 2)

    comment_report(comment=comment, by=ReaderFactory(), reason="Rude")
    comment.refresh_from_db()
    assert (comment.report_count, comment.queue_rank) == (1, 1)

    CommentReport.objects.all().delete()
    comment.refresh_from_db()
    assert (comment.report_count, comment.queue_rank) == (0, 2)


def test_saving_an_old_copy_keeps_the_report_count():
    comment = CommentFactory(article=ArticleFactory(published=True))
    stale = Comment.objects.get(pk=comment.pk)
    comment_report(comment=comment, by=ReaderFactory(), reason="Rude")

    stale.hold_reason = "checking"
    stale.save()

    assert Comment.objects.get(pk=comment.pk).report_count == 1


def test_waiting_comments_rank_first():
    story = ArticleFactory(published=True)
    CommentFactory(article=story)
    waiting = CommentFactory(article=story, status=CommentStatus.PENDING)
    assert Comment.objects.for_queue().first() == waiting


@pytest.mark.parametrize("status", ["", "all"])
def test_queue_costs_the_same_queries_with_more_comments(
    client, moderator, django_assert_num_queries, status
):
    """Every column counts: reply context, reports and their reasons, the
    author's record and ban, on the default view and on "All"."""
    story = ArticleFactory(published=True)
    url = reverse("admin:comments_comment_changelist")
    query = {"status": status} if status else {}
    client.force_login(moderator)
    parent = CommentFactory(article=story)
    first = CommentFactory(article=story, parent=parent, status=CommentStatus.PENDING)
    first.reports.create(reporter=ReaderFactory(), reason="Rude")
    client.get(url, query)  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, query).status_code == 200
    banned = ReaderFactory()
    ReaderProfile.objects.filter(user=banned).update(
        banned_at=timezone.now(), banned_until=timezone.now() + timedelta(days=7)
    )
    for author in (banned, *ReaderFactory.create_batch(3)):
        CommentFactory.create_batch(5, author=author, article=story)
        for comment in CommentFactory.create_batch(
            15,
            article=story,
            author=author,
            parent=parent,
            status=CommentStatus.PENDING,
        ):
            comment.reports.create(reporter=ReaderFactory(), reason="Off topic")
    with django_assert_num_queries(len(few)):
        response = client.get(url, query)
    assert len(response.context["cl"].result_list) == 50
    assert "Off topic" in response.content.decode()
