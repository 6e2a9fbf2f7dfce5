"""Story cards are page-cache fragments: every listing reads its cards in one
round trip, and a change re-renders exactly the cards that show it, for
logged-in readers (never page-cached) as much as for anonymous ones."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pagecache import cards, keys, store
from tags.models import Tag
from tags.services import tag_merge
from tests.comments.factories import ReaderFactory
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.pagecache.test_pagecache import (
    approve_comment_on,
    boss,
    change,
    correct,
    fetch,
)

__all__ = ["boss", "change"]  # fixtures shared with the page-cache tests

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    """A logged-in reader: no whole page is ever cached for them."""
    client.force_login(ReaderFactory())
    return client


@pytest.fixture
def built(monkeypatch):
    """The stories whose cards were rendered (not taken from the cache)."""
    rendered = []
    render = cards._render

    def recording(request, article, options):
        rendered.append(article.pk)
        return render(request, article, options)

    monkeypatch.setattr(cards, "_render", recording)
    return rendered


@pytest.fixture
def stories():
    return [
        ArticleFactory(
            published=True, headline="Harbour wall repaired", authors=[AuthorFactory()]
        ),
        ArticleFactory(published=True, headline="Ferry timetable cut"),
    ]


def card_html(page: str) -> list[str]:
    return re.findall(r'<article class="card.*?</article>', page, flags=re.S)


def retitle(change, story, headline):
    with change():
        story.headline = headline
        story.save()


def warm(reader, built, url="/"):
    page = fetch(reader, url)
    fetch(reader, url)
    built.clear()
    return page


def test_a_warm_listing_is_one_kept_part_for_a_logged_in_reader(
    reader, built, stories, monkeypatch
):
    first = warm(reader, built)
    reads = []
    get_many = cache.get_many
    monkeypatch.setattr(
        store.cache, "get_many", lambda names: reads.append(names) or get_many(names)
    )
    with CaptureQueriesContext(connection) as queries:
        again = fetch(reader, "/")
    assert card_html(again) == card_html(first)
    assert built == []
    assert not [q for q in queries if 'FROM "articles_article"' in q["sql"]]
    assert not [n for names in reads for n in names if "pc:fragment:card:" in n]


def test_a_rebuilt_listing_renders_no_card_and_reads_them_in_one_round_trip(
    reader, built, stories, monkeypatch, change
):
    first = warm(reader, built)
    assert "Harbour wall repaired" in first and "Ferry timetable cut" in first
    # The front page changed, not its stories: the page is built again from
    # the cards kept.
    with change():
        store.invalidate(keys.FRONT)
    reads = []
    get_many = cache.get_many
    monkeypatch.setattr(
        store.cache, "get_many", lambda names: reads.append(names) or get_many(names)
    )
    again = fetch(reader, "/")
    assert card_html(again) == card_html(first)
    assert built == []
    card_reads = [
        names for names in reads if any("pc:fragment:card:" in n for n in names)
    ]
    assert len(card_reads) == 1
    entries = [name for name in card_reads[0] if not name.endswith(":checked")]
    assert len(
        [name for name in entries if name.startswith("pc:fragment:card:")]
    ) == len(card_html(first))


def test_a_headline_edit_re_renders_only_that_card(reader, built, stories, change):
    edited, other = stories
    warm(reader, built)
    retitle(change, edited, "Harbour wall collapses")
    page = fetch(reader, "/")
    assert "Harbour wall collapses" in page and "Harbour wall repaired" not in page
    assert set(built) == {edited.pk}
    assert other.pk not in built


def test_a_correction_re_renders_the_corrected_story_card(
    reader, built, stories, boss, change
):
    corrected, other = stories
    warm(reader, built)
    with change():
        correct(corrected, boss)
    fetch(reader, "/")
    assert set(built) == {corrected.pk}


def test_a_comment_approval_updates_the_count_on_that_card_only(
    reader, built, stories, boss, change
):
    discussed, other = stories
    page = warm(reader, built)
    assert "1 comment<" not in page
    with change():
        approve_comment_on(discussed, boss)
    page = fetch(reader, "/")
    assert f'href="{discussed.get_absolute_url()}#comments">1 comment</a>' in page
    assert set(built) == {discussed.pk}


def test_a_tag_merge_re_renders_the_cards_of_the_merged_tags_stories(
    reader, built, boss, change
):
    tagged = ArticleFactory(published=True, tags=["trumpputin"])
    untagged = ArticleFactory(published=True)
    survivor = Tag.objects.create(name="trump putin", slug="trump-putin")
    warm(reader, built)
    with change():
        tag_merge(
            survivor=survivor, merged=[Tag.objects.get(name="trumpputin")], by=boss
        )
    fetch(reader, "/")
    assert set(built) == {tagged.pk}
    assert untagged.pk not in built


def test_renaming_a_section_or_an_author_re_renders_their_cards(
    reader, built, stories, change
):
    bylined, other = stories
    warm(reader, built)
    author = bylined.authors.get()
    with change():
        author.name = "Ada Lovelace-Byron"
        author.save()
    page = fetch(reader, "/")
    assert "Ada Lovelace-Byron" in page
    assert set(built) == {bylined.pk}

    built.clear()
    section = other.section
    with change():
        section.name = "Coast and Sea"
        section.save()
    page = fetch(reader, "/")
    assert "Coast and Sea" in page
    assert other.pk in built and bylined.pk not in built


def test_a_card_built_from_a_story_that_changed_meanwhile_is_not_kept(
    reader, built, change, monkeypatch
):
    story = ArticleFactory(
        published=True, section=SectionFactory(), headline="Old words"
    )
    render = cards._render

    def edit_then_render(request, article, options):
        with change():
            type(story).objects.filter(pk=story.pk).update(headline="New words")
            store.invalidate(f"story-{story.pk}")
        return render(request, article, options)

    monkeypatch.setattr(cards, "_render", edit_then_render)
    assert "Old words" in fetch(reader, story.section.get_absolute_url())
    monkeypatch.setattr(cards, "_render", render)
    assert "New words" in fetch(reader, story.section.get_absolute_url())


def test_a_tag_page_reads_its_cards_from_the_cache_and_re_renders_an_edited_one(
    reader, built, change
):
    tagged = [
        ArticleFactory(published=True, tags=["harbours"], headline=f"Quay {n}")
        for n in range(3)
    ]
    url = Tag.objects.get(name="harbours").get_absolute_url()
    first = warm(reader, built, url)
    assert all(f"Quay {n}" in first for n in range(3))
    assert card_html(fetch(reader, url)) == card_html(first)
    assert built == []
    edited = tagged[1]
    retitle(change, edited, "Quay one reopens")
    page = fetch(reader, url)
    assert "Quay one reopens" in page and "Quay 1<" not in page
    assert built == [edited.pk]


def test_similar_news_shows_an_edit_of_a_similar_story_at_once(reader, built, change):
    main = ArticleFactory(published=True, tags=["ferries"], headline="Ferry strike")
    similar = ArticleFactory(
        published=True, tags=["ferries"], headline="Ferry fares rise"
    )
    url = main.get_absolute_url()
    first = warm(reader, built, url)
    assert "Ferry fares rise" in first
    assert built == [] and "Ferry fares rise" in fetch(reader, url)
    retitle(change, similar, "Ferry fares double")
    page = fetch(reader, url)
    assert "Ferry fares double" in page and "Ferry fares rise" not in page
    assert built == [similar.pk]

    # Its section's new name too: the list keeps the story with its section.
    built.clear()
    section = similar.section
    with change():
        section.name = "Sea crossings"
        section.save()
    assert "Sea crossings" in card_html(fetch(reader, url))[0]


def test_the_sections_menu_costs_no_query_when_warm_and_shows_a_new_section_at_once(
    reader, stories, change
):
    story = stories[0]
    url = story.get_absolute_url()
    fetch(reader, url)
    with CaptureQueriesContext(connection) as queries:
        fetch(reader, url)
    assert not [q for q in queries if 'FROM "articles_section"' in q["sql"]]
    with change():
        SectionFactory(name="Weather desk")
    assert "Weather desk" in fetch(reader, url)


def test_a_listing_reads_stories_light_and_whole_only_for_missing_cards(
    reader, built, stories, change
):
    section = stories[0].section
    url = section.get_absolute_url()
    warm(reader, built, url)
    # The listing's kept part is gone (evicted), its cards are not.
    cache.delete(f"pc:fragment:part:{settings.LANGUAGE_CODE}:section:{section.pk}")
    with CaptureQueriesContext(connection) as queries:
        page = fetch(reader, url)
    assert "Harbour wall repaired" in page
    story_rows = [q["sql"] for q in queries if 'FROM "articles_article"' in q["sql"]]
    assert story_rows and not any('"body"' in sql for sql in story_rows)
    assert not [q for q in queries if 'FROM "articles_byline"' in q["sql"]]

    retitle(change, stories[0], "Harbour wall collapses")
    with CaptureQueriesContext(connection) as queries:
        page = fetch(reader, url)
    assert "Harbour wall collapses" in page and built == [stories[0].pk]
    whole = [q["sql"] for q in queries if '"articles_article"."dek"' in q["sql"]]
    assert len(whole) == 1 and f"IN ({stories[0].pk})" in whole[0]
