"""On PostgreSQL, search ranks the newest matches only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles import search as search_module
from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="ranking needs PostgreSQL"
    ),
]


def test_the_newest_matches_are_ranked_best_first(monkeypatch):
    monkeypatch.setattr(search_module, "RANKED_MATCHES", 2)
    now = timezone.now()
    weak = ArticleFactory(
        published=True,
        headline="Council minutes",
        dek="A note on the ferry.",
        published_at=now - timedelta(hours=1),
    )
    strong = ArticleFactory(
        published=True,
        headline="Ferry ferry ferry",
        published_at=now - timedelta(hours=2),
    )
    ArticleFactory(
        published=True, headline="Ferry ferry", published_at=now - timedelta(days=9)
    )

    assert list(Article.objects.published().search("ferry")) == [strong, weak]
