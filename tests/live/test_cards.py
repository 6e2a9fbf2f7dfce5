"""A live story's cards: the "Live" badge wherever its card shows while the
coverage runs, and on the headlines page's lead and top cards the latest
entry's time and first line. Tested through the real page cache and card
fragments: the badge comes off when an editor ends the coverage and when it
ends by itself at `ends_at` (no event at all), the latest line follows every
entry, and the headlines page costs the same with any number of live stories."""

import re
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from live.services import (
    live_coverage_end,
    live_coverage_open_to_journalists,
    live_coverage_start,
    live_entry_delete,
    live_entry_edit,
    live_entry_mark,
    live_entry_post,
)
from tests.factories import ArticleFactory
from tests.live.factories import LiveCoverageFactory, LiveEntryFactory
from tests.pagecache.test_pagecache import change, fetch

__all__ = ["change"]  # the fixture: a change in a transaction that commits

pytestmark = pytest.mark.django_db

HEADLINES = reverse("articles:headlines")
BADGE = '<span class="card__live">Live</span>'


def card_of(html: str, story) -> str:
    """The card linking to `story` (its first one on the page)."""
    url = re.escape(story.get_absolute_url())
    found = re.search(
        rf'<article class="card[^"]*">(?:(?!</article>).)*?href="{url}".*?</article>',
        html,
        re.S,
    )
    assert found, f"no card for {story}"
    return found.group(0)


def latest_line(card: str) -> str | None:
    found = re.search(r'<p class="card__latest">(.*?)</p>', card, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else None


@pytest.fixture
def coverage():
    return LiveCoverageFactory()


def test_a_live_storys_cards_show_the_badge_and_others_do_not(client, coverage):
    plain = ArticleFactory(published=True, section=coverage.story.section)
    for url in (HEADLINES, coverage.story.section.get_absolute_url()):
        html = fetch(client, url)
        assert BADGE in card_of(html, coverage.story), url
        assert 'class="card card--live' in card_of(html, coverage.story)
        assert BADGE not in card_of(html, plain), url


def test_the_lead_card_shows_the_latest_entrys_time_and_first_line(
    client, coverage, settings
):
    LiveEntryFactory(coverage=coverage, body="<p>Older news.</p>")
    newest = LiveEntryFactory(
        coverage=coverage,
        body="<p><strong>Bridge:</strong> the <a href='/x'>bridge</a> is shut "
        "to all traffic until the water goes down tonight, police say.</p>",
    )
    card = card_of(fetch(client, HEADLINES), coverage.story)
    at = timezone.localtime(newest.posted_at)
    assert latest_line(card) == (
        f"Updated {at:%H:%M} — Bridge: the bridge is shut to all traffic until "
        "the water goes down tonight,…"
    )
    assert "Older news." not in card
    assert f'href="{coverage.story.get_absolute_url()}#live"' in card
    # Elsewhere the card shows the badge only.
    section_card = card_of(
        fetch(client, coverage.story.section.get_absolute_url()), coverage.story
    )
    assert BADGE in section_card and latest_line(section_card) is None


def test_no_latest_line_before_the_first_entry(client, coverage):
    card = card_of(fetch(client, HEADLINES), coverage.story)
    assert BADGE in card and latest_line(card) is None


def test_hostile_entry_text_shows_as_text_on_the_card(client, coverage, editor):
    live_entry_post(
        coverage=coverage,
        by=editor,
        body="<p>&lt;script&gt;alert(1)&lt;/script&gt; <img src=x onerror=alert(2)>"
        "Tide</p>",
    )
    card = card_of(fetch(client, HEADLINES), coverage.story)
    assert "<script" not in card and "onerror" not in card and "<img" not in card
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card


def test_each_new_edited_or_deleted_entry_refreshes_the_headlines_card(
    client, coverage, editor, change
):
    first = live_entry_post(coverage=coverage, by=editor, body="<p>Tide rising.</p>")
    for step, apply, shown in [
        (
            "post",
            lambda: live_entry_post(
                coverage=coverage, by=editor, body="<p>Sandbags arrive.</p>"
            ),
            "Sandbags arrive.",
        ),
        (
            "edit",
            lambda: live_entry_edit(
                entry=coverage.entries.first(), by=editor, body="<p>Sandbags here.</p>"
            ),
            "Sandbags here.",
        ),
        (
            "delete",
            lambda: live_entry_delete(entry=coverage.entries.first(), by=editor),
            "Tide rising.",
        ),
    ]:
        fetch(client, HEADLINES)
        fetch(client, HEADLINES, expect="HIT")
        with change():
            apply()
        card = card_of(fetch(client, HEADLINES, expect="MISS"), coverage.story)
        assert shown in latest_line(card), step
    assert coverage.entries.get().pk == first.pk


def test_pinning_or_opening_the_desk_leaves_the_listings_cached(
    client, coverage, editor, change
):
    entry = LiveEntryFactory(coverage=coverage)
    section = coverage.story.section.get_absolute_url()
    fetch(client, section)
    fetch(client, section, expect="HIT")
    with change():
        live_entry_mark(entry=entry, by=editor, is_pinned=True)
        live_coverage_open_to_journalists(coverage=coverage, by=editor, allowed=True)
        # An entry shows on the story page and the headlines, not here.
        live_entry_post(coverage=coverage, by=editor, body="<p>Later.</p>")
    fetch(client, section, expect="HIT")


def test_an_editor_ending_or_starting_the_coverage_refreshes_every_card(
    client, coverage, editor, change
):
    LiveEntryFactory(coverage=coverage, body="<p>Last word.</p>")
    urls = [HEADLINES, coverage.story.section.get_absolute_url()]
    for url in urls:
        fetch(client, url)
        assert BADGE in card_of(fetch(client, url, expect="HIT"), coverage.story)
    with change():
        live_coverage_end(coverage=coverage, by=editor)
    for url in urls:
        card = card_of(fetch(client, url, expect="MISS"), coverage.story)
        assert BADGE not in card and latest_line(card) is None, url
        fetch(client, url, expect="HIT")
    with change():
        live_coverage_start(story=coverage.story, by=editor)
    for url in urls:
        card = card_of(fetch(client, url, expect="MISS"), coverage.story)
        assert BADGE in card, url


def test_coverage_ending_by_itself_takes_the_badge_off_with_caches_on(client, coverage):
    """No event when `ends_at` passes: no card or listing page is kept past it
    (pagecache's next go-live takes the coverage's end into account)."""
    LiveEntryFactory(coverage=coverage, body="<p>Last word.</p>")
    coverage.ends_at = timezone.now() + timezone.timedelta(seconds=3)
    coverage.save()
    urls = [HEADLINES, coverage.story.section.get_absolute_url()]
    for url in urls:
        fetch(client, url)
        card = card_of(fetch(client, url, expect="HIT"), coverage.story)
        assert BADGE in card
    assert "Last word." in latest_line(
        card_of(fetch(client, HEADLINES), coverage.story)
    )
    time.sleep(max(0.0, (coverage.ends_at - timezone.now()).total_seconds()) + 1.2)
    for url in urls:
        card = card_of(fetch(client, url, expect="MISS"), coverage.story)
        assert BADGE not in card and latest_line(card) is None, url


def test_coverage_starting_later_shows_the_badge_once_it_starts(client):
    coverage = LiveCoverageFactory(
        starts_at=timezone.now() + timezone.timedelta(seconds=2)
    )
    fetch(client, HEADLINES)
    assert BADGE not in card_of(fetch(client, HEADLINES, expect="HIT"), coverage.story)
    time.sleep(max(0.0, (coverage.starts_at - timezone.now()).total_seconds()) + 1.2)
    assert BADGE in card_of(fetch(client, HEADLINES, expect="MISS"), coverage.story)


def headlines_queries(client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HEADLINES).status_code == 200
    return len(queries)


def test_the_headlines_cost_the_same_with_any_number_of_live_stories(client, settings):
    settings.NEWSROOM_TOP_STORIES = 3
    settings.NEWSROOM_PAGE_SIZE = 4
    stories = ArticleFactory.create_batch(10, published=True)
    none_live = headlines_queries(client)
    for story in stories[-1:]:
        LiveEntryFactory(coverage=LiveCoverageFactory(story=story))
    one_live = headlines_queries(client)
    for story in stories[:-1]:
        LiveEntryFactory.create_batch(2, coverage=LiveCoverageFactory(story=story))
    cache.clear()  # made in the test's transaction: no invalidation ran
    html = fetch(client, HEADLINES)
    assert html.count(BADGE) >= 8
    assert html.count('class="card__latest"') == 4  # the lead and 3 top stories
    assert headlines_queries(client) == one_live == none_live
