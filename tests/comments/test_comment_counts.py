"""A story's comment count, kept exact by the database (comments' triggers)
through every status change, move and stale save, and shown on cards."""

import pytest

from articles.models import Article
from comments.models import Comment, CommentStatus
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def approved_count(story) -> int:
    story.refresh_from_db(fields=["comment_count"])
    return story.comment_count


def test_comment_count_follows_every_status_change():
    story = ArticleFactory(published=True)
    first = CommentFactory(article=story)
    CommentFactory(article=story, status=CommentStatus.PENDING)
    assert approved_count(story) == 1

    Comment.objects.filter(status=CommentStatus.PENDING).update(
        status=CommentStatus.APPROVED
    )
    assert approved_count(story) == 2

    first.status = CommentStatus.DELETED
    first.save(update_fields=["status"])
    assert approved_count(story) == 1

    Comment.objects.filter(article=story).delete()
    assert approved_count(story) == 0


def test_comment_count_moves_with_a_comment_to_another_story():
    story, other = ArticleFactory(published=True), ArticleFactory(published=True)
    comment = CommentFactory(article=story)

    Comment.objects.filter(pk=comment.pk).update(article=other)

    assert (approved_count(story), approved_count(other)) == (0, 1)


def test_saving_a_stale_story_keeps_the_comment_count():
    story = ArticleFactory(published=True)
    stale = Article.objects.get(pk=story.pk)
    CommentFactory.create_batch(2, article=story)

    stale.headline = "A new headline"
    stale.save()

    assert approved_count(story) == 2


def test_cards_show_the_approved_count(client):
    story = ArticleFactory(published=True)
    CommentFactory.create_batch(3, article=story)
    CommentFactory(article=story, status=CommentStatus.REJECTED)

    html = client.get(story.section.get_absolute_url()).content.decode()

    assert "3 comments" in html
