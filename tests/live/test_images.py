"""An entry's optional picture from the image library: picked on the live
desk, shown with its alt text in the entry on the page, in the poll answer,
in the entries' Atom feed (an <img> in the content) and as the JSON-LD
update's `image`; a crafted POST naming no library picture is refused with a
message and saves nothing; pages cost the same with pictures on entries."""

import json
import re

import feedparser
import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Byline
from images.models import Image
from live.models import LiveEntry
from tests.factories import ArticleFactory, AuthorFactory
from tests.live.factories import LiveCoverageFactory, LiveEntryFactory, library_image
from tests.pagecache.test_pagecache import change, fetch

__all__ = ["change"]  # the fixture: a change in a transaction that commits

pytestmark = pytest.mark.django_db

ALT = "Volunteers fill sandbags on the quay"


def desk(story):
    return reverse("admin:live_livecoverage_desk", args=[story.pk])


def entry_block(html: str, entry) -> str:
    found = re.search(
        rf'<li class="live-entry[^"]*" id="entry-{entry.pk}".*?</li>', html, re.S
    )
    assert found, f"entry {entry.pk} not shown"
    return found.group(0)


@pytest.fixture
def picture(admin_user):
    return library_image(admin_user, caption="Sandbags at dawn.", credit="R. Vos")


@pytest.fixture
def entry(picture):
    return LiveEntryFactory(image=picture, body="<p>Sandbags on the quay.</p>")


def test_the_entry_shows_its_picture_with_alt_text_on_the_page(client, entry):
    html = fetch(client, entry.coverage.story.get_absolute_url())
    block = entry_block(html, entry)
    assert f'alt="{ALT}"' in block and "<picture" in block
    assert "Sandbags at dawn." in block and "R. Vos" in block
    assert entry.image.rendition("16:9", 800)["url"] in block


def test_the_poll_answer_carries_the_picture(client, entry):
    data = client.get(reverse("live:after", args=[entry.coverage.story.pk, 0])).json()
    assert f'alt="{ALT}"' in entry_block(data["html"], entry)


def test_the_feed_carries_the_picture_as_an_img(client, entry):
    response = client.get(reverse("live:feed", args=[entry.coverage.story.pk]))
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    content = parsed.entries[0].summary
    src = "http://testserver" + entry.image.rendition("16:9", 800)["url"]
    assert f'<img alt="{ALT}" src="{src}" />' in content or (
        f'src="{src}"' in content and f'alt="{ALT}"' in content
    )
    assert "Sandbags on the quay." in content


def test_the_json_ld_update_names_the_picture(client, entry):
    html = fetch(client, entry.coverage.story.get_absolute_url())
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    update = json.loads(raw.group(1))["liveBlogUpdate"][0]
    assert update["image"] == (
        "http://testserver" + entry.image.rendition("16:9", 1200)["url"]
    )


def test_an_entry_without_a_picture_names_none(client):
    plain = LiveEntryFactory()
    html = fetch(client, plain.coverage.story.get_absolute_url())
    assert "<picture" not in entry_block(html, plain)
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "image" not in json.loads(raw.group(1))["liveBlogUpdate"][0]


def test_new_alt_text_refreshes_the_cached_page_poll_and_feed(client, entry, change):
    story = entry.coverage.story
    urls = [
        story.get_absolute_url(),
        reverse("live:after", args=[story.pk, 0]),
        reverse("live:feed", args=[story.pk]),
    ]
    for url in urls:
        fetch(client, url)
        fetch(client, url, expect="HIT")
    with change():
        image = Image.objects.get(pk=entry.image_id)
        image.alt_text = "Sandbags stacked three high"
        image.save()
    for url in urls:
        assert "Sandbags stacked three high" in fetch(client, url, expect="MISS"), url


def test_an_editor_posts_an_entry_with_a_picture_from_the_desk(editor_client, picture):
    coverage = LiveCoverageFactory()
    page = editor_client.get(desk(coverage.story)).content.decode()
    assert 'name="image"' in page and "admin-autocomplete" in page
    response = editor_client.post(
        desk(coverage.story),
        {"action": "post", "body": "<p>Quay now.</p>", "image": picture.pk},
    )
    assert response.status_code == 302
    assert coverage.entries.get().image == picture
    assert "Picture: Quay" in editor_client.get(desk(coverage.story)).content.decode()


@pytest.fixture
def own_coverage(journalist):
    story = ArticleFactory(published=True)
    Byline.objects.create(
        article=story, author=AuthorFactory(user=journalist), position=1
    )
    return LiveCoverageFactory(story=story, journalists_may_post=True)


@pytest.mark.parametrize("image", ["999999999", "abc", "-1", "9" * 30, "1\x00"])
def test_a_journalists_crafted_picture_id_gets_a_message_and_saves_nothing(
    journalist_client, own_coverage, image
):
    response = journalist_client.post(
        desk(own_coverage.story),
        {"action": "post", "body": "<p>With a ghost picture.</p>", "image": image},
    )
    assert response.status_code == 200
    html = response.content.decode()
    message = (
        "Null characters are not allowed."
        if "\x00" in image
        else "That picture is not in the library. Pick another one"
    )
    assert message in html and 'class="errorlist' in html
    assert not own_coverage.entries.exists()
    assert not LiveEntry.objects.exists()
    assert not list(get_messages(response.wsgi_request))


def test_a_journalist_may_post_with_a_library_picture(
    journalist_client, own_coverage, picture
):
    journalist_client.post(
        desk(own_coverage.story),
        {"action": "post", "body": "<p>Mine.</p>", "image": picture.pk},
    )
    assert own_coverage.entries.get().image == picture


# --- Query budgets --------------------------------------------------------------


def queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def fill(coverage, count, image):
    LiveEntry.objects.bulk_create(
        LiveEntry(
            coverage=coverage,
            body=f"<p>Update {n}.</p>",
            is_pinned=n % 997 == 1,
            is_key_event=n % 101 == 3,
            image=image if n % 2 else None,
        )
        for n in range(count)
    )


def test_pages_with_pictures_cost_the_same_at_10_and_10000_entries(client, picture):
    small, large, bare = (LiveCoverageFactory() for _ in range(3))
    fill(small, 10, picture)
    fill(large, 10_000, picture)
    fill(bare, 10, None)
    for url_of in (
        lambda story: story.get_absolute_url(),
        lambda story: reverse("live:after", args=[story.pk, 0]),
        lambda story: reverse("live:feed", args=[story.pk]),
    ):
        counts = {
            queries(client, url_of(coverage.story)) for coverage in (small, large, bare)
        }
        assert len(counts) == 1, counts
