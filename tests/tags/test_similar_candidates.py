"""Similar News ranks only the newest stories of each shared tag."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import similar as article_similar
from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_only_the_newest_stories_of_a_common_tag_are_ranked(monkeypatch):
    monkeypatch.setattr(article_similar, "SIMILAR_CANDIDATES_PER_TAG", 3)
    story = ArticleFactory(published=True, tags=["politics", "amber strait"])
    now = timezone.now()
    recent = [
        ArticleFactory(
            published=True, tags=["politics"], published_at=now - timedelta(hours=n)
        )
        for n in range(1, 4)
    ]
    too_old = ArticleFactory(
        published=True, tags=["politics"], published_at=now - timedelta(days=90)
    )
    rare_and_old = ArticleFactory(
        published=True, tags=["amber strait"], published_at=now - timedelta(days=400)
    )

    ranked = list(Article.objects.published().similar_to(story, 10))

    assert ranked[0] == rare_and_old
    assert set(ranked[1:]) == set(recent)
    assert too_old not in ranked
