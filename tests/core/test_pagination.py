"""The capped paginator (core/pagination.py) counts no further than its last
page, so a listing at 100,000 stories never counts them all."""

import pytest

from articles.models import Article
from core.pagination import CappedPaginator
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_capped_paginator_counts_no_further_than_its_last_page(settings):
    for _ in range(7):
        ArticleFactory(published=True)
    stories = Article.objects.published().for_listing()

    capped = CappedPaginator(stories, 2, max_pages=3)
    whole = CappedPaginator(stories, 2, max_pages=4)

    assert (capped.count, capped.num_pages, capped.is_capped) == (6, 3, True)
    assert (whole.count, whole.num_pages, whole.is_capped) == (7, 4, False)
