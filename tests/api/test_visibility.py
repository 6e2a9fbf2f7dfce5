"""The API shows only what the public site shows: a draft, a scheduled and a
withdrawn story are absent from every endpoint, filter and count, and the
scheduled one appears at its time with no job run."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.api.conftest import get_json, headlines
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    hidden_stories,
)

pytestmark = pytest.mark.django_db

HIDDEN = {
    "Secret draft about ferries",
    "Embargoed ferries story",
    "Withdrawn ferries story",
}


@pytest.fixture
def newsroom():
    """One public story and the three hidden ones, each hidden one with a
    section, an author and a tag of its own that no public story has."""
    shared_section = SectionFactory(slug="harbour", name="Harbour")
    shared_tag = TagFactory(name="ferries")
    shared_author = AuthorFactory(slug="ana", name="Ana Lopes")
    public = ArticleFactory(
        published=True,
        headline="Public ferries story",
        section=shared_section,
        authors=[shared_author],
        tags=[shared_tag],
    )
    hidden = []
    for story in hidden_stories(section=shared_section, authors=[shared_author]):
        story.tags.set([shared_tag, TagFactory(name=f"only {story.pk}")])
        hidden.append(story)
    lonely_section = SectionFactory(slug="embargo-desk", name="Embargo desk")
    lonely_author = AuthorFactory(slug="ghost-writer", name="Ghost Writer")
    embargoed = ArticleFactory(
        scheduled=True,
        headline="Embargoed ferries story two",
        section=lonely_section,
        authors=[lonely_author],
        tags=[TagFactory(name="embargoed tag")],
    )
    return public, [*hidden, embargoed]


def _every_list(client):
    """Every list the API has, with every filter that could find a hidden story."""
    yesterday = (timezone.now() - timedelta(days=3)).isoformat()
    story_lists = [
        {},
        {"section": "harbour"},
        {"section": "embargo-desk"},
        {"tag": "ferries"},
        {"tag": "embargoed-tag"},
        {"author": "ana"},
        {"author": "ghost-writer"},
        {"q": "ferries"},
        {"q": "embargoed"},
        {"updated_since": yesterday},
        {"published_after": yesterday},
        {"published_before": (timezone.now() + timedelta(days=30)).isoformat()},
        {"ordering": "updated"},
        {"ordering": "-updated"},
        {"ordering": "published"},
    ]
    return {str(params): headlines(client, params=params) for params in story_lists}


def test_hidden_stories_appear_in_no_list_filter_or_search(client, newsroom):
    for where, found in _every_list(client).items():
        assert not HIDDEN & set(found), where
        assert "Embargoed ferries story two" not in found, where
    assert "Public ferries story" in headlines(client, params={"q": "ferries"})


def test_hidden_stories_answer_404_by_id_and_by_path(client, newsroom):
    public, hidden = newsroom
    assert (
        get_json(client, f"/api/v1/stories/{public.pk}")["headline"] == public.headline
    )
    for story in hidden:
        body = get_json(client, f"/api/v1/stories/{story.pk}", status=404)
        assert body["detail"] == "No published story has this address."
        get_json(
            client,
            "/api/v1/stories/by-path",
            {"path": story.get_absolute_url()},
            status=404,
        )


def test_hidden_stories_count_nowhere(client, newsroom):
    sections = {
        item["slug"]: item["story_count"]
        for item in get_json(client, "/api/v1/sections")["items"]
    }
    assert sections == {"harbour": 1, "embargo-desk": 0}
    tags = {
        item["name"]: item["story_count"]
        for item in get_json(client, "/api/v1/tags")["items"]
    }
    assert tags == {"ferries": 1}
    authors = {
        item["slug"]: item["story_count"]
        for item in get_json(client, "/api/v1/authors")["items"]
    }
    assert authors == {"ana": 1}


def test_go_deeper_links_only_to_public_stories(client, newsroom):
    public, hidden = newsroom
    other = ArticleFactory(published=True, headline="Tide tables")
    public.related_links.create(target=hidden[1], position=0)
    public.related_links.create(target=other, position=1)
    story = get_json(client, f"/api/v1/stories/{public.pk}")
    assert [link["headline"] for link in story["go_deeper"]] == ["Tide tables"]


def test_a_scheduled_story_appears_at_its_time_without_any_job(client, newsroom):
    _, hidden = newsroom
    scheduled = hidden[1]
    # Asked (and cached) before its time...
    assert scheduled.headline not in headlines(client)
    get_json(client, f"/api/v1/stories/{scheduled.pk}", status=404)
    with time_machine.travel(scheduled.published_at + timedelta(seconds=1)):
        # ...and there at its time, through every door.
        assert scheduled.headline in headlines(client)
        assert scheduled.headline in headlines(client, params={"q": "embargoed"})
        assert scheduled.headline in headlines(client, params={"tag": "ferries"})
        get_json(client, f"/api/v1/stories/{scheduled.pk}")
        get_json(
            client, "/api/v1/stories/by-path", {"path": scheduled.get_absolute_url()}
        )
        tags = {
            i["name"]: i["story_count"]
            for i in get_json(client, "/api/v1/tags")["items"]
        }
        assert tags["ferries"] == 2
        # The drafts and the withdrawn story stay out.
        assert not {hidden[0].headline, hidden[2].headline} & set(headlines(client))
