"""Story listings at 100,000 stories: a capped listing leaves out the page
total; the front page's latest-per-section reaches back for a quiet section."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_a_capped_listing_leaves_out_the_page_total(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    section = SectionFactory()
    for _ in range(52):
        ArticleFactory(published=True, section=section)

    html = client.get(section.get_absolute_url()).content.decode()

    assert "Page 1<" in html and "Page 1 of" not in html


def test_latest_per_section_reaches_back_for_a_quiet_section():
    now = timezone.now()
    busy, quiet = SectionFactory(position=0), SectionFactory(position=1)
    for hours in range(1, 6):
        ArticleFactory(
            section=busy, published=True, published_at=now - timedelta(hours=hours)
        )
    old = ArticleFactory(
        section=quiet, published=True, published_at=now - timedelta(days=900)
    )
    ArticleFactory(section=quiet, scheduled=True)

    latest = list(Article.objects.published().for_listing().latest_per_section(2))

    assert [story.section for story in latest] == [busy, busy, quiet]
    assert latest[-1] == old
