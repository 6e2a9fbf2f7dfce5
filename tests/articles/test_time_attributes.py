"""`datetime` attributes are ISO 8601 to the second, with the offset: the
HTML standard allows at most milliseconds."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from articles.models import Correction
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DATETIME = re.compile(r'datetime="([^"]*)"')


def test_every_time_on_the_story_and_headlines_is_to_the_second(client):
    at = datetime(2026, 7, 1, 9, 30, 15, 123456, tzinfo=UTC)
    story = ArticleFactory(published=True, published_at=at)
    Correction.objects.create(article=story, text="A name was misspelt.", created_at=at)
    CommentFactory(article=story, created_at=at)

    for url in (story.get_absolute_url(), reverse("articles:headlines")):
        values = DATETIME.findall(client.get(url).content.decode())
        assert values, url
        # London summer time: the offset is kept, the microseconds are not.
        assert set(values) == {"2026-07-01T10:30:15+01:00"}, url
