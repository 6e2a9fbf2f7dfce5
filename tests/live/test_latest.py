"""A live story in the site's feeds and sitemaps carries its latest entry's
time as its update time (Atom `updated`, the sitemaps' `lastmod`), read with
the story (no query per story), and a new entry refreshes the cached feeds
and sitemaps."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from live.services import live_entry_post
from tests.factories import ArticleFactory
from tests.live.factories import LiveCoverageFactory, LiveEntryFactory
from tests.pagecache.test_pagecache import change, fetch

__all__ = ["change"]  # the fixture: a change in a transaction that commits

pytestmark = pytest.mark.django_db

ATOM = reverse("feeds:latest-atom")
NEWS = "/news-sitemap.xml"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "n": "http://www.google.com/schemas/sitemap-news/0.9",
}


def an_hour_old(story, hours=1):
    """The story as last saved an hour ago (its own update time)."""
    earlier = timezone.now() - timedelta(hours=hours)
    Article.objects.filter(pk=story.pk).update(updated_at=earlier)
    return earlier


def same_second(found: str, moment: datetime) -> bool:
    """Feeds give whole seconds, sitemaps the microseconds too."""
    return abs(datetime.fromisoformat(found) - moment) < timedelta(seconds=1)


def feed_updated(client, story) -> str:
    parsed = feedparser.parse(client.get(ATOM).content)
    assert not parsed.bozo, parsed.bozo_exception
    url = f"http://testserver{story.get_absolute_url()}"
    return next(e.updated for e in parsed.entries if e.link == url), parsed


def sitemap_lastmod(client, url, story) -> str:
    xml = ET.fromstring(client.get(url).content)
    loc = f"http://testserver{story.get_absolute_url()}"
    for node in xml.findall("s:url", NS):
        if node.find("s:loc", NS).text == loc:
            return node.find("s:lastmod", NS).text
    raise AssertionError(f"{loc} not in {url}")


@pytest.fixture
def live_story():
    coverage = LiveCoverageFactory()
    an_hour_old(coverage.story)
    LiveEntryFactory(coverage=coverage)
    newest = LiveEntryFactory(coverage=coverage)
    return coverage.story, newest


def test_the_feed_gives_a_live_storys_latest_entry_as_its_update(client, live_story):
    story, newest = live_story
    plain = ArticleFactory(published=True)
    plain_updated = plain.published_at
    updated, parsed = feed_updated(client, story)
    assert same_second(updated, newest.posted_at)
    # The feed as a whole was updated then too (the newest of its stories').
    assert same_second(parsed.feed.updated, max(newest.posted_at, plain_updated))
    assert same_second(feed_updated(client, plain)[0], plain_updated)


def test_the_sitemaps_give_a_live_storys_latest_entry_as_lastmod(client, live_story):
    story, newest = live_story
    plain = ArticleFactory(published=True)
    earlier = an_hour_old(plain)
    assert same_second(sitemap_lastmod(client, NEWS, story), newest.posted_at)
    assert same_second(sitemap_lastmod(client, NEWS, plain), earlier)
    # The index's story sitemap gives days: both saved three days ago.
    an_hour_old(story, hours=72)
    three_days_ago = an_hour_old(plain, hours=72)
    stories = "/sitemap-stories.xml"
    assert sitemap_lastmod(client, stories, story) == str(
        timezone.localdate(newest.posted_at)
    )
    assert sitemap_lastmod(client, stories, plain) == str(
        timezone.localdate(three_days_ago)
    )


def test_an_entry_that_is_not_newer_leaves_the_storys_own_update(client):
    coverage = LiveCoverageFactory()
    entry = LiveEntryFactory(
        coverage=coverage, posted_at=timezone.now() - timedelta(hours=5)
    )
    story = Article.objects.get(pk=coverage.story.pk)
    assert coverage.entries.get() == entry
    assert same_second(sitemap_lastmod(client, NEWS, story), story.updated_at)


def test_a_new_entry_refreshes_the_cached_feeds_and_sitemaps(
    client, live_story, editor, change
):
    story, _ = live_story
    coverage = story.live_coverage
    for url in (ATOM, NEWS):
        fetch(client, url)
        fetch(client, url, expect="HIT")
    with change():
        entry = live_entry_post(coverage=coverage, by=editor, body="<p>Later.</p>")
    for url in (ATOM, NEWS):
        fetch(client, url, expect="MISS")
    assert same_second(feed_updated(client, story)[0], entry.posted_at)
    assert same_second(sitemap_lastmod(client, NEWS, story), entry.posted_at)


def cold_queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_feeds_and_sitemaps_cost_the_same_with_live_stories(client):
    stories = ArticleFactory.create_batch(6, published=True)
    urls = [ATOM, reverse("feeds:latest"), NEWS, "/sitemap-stories.xml"]
    before = [cold_queries(client, url) for url in urls]
    for story in stories[:4]:
        LiveEntryFactory.create_batch(2, coverage=LiveCoverageFactory(story=story))
    assert [cold_queries(client, url) for url in urls] == before
