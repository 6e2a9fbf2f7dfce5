"""A story page's story (with its bylines, tags, corrections and "Go deeper"
links) is read once and kept as a fragment: a page the page cache does not
keep — every logged-in reader's, and the first after any change — reads only
the thread. Each event that changes what the page shows of it refreshes it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import RelatedLink
from articles.services import article_unpublish
from tags.models import Tag
from tests.factories import ArticleFactory
from tests.pagecache.test_pagecache import boss, change, correct, fetch

__all__ = ["boss", "change"]  # fixtures shared with the page-cache tests

pytestmark = pytest.mark.django_db

STORY_TABLES = (
    "articles_byline",
    "tags_taggedarticle",
    "articles_correction",
    "articles_relatedlink",
)


@pytest.fixture
def uncached(client, settings):
    """Pages built each time, as for a logged-in reader or a cold page cache."""
    settings.NEWSROOM_PAGE_CACHE = False
    return client


@pytest.fixture
def story():
    story = ArticleFactory(
        published=True, headline="Ferry strike called off", tags=["ferries"]
    )
    deeper = ArticleFactory(published=True, headline="How the ferry talks went")
    RelatedLink.objects.create(article=story, target=deeper, position=0)
    return story


def story_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url)
    return [
        q["sql"] for q in queries if any(f'"{t}"' in q["sql"] for t in STORY_TABLES)
    ]


def test_a_warm_story_page_reads_none_of_the_story_s_relations(uncached, story):
    url = story.get_absolute_url()
    assert story_queries(uncached, url)
    assert story_queries(uncached, url) == []
    page = fetch(uncached, url)
    assert "Ferry strike called off" in page and "How the ferry talks went" in page


def test_each_change_to_what_the_page_shows_refreshes_it(uncached, story, boss, change):
    url = story.get_absolute_url()
    fetch(uncached, url)

    with change():
        correct(story, boss, "An earlier version gave the wrong sailing.")
    assert "An earlier version gave the wrong sailing." in fetch(uncached, url)

    tag = Tag.objects.get(name="ferries")
    with change():
        tag.name = "ferry services"
        tag.save()
    assert "ferry services" in fetch(uncached, url)

    deeper = story.related_links.get().target
    with change():
        deeper.headline = "Inside the ferry talks"
        deeper.save()
    page = fetch(uncached, url)
    assert "Inside the ferry talks" in page and "How the ferry talks went" not in page

    section = story.section
    with change():
        section.name = "Sea and shore"
        section.save()
    assert "Sea and shore" in fetch(uncached, url)

    with change():
        article_unpublish(article=deeper, by=boss)
    assert "Inside the ferry talks" not in fetch(uncached, url)

    with change():
        article_unpublish(article=story, by=boss)
    assert uncached.get(url).status_code == 404


def test_an_address_with_no_story_is_not_kept_as_missing(uncached, boss, change):
    draft = ArticleFactory(headline="Harbour fees frozen")
    url = f"/{draft.section.slug}/2026/01/01/{draft.slug}/"
    assert uncached.get(url).status_code == 404
    with change():
        draft.status = "published"
        draft.published_at = draft.created_at
        draft.save()
    draft.refresh_from_db()
    assert "Harbour fees frozen" in fetch(uncached, draft.get_absolute_url())


def test_a_crafted_long_address_names_no_fragment(uncached, story, recwarn):
    long_slug = "9" * 5000
    url = f"/{story.section.slug}/2026/01/01/{long_slug}/"
    assert uncached.get(url).status_code == 404
    assert not [w for w in recwarn if "Cache key" in str(w.message)]
