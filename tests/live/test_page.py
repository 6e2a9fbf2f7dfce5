"""A live story's page as readers get it: the badge, key events, pinned
entries first, the newest entries and "Show older" without JavaScript, the
entries' feed and the JSON-LD; and what a story without coverage shows."""

import json
import re

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from live.models import LiveEntry
from tests.factories import ArticleFactory, hidden_stories
from tests.live.factories import LiveCoverageFactory, LiveEntryFactory

pytestmark = pytest.mark.django_db


def page(client, story, **query) -> str:
    response = client.get(story.get_absolute_url(), query)
    assert response.status_code == 200
    return response.content.decode()


def section_of(html: str) -> str:
    found = re.search(r'<section class="live".*?</section>', html, re.S)
    return found.group(0) if found else ""


def entry_ids(html: str) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(r'<li class="live-entry[^"]*" id="entry-(\d+)"', html)
    ]


def json_ld(html: str) -> dict:
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(raw.group(1))


@pytest.fixture
def reporter():
    return get_user_model().objects.create_user(
        "reporter", first_name="Amara", last_name="Osei"
    )


def test_a_story_without_coverage_shows_no_live_block(client):
    story = ArticleFactory(published=True)
    html = page(client, story)
    assert 'class="live"' not in html and "live.js" not in html
    assert json_ld(html)["@type"] == "NewsArticle"
    # ...but it is ready to show coverage the moment an editor starts it.
    response = client.get(story.get_absolute_url())
    assert f"live-{story.pk}" in response["Surrogate-Key"].split()


def test_a_live_story_shows_the_badge_entries_and_their_details(
    client, settings, reporter
):
    coverage = LiveCoverageFactory()
    first = LiveEntryFactory(
        coverage=coverage, author=reporter, body="<p>The first sandbags arrive.</p>"
    )
    edited = LiveEntryFactory(
        coverage=coverage,
        body="<p>The wall holds.</p>",
        edited_at=timezone.now(),
    )
    html = page(client, coverage.story)
    live = section_of(html)
    assert '<span class="live-badge">Live</span>' in live
    assert entry_ids(live) == [edited.pk, first.pk]
    assert "The first sandbags arrive." in live and "Amara Osei" in live
    assert re.search(rf'id="entry-{first.pk}".*?<time datetime="[^"]+">', live, re.S)
    edited_block = live.split(f'id="entry-{edited.pk}"')[1].split("</li>")[0]
    first_block = live.split(f'id="entry-{first.pk}"')[1].split("</li>")[0]
    assert "Updated" in edited_block and "Updated" not in first_block
    assert f'src="{settings.STATIC_URL}live/live.js"' in html
    assert "data-live-after" in live
    # No inline script: only JSON-LD data and script files.
    assert re.findall(r"<script(?![^>]*(src=|application/ld\+json))", html) == []


def test_key_events_link_to_their_entries_and_pinned_entries_come_first(client):
    coverage = LiveCoverageFactory()
    key = LiveEntryFactory(
        coverage=coverage, is_key_event=True, body="<p>Evacuation ordered.</p>"
    )
    pinned = LiveEntryFactory(
        coverage=coverage, is_pinned=True, body="<p>What we know so far.</p>"
    )
    LiveEntryFactory.create_batch(3, coverage=coverage)
    newest = LiveEntryFactory(coverage=coverage, body="<p>Roads reopen.</p>")
    live = section_of(page(client, coverage.story))
    box = re.search(r'<nav class="live-key-events".*?</nav>', live, re.S).group(0)
    assert f'href="#entry-{key.pk}"' in box and "Evacuation ordered." in box
    assert f"entry-{newest.pk}" not in box
    ids = entry_ids(live)
    assert ids[0] == pinned.pk and ids[1] == newest.pk
    assert ids.count(pinned.pk) == 1  # pinned once, not in the stream again
    assert key.pk in ids


def test_show_older_pages_back_without_javascript(client, settings):
    settings.NEWSROOM_LIVE_PAGE_SIZE = 3
    coverage = LiveCoverageFactory()
    entries = LiveEntryFactory.create_batch(7, coverage=coverage)
    newest_first = [entry.pk for entry in reversed(entries)]

    live = section_of(page(client, coverage.story))
    assert entry_ids(live) == newest_first[:3]
    older = re.search(r'href="\?before=(\d+)#live"[^>]*>Show older<', live)
    assert older

    live = section_of(page(client, coverage.story, before=older.group(1)))
    assert entry_ids(live) == newest_first[3:6]
    assert "Newest updates" in live and "data-live-after" not in live
    older = re.search(r'href="\?before=(\d+)#live"', live).group(1)
    live = section_of(page(client, coverage.story, before=older))
    assert entry_ids(live) == newest_first[6:]
    assert "Show older" not in live


@pytest.mark.parametrize("before", ["abc", "-4", "9" * 40, "1\x00"])
def test_an_odd_older_address_shows_the_newest_entries(client, before):
    entry = LiveEntryFactory()
    assert entry_ids(section_of(page(client, entry.coverage.story, before=before))) == [
        entry.pk
    ]


def test_ended_coverage_reads_as_a_normal_story_with_its_entries(client):
    now = timezone.now()
    coverage = LiveCoverageFactory(
        starts_at=now - timezone.timedelta(hours=3),
        ends_at=now - timezone.timedelta(hours=1),
    )
    entry = LiveEntryFactory(coverage=coverage)
    html = page(client, coverage.story)
    live = section_of(html)
    assert entry_ids(live) == [entry.pk]
    assert "live-badge" not in live and "data-live-after" not in live
    assert "live.js" not in html
    assert json_ld(html)["coverageEndTime"]


def test_coverage_not_started_yet_shows_nothing(client):
    coverage = LiveCoverageFactory(
        starts_at=timezone.now() + timezone.timedelta(hours=1)
    )
    LiveEntryFactory(coverage=coverage, body="<p>Prepared early.</p>")
    html = page(client, coverage.story)
    assert "Prepared early." not in html and 'class="live"' not in html


def test_the_json_ld_is_a_live_blog_posting_with_its_entries(client, reporter):
    coverage = LiveCoverageFactory()
    first = LiveEntryFactory(
        coverage=coverage,
        author=reporter,
        body='<p>Quote: "</script><script>alert(1)</script>"</p>',
    )
    second = LiveEntryFactory(coverage=coverage, body="<p>Tide turns at six.</p>")
    html = page(client, coverage.story)
    data = json_ld(html)
    assert data["@type"] == "LiveBlogPosting"
    assert data["headline"] == coverage.story.headline
    assert data["coverageStartTime"] == coverage.starts_at.isoformat()
    assert "coverageEndTime" not in data
    updates = data["liveBlogUpdate"]
    assert [u["url"].rsplit("#", 1)[1] for u in updates] == [
        f"entry-{second.pk}",
        f"entry-{first.pk}",
    ]
    assert updates[0]["articleBody"] == "Tide turns at six."
    assert updates[1]["author"]["name"] == "Amara Osei"
    assert all(u["datePublished"] for u in updates)
    assert "<script>alert(1)" not in html


def test_the_live_page_advertises_its_entries_feed_which_parses(client, reporter):
    coverage = LiveCoverageFactory()
    LiveEntryFactory(
        coverage=coverage,
        author=reporter,
        body='<p><strong class="lead-in">Catch up quick:</strong> Ferries stop.</p>',
    )
    edited = LiveEntryFactory(
        coverage=coverage, body="<p>Ferries restart.</p>", edited_at=timezone.now()
    )
    html = page(client, coverage.story)
    feed_url = reverse("live:feed", args=[coverage.story.pk])
    assert re.search(
        rf'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
        rf'href="{feed_url}">',
        html,
    )
    response = client.get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert coverage.story.headline in feed.feed.title
    assert [item.link.rsplit("#", 1)[1] for item in feed.entries] == [
        f"entry-{edited.pk}",
        f"entry-{edited.pk - 1}",
    ]
    assert feed.entries[0].title == "Ferries restart."
    assert "Catch up quick:" in feed.entries[1].summary
    assert feed.entries[1].author == "Amara Osei"
    assert feed.entries[0].updated_parsed > feed.entries[0].published_parsed or (
        feed.entries[0].updated_parsed == feed.entries[0].published_parsed
    )


def test_hidden_stories_have_no_updates_nor_feed(client):
    for story in hidden_stories():
        coverage = LiveCoverageFactory(story=story)
        LiveEntryFactory(coverage=coverage)
        for url in (
            reverse("live:after", args=[story.pk, 0]),
            reverse("live:feed", args=[story.pk]),
        ):
            assert client.get(url).status_code == 404, (story.headline, url)
    assert client.get(reverse("live:after", args=[10**9, 0])).status_code == 404


def test_entries_of_another_story_never_show(client):
    ours, theirs = LiveCoverageFactory(), LiveCoverageFactory()
    LiveEntryFactory(coverage=theirs, body="<p>Elsewhere.</p>")
    assert "Elsewhere." not in page(client, ours.story)
    data = client.get(reverse("live:after", args=[ours.story.pk, 0])).json()
    assert data["count"] == 0 and "Elsewhere." not in data["html"]
    assert LiveEntry.objects.count() == 1


def test_huge_ids_in_the_address_answer_not_found(client):
    entry = LiveEntryFactory()
    story_id = entry.coverage.story.pk
    for url in (
        f"/live/{2**64}/after/0/",
        f"/live/{story_id}/after/{2**64}/",
        f"/live/{2**64}/feed/",
    ):
        assert client.get(url).status_code == 404, url
