"""The "newer than" answer the live page polls is cacheable, and correct
after every change to the coverage: each entry posted, edited or deleted
makes exactly this story's live answers, page and feed stale (tested through
the real page cache). Every page of it costs the same at 10 and 10,000
entries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from live.models import LiveEntry
from live.services import (
    live_coverage_end,
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


def after(story, last=0) -> str:
    return reverse("live:after", args=[story.pk, last])


def poll(client, story, last=0, expect=None) -> dict:
    response = client.get(after(story, last), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    if expect:
        assert response["X-Cache"] == expect
    return response.json()


@pytest.fixture
def coverage():
    return LiveCoverageFactory()


def test_the_answer_holds_the_newer_entries_and_is_cacheable(client, coverage):
    old = LiveEntryFactory(coverage=coverage, body="<p>Old news.</p>")
    new = LiveEntryFactory(coverage=coverage, body="<p>New news.</p>")
    response = client.get(after(coverage.story, old.pk))
    assert response.status_code == 200
    assert "s-maxage" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert f"live-{coverage.story.pk}" in response["Surrogate-Key"].split()
    data = response.json()
    assert data["count"] == 1 and data["last"] == new.pk and data["live"]
    assert f'id="entry-{new.pk}"' in data["html"] and "New news." in data["html"]
    assert "Old news." not in data["html"]

    with CaptureQueriesContext(connection) as queries:
        assert poll(client, coverage.story, old.pk, expect="HIT") == data
    assert len(queries) == 0


def test_nothing_newer_answers_an_empty_list_with_the_same_last_id(client, coverage):
    entry = LiveEntryFactory(coverage=coverage)
    data = poll(client, coverage.story, entry.pk)
    assert data == {
        "count": 0,
        "more": False,
        "last": entry.pk,
        "live": True,
        "html": data["html"],
    }
    assert "live-entry" not in data["html"]


def test_each_new_entry_shows_in_the_next_answer(client, coverage, editor, change):
    last = 0
    for n in range(3):
        # The reader's address is cached, and still says nothing new...
        assert poll(client, coverage.story, last)["count"] == 0
        assert poll(client, coverage.story, last, expect="HIT")["count"] == 0
        with change():
            entry = live_entry_post(
                coverage=coverage, by=editor, body=f"<p>Update number {n}.</p>"
            )
        # ...until an entry is posted: the same address answers afresh.
        data = poll(client, coverage.story, last, expect="MISS")
        assert data["last"] == entry.pk
        assert f"Update number {n}." in data["html"]
        assert data["count"] == 1
        last = entry.pk


def test_editing_marking_and_deleting_refresh_the_answers_and_the_page(
    client, coverage, editor, change
):
    entry = LiveEntryFactory(coverage=coverage, body="<p>Wall holds.</p>")
    story_url = coverage.story.get_absolute_url()
    for step, apply, shown in [
        (
            "edit",
            lambda: live_entry_edit(entry=entry, by=editor, body="<p>Wall cracks.</p>"),
            "Wall cracks.",
        ),
        (
            "key",
            lambda: live_entry_mark(entry=entry, by=editor, is_key_event=True),
            "Key events",
        ),
        ("delete", lambda: live_entry_delete(entry=entry, by=editor), None),
    ]:
        fetch(client, story_url)
        fetch(client, story_url, expect="HIT")
        poll(client, coverage.story)
        poll(client, coverage.story, expect="HIT")
        with change():
            apply()
        html = fetch(client, story_url, expect="MISS")
        data = poll(client, coverage.story, expect="MISS")
        if shown:
            assert shown in html, step
            assert "Wall cracks." in data["html"], step
        else:
            assert f'id="entry-{entry.pk}"' not in html
            assert data["count"] == 0


def test_a_new_entry_refreshes_the_story_page_and_its_feed(
    client, coverage, editor, change
):
    feed = reverse("live:feed", args=[coverage.story.pk])
    story_url = coverage.story.get_absolute_url()
    for url in (story_url, feed):
        fetch(client, url)
        fetch(client, url, expect="HIT")
    with change():
        live_entry_post(coverage=coverage, by=editor, body="<p>Bridge closed.</p>")
    for url in (story_url, feed):
        assert "Bridge closed." in fetch(client, url, expect="MISS"), url


def test_a_new_entry_leaves_other_stories_cached(client, coverage, editor, change):
    other = LiveCoverageFactory()
    plain = ArticleFactory(published=True)
    urls = [
        other.story.get_absolute_url(),
        after(other.story),
        plain.get_absolute_url(),
        # The story's card there shows its badge, not its latest entry (the
        # headlines page's lead and top cards do: tests/live/test_cards.py).
        coverage.story.section.get_absolute_url(),
    ]
    for url in urls:
        fetch(client, url)
        fetch(client, url, expect="HIT")
    with change():
        live_entry_post(coverage=coverage, by=editor, body="<p>Only here.</p>")
    for url in urls:
        fetch(client, url, expect="HIT")


def test_ending_the_coverage_tells_the_pollers_to_stop(
    client, coverage, editor, change
):
    poll(client, coverage.story)
    assert poll(client, coverage.story, expect="HIT")["live"]
    with change():
        live_coverage_end(coverage=coverage, by=editor)
    assert poll(client, coverage.story, expect="MISS")["live"] is False
    assert "live-badge" not in fetch(client, coverage.story.get_absolute_url())


def test_a_long_gap_says_there_are_more_than_one_answer_holds(
    client, coverage, settings
):
    settings.NEWSROOM_LIVE_PAGE_SIZE = 5
    LiveEntryFactory.create_batch(8, coverage=coverage)
    data = poll(client, coverage.story)
    assert data["count"] == 5 and data["more"] is True
    assert data["last"] == coverage.entries.order_by("-pk").first().pk


# --- Query budgets --------------------------------------------------------------


def fill(coverage, count):
    LiveEntry.objects.bulk_create(
        LiveEntry(
            coverage=coverage,
            body=f"<p>Update {n}.</p>",
            is_pinned=n % 997 == 1,
            is_key_event=n % 101 == 3,
        )
        for n in range(count)
    )


def queries(client, url) -> int:
    """Queries for one anonymous request with a cold cache (the worst case)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def small_and_large():
    small, large = LiveCoverageFactory(), LiveCoverageFactory()
    fill(small, 10)
    fill(large, 10_000)
    return small, large


def test_the_live_page_costs_the_same_at_10_and_10000_entries(client, small_and_large):
    small, large = small_and_large
    few = queries(client, small.story.get_absolute_url())
    many = queries(client, large.story.get_absolute_url())
    assert many == few
    older = large.entries.filter(is_pinned=False).order_by("-pk")[500].pk
    assert queries(client, f"{large.story.get_absolute_url()}?before={older}") <= few
    # A story page with coverage costs four queries more than one without:
    # the coverage, its pinned entries, the newest entries and the key events.
    plain = ArticleFactory(published=True)
    assert few <= queries(client, plain.get_absolute_url()) + 4
    assert few <= 19


def test_the_newer_than_answer_costs_the_same_at_10_and_10000_entries(
    client, small_and_large
):
    small, large = small_and_large
    oldest = large.entries.order_by("pk").first().pk
    newest = large.entries.order_by("-pk").first().pk
    counts = {
        queries(client, after(small.story)),
        queries(client, after(large.story)),
        queries(client, after(large.story, oldest)),
        queries(client, after(large.story, newest)),
    }
    assert len(counts) == 1 and counts.pop() <= 4


def test_the_feed_costs_the_same_at_10_and_10000_entries(client, small_and_large):
    small, large = small_and_large
    few = queries(client, reverse("live:feed", args=[small.story.pk]))
    assert queries(client, reverse("live:feed", args=[large.story.pk])) == few
    assert few <= 4
