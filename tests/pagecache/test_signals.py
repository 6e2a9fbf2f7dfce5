"""Each app's signal reaches pagecache as the keys of the pages it changes
(pagecache/signals.py), and only those."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from articles import signals as articles
from comments import signals as comments
from images import signals as images
from images.imaging import check_and_clean
from images.services import image_create
from pagecache import keys
from pagecache.store import NEXT_GO_LIVE, _version_key
from tags import signals as tags
from tags.models import Tag
from tests.factories import ArticleFactory, TagFactory
from tests.images import picture_bytes

pytestmark = pytest.mark.django_db

# SCHEDULE stands for "the remembered next go-live was forgotten".
LIVE = {keys.FEEDS, keys.SITEMAPS, keys.SEARCH, keys.SCHEDULE}
WATCHED = [
    keys.story(1),
    keys.story(2),
    keys.section(3),
    keys.author(4),
    keys.tag(5),
    keys.tag(6),
    keys.image(7),
    keys.FRONT,
    keys.FEEDS,
    keys.SITEMAPS,
    keys.SEARCH,
    keys.NAV,
    keys.STRIP,
]
LISTINGS = {"section_ids": [3], "author_ids": [4], "tag_ids": [5]}
MOVED = {keys.story(1), keys.FRONT, *LIVE, keys.section(3), keys.author(4), keys.tag(5)}

CASES = {
    "story published": (articles.story_published, {"story_id": 1, **LISTINGS}, MOVED),
    "story unpublished": (
        articles.story_unpublished,
        {"story_id": 1, **LISTINGS},
        MOVED,
    ),
    "live story edited": (
        articles.story_changed,
        {"story_id": 1, "live": True},
        {keys.story(1), *LIVE},
    ),
    "live story moved": (
        articles.story_changed,
        {"story_id": 1, "live": True, "moved": True, **LISTINGS},
        MOVED,
    ),
    "correction": (articles.story_changed, {"story_id": 1}, {keys.story(1)}),
    "byline": (
        articles.story_changed,
        {"story_id": 1, "author_ids": [4]},
        {keys.story(1), keys.author(4)},
    ),
    "draft saved": (articles.draft_saved, {"story_id": 1}, {keys.SCHEDULE}),
    "section": (
        articles.section_changed,
        {"section_id": 3},
        {keys.NAV, keys.SITEMAPS, keys.section(3)},
    ),
    "author": (
        articles.author_changed,
        {"author_id": 4, "story_ids": [1, 2]},
        {keys.author(4), keys.SITEMAPS, keys.story(1), keys.story(2)},
    ),
    "front page": (articles.front_page_changed, {}, {keys.FRONT}),
    "tag renamed": (
        tags.tag_changed,
        {"tag_id": 5, "story_ids": [2]},
        {keys.tag(5), keys.SITEMAPS, keys.story(2)},
    ),
    "tags merged": (
        tags.tags_merged,
        {"tag_ids": [5, 6], "story_ids": [1]},
        {keys.tag(5), keys.tag(6), keys.story(1)},
    ),
    "strip": (tags.strip_changed, {}, {keys.STRIP}),
    "thread": (comments.thread_changed, {"story_ids": [2]}, {keys.story(2)}),
    "image": (images.image_changed, {"image_id": 7}, {keys.image(7)}),
}


def tokens() -> dict:
    return cache.get_many([_version_key(key) for key in WATCHED])


@pytest.mark.parametrize("case", CASES)
def test_each_signal_invalidates_the_keys_of_what_it_changed(
    case, django_capture_on_commit_callbacks
):
    signal, kwargs, expected = CASES[case]
    cache.set(NEXT_GO_LIVE, "none")
    before = tokens()
    with django_capture_on_commit_callbacks(execute=True):
        signal.send(sender=None, **kwargs)
    after = tokens()
    changed = {
        key
        for key in WATCHED
        if after.get(_version_key(key)) != before.get(_version_key(key))
    }
    if cache.get(NEXT_GO_LIVE) is None:
        changed.add(keys.SCHEDULE)
    assert changed == expected


def test_editing_a_hero_image_rebuilds_the_story_page(
    client, admin_user, django_capture_on_commit_callbacks
):
    upload = check_and_clean("photo.jpg", picture_bytes())
    image = image_create(
        upload=upload, by=admin_user, title="Harbour", alt_text="Boats in the harbour"
    )
    image.credit = "Ana Ruiz"
    image.save()
    story = ArticleFactory(published=True, hero_image=image)
    url = story.get_absolute_url()
    for _ in range(2):
        page = client.get(url)
    assert page["X-Cache"] == "HIT"
    assert keys.image(image.pk) in page["Surrogate-Key"].split()

    with django_capture_on_commit_callbacks(execute=True):
        image.credit = "Cupure staff"
        image.save()

    page = client.get(url)
    assert page["X-Cache"] == "MISS"
    assert "Photo: Cupure staff" in page.content.decode()


def test_refreshing_the_strip_rebuilds_pages_only_when_it_reads_differently(
    client, django_capture_on_commit_callbacks
):
    story = ArticleFactory(published=True, tags=[TagFactory(name="ferry strike")])
    url = story.section.get_absolute_url()
    for _ in range(2):
        page = client.get(url)
    assert page["X-Cache"] == "HIT" and "ferry strike" in page.content.decode()

    def refresh() -> str:
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("refresh_trending_strip", stdout=out)
        return out.getvalue()

    assert "unchanged" in refresh()
    assert client.get(url)["X-Cache"] == "HIT"

    # What the strip shows moved without a change the site heard of (here a
    # bare update; in life, the trending window moving on).
    Tag.objects.update(is_hidden_from_strip=True)
    assert client.get(url)["X-Cache"] == "HIT"  # reading invalidates nothing
    assert "changed; pages showing it will be rebuilt" in refresh()

    page = client.get(url)
    assert page["X-Cache"] == "MISS"
    assert 'class="trending__tag"' not in page.content.decode()
