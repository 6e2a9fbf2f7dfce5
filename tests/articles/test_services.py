import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import Status
from articles.services import article_publish, article_unpublish
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_editor_publishes_and_the_action_is_logged(editor):
    story = ArticleFactory()

    article_publish(article=story, by=editor)

    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert story.is_live
    event = story.events.get()
    assert (event.actor, event.action) == (editor, "published")


def test_journalist_cannot_publish_or_unpublish(journalist):
    draft, live = ArticleFactory(), ArticleFactory(published=True)

    with pytest.raises(PermissionDenied):
        article_publish(article=draft, by=journalist)
    with pytest.raises(PermissionDenied):
        article_unpublish(article=live, by=journalist)

    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert live.status == Status.PUBLISHED


def test_publishing_an_empty_story_is_refused(editor):
    story = ArticleFactory(body="")
    with pytest.raises(ValidationError):
        article_publish(article=story, by=editor)
    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_republishing_keeps_the_original_publication_time(editor):
    story = ArticleFactory(unpublished=True)
    first_time = story.published_at

    article_publish(article=story, by=editor)

    story.refresh_from_db()
    assert story.published_at == first_time
    assert story.status == Status.PUBLISHED
