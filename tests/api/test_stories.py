"""The story endpoints as a client uses them: filters, ordering, cursor
pages, one story's fields, and what odd input gets back."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleSlugHistory, Correction
from articles.services import article_publish
from tests.api.conftest import get_json, headlines
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def _story(hours_ago: float, headline: str, **kwargs) -> Article:
    return ArticleFactory(
        published=True,
        headline=headline,
        published_at=timezone.now() - timedelta(hours=hours_ago),
        **kwargs,
    )


def test_filters_by_section_tag_author_and_dates(client):
    world = SectionFactory(slug="world")
    tides = TagFactory(name="tides")
    ana = AuthorFactory(slug="ana")
    _story(1, "World story", section=world)
    _story(2, "Tagged story", tags=[tides])
    _story(30, "Ana's story", authors=[ana])
    old = _story(24 * 10, "Old story")
    Article.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - timedelta(days=9)
    )

    assert headlines(client, params={"section": "world"}) == ["World story"]
    assert headlines(client, params={"tag": "tides"}) == ["Tagged story"]
    assert headlines(client, params={"author": "ana"}) == ["Ana's story"]
    day_ago = (timezone.now() - timedelta(hours=24)).isoformat()
    assert headlines(client, params={"published_after": day_ago}) == [
        "World story",
        "Tagged story",
    ]
    assert headlines(client, params={"published_before": day_ago}) == [
        "Ana's story",
        "Old story",
    ]
    week_ago = (timezone.now() - timedelta(days=7)).isoformat()
    assert "Old story" not in headlines(client, params={"updated_since": week_ago})
    assert headlines(client, params={"section": "nowhere"}) == []


def test_q_uses_the_sites_search(client):
    _story(1, "Harbour ferries to run all winter")
    _story(2, "Council budget approved")
    _story(3, "Bridge works", dek="Ferries are diverted while the bridge closes.")
    assert headlines(client, params={"q": "ferries"}) == [
        "Harbour ferries to run all winter",
        "Bridge works",
    ]
    assert headlines(client, params={"q": "ferries", "ordering": "published"}) == [
        "Bridge works",
        "Harbour ferries to run all winter",
    ]
    assert headlines(client, params={"q": "   "}) != []


def test_ordering_by_published_and_updated(client):
    first = _story(3, "First")
    _story(2, "Second")
    _story(1, "Third")
    # Edited last, so newest by update.
    Article.objects.filter(pk=first.pk).update(
        updated_at=timezone.now() + timedelta(minutes=5)
    )
    assert headlines(client) == ["Third", "Second", "First"]
    assert headlines(client, params={"ordering": "published"}) == [
        "First",
        "Second",
        "Third",
    ]
    assert headlines(client, params={"ordering": "-updated"})[0] == "First"
    assert headlines(client, params={"ordering": "updated"})[-1] == "First"


@pytest.mark.parametrize("ordering", ["-published", "published", "-updated"])
def test_cursor_pages_walk_every_story_once_while_one_is_published(
    client, ordering, boss, change
):
    same_time = timezone.now() - timedelta(hours=5)
    stories = [_story(10 + n, f"Story {n}") for n in range(9)]
    # Stories sharing a time are still ordered, by id.
    stories += [
        ArticleFactory(published=True, published_at=same_time) for _ in range(4)
    ]
    expected = {story.pk for story in stories}
    waiting = ArticleFactory(headline="Breaking mid-walk")

    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3, "ordering": ordering}
        if cursor:
            params["cursor"] = cursor
        page = get_json(client, "/api/v1/stories", params)
        assert len(page["items"]) <= 3
        seen.extend(story["id"] for story in page["items"])
        pages += 1
        if pages == 2:
            with change():
                article_publish(article=waiting, by=boss)
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)), "a story came twice"
    assert expected <= set(seen), "a story was skipped"
    assert set(seen) - expected <= {waiting.pk}


def test_a_cursor_only_works_with_its_own_ordering(client):
    for n in range(3):
        _story(n + 1, f"Story {n}")
    cursor = get_json(client, "/api/v1/stories", {"limit": 1})["next_cursor"]
    body = get_json(
        client,
        "/api/v1/stories",
        {"limit": 1, "cursor": cursor, "ordering": "updated"},
        status=422,
    )
    assert "ordering=-published" in body["detail"]
    assert body["errors"][0]["loc"] == ["query", "cursor"]


def test_limit_is_at_most_a_hundred(client):
    _story(1, "One")
    body = get_json(client, "/api/v1/stories", {"limit": 101}, status=422)
    assert body["detail"] == (
        "Invalid parameters: limit: Input should be less than or equal to 100"
    )
    assert len(get_json(client, "/api/v1/stories", {"limit": 100})["items"]) == 1
    get_json(client, "/api/v1/stories", {"limit": 0}, status=422)


HOSTILE = [
    ("/api/v1/stories", {"section": "x' OR 1=1 --"}),
    ("/api/v1/stories", {"tag": "1;DROP TABLE articles_article"}),
    ("/api/v1/stories", {"author": "\x00"}),
    ("/api/v1/stories", {"section": "é" * 200}),
    ("/api/v1/stories", {"limit": "99999999999999999999999999"}),
    ("/api/v1/stories", {"limit": "-1"}),
    ("/api/v1/stories", {"limit": "ten"}),
    ("/api/v1/stories", {"cursor": "not-a-cursor"}),
    ("/api/v1/stories", {"cursor": "W10:1tx:abc"}),
    ("/api/v1/stories", {"cursor": "x" * 5000}),
    ("/api/v1/stories", {"ordering": "headline; DELETE"}),
    ("/api/v1/stories", {"published_after": "yesterday"}),
    ("/api/v1/stories", {"updated_since": "99999-01-01T00:00:00"}),
    ("/api/v1/stories", {"published_before": "0000-00-00"}),
    ("/api/v1/stories", {"published_after": "2026-01-01"}),
    ("/api/v1/stories", {"published_before": "9999-12-31T23:59:59-14:00"}),
    ("/api/v1/stories", {"published_after": "2026-01-01T00:00:00"}),
    ("/api/v1/stories", {"published_after": "1700000000"}),
    ("/api/v1/stories", {"updated_since": "2026-02-30T00:00:00Z"}),
    ("/api/v1/stories", {"q": "x" * 1001}),
    ("/api/v1/stories/0", {}),
    ("/api/v1/stories/-5", {}),
    ("/api/v1/stories/99999999999999999999999999", {}),
    ("/api/v1/stories/by-path", {}),
    ("/api/v1/stories/by-path", {"path": "/" * 3000}),
    ("/api/v1/tags", {"cursor": "' OR ''='"}),
    ("/api/v1/authors", {"limit": "1e9"}),
]


@pytest.mark.parametrize(("url", "params"), HOSTILE)
def test_hostile_parameters_get_a_clear_4xx_and_change_nothing(client, url, params):
    story = _story(1, "Harbour ferries")
    response = client.get(url, params)
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["detail"]
    assert Article.objects.filter(pk=story.pk).exists()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "' OR 1=1 --"},
        {"q": "-"},
        {"q": "-" * 500},
        {"q": "ferr\x00ies"},
        {"q": "渡轮 🚢 ferries"},
        {"q": "!!(())&&||"},
        {"published_after": "0001-01-01T00:00:00Z"},
        {"published_after": "0001-01-01T00:00:00-14:00"},
        {"published_before": "9999-12-31T23:59:59+14:00"},
        {"updated_since": "2026-01-01T00:00:00+14:00"},
    ],
)
def test_odd_but_valid_parameters_answer_200(client, params):
    _story(1, "Harbour ferries")
    get_json(client, "/api/v1/stories", params)


def test_undecodable_bytes_in_the_query_answer_200(client):
    _story(1, "Harbour ferries")
    for raw in ["q=%ED%A0%80", "q=%FF%FE", "section=%C0%AF"]:
        response = client.get(f"/api/v1/stories?{raw}")
        assert response.status_code in {200, 422}, raw


def test_odd_paths_answer_404(client):
    story = _story(1, "Harbour ferries")
    for path in [
        "/",
        "/api/v1/stories",
        "/harbour/",
        "/x/2026/13/45/nothing/",
        "https://elsewhere.example/",
        "no slash",
        story.get_absolute_url() + "extra/",
    ]:
        body = get_json(client, "/api/v1/stories/by-path", {"path": path}, status=404)
        assert body["detail"]


def test_by_path_finds_a_story_by_its_address_a_full_url_or_an_old_slug(client):
    story = _story(1, "Harbour ferries", slug="harbour-ferries")
    path = story.get_absolute_url()
    by_path = get_json(client, "/api/v1/stories/by-path", {"path": path})
    assert by_path["id"] == story.pk
    assert by_path["url"] == f"http://testserver{path}"
    full = get_json(
        client, "/api/v1/stories/by-path", {"path": f"https://x.example{path}"}
    )
    assert full["id"] == story.pk
    ArticleSlugHistory.objects.create(article=story, old_slug="old-ferries")
    moved = get_json(
        client,
        "/api/v1/stories/by-path",
        {"path": path.replace("harbour-ferries", "old-ferries")},
    )
    assert moved["id"] == story.pk


def test_a_story_with_everything_a_client_renders(client, boss):
    section = SectionFactory(slug="harbour", name="Harbour")
    first, second = AuthorFactory(name="Ana Lopes"), AuthorFactory(name="Ben Ito")
    target = _story(5, "Tide tables explained")
    story = ArticleFactory(
        published=True,
        headline="Ferries run all winter",
        dek="The council found the money.",
        section=section,
        authors=[first, second],
        tags=[TagFactory(name="ferries"), TagFactory(name="council")],
        body=(
            '<p><strong class="lead-in">Why it matters:</strong> Islanders '
            '<a href="https://example.org/">rely</a> on them.</p>'
            "<h2>What's next</h2>"
            "<ul><li><p>Timetables</p></li><li><p>Fares</p></li></ul>"
            "<blockquote><p>We did it.</p></blockquote><hr><p>Plain paragraph.</p>"
        ),
        source_name="Island Times",
        source_url="https://island.example/ferries",
    )
    story.related_links.create(target=target, position=0)
    Correction.objects.create(article=story, text="An earlier version misspelt Ito.")
    body = get_json(client, f"/api/v1/stories/{story.pk}")

    assert body["headline"] == "Ferries run all winter"
    assert body["dek"] == "The council found the money."
    assert body["url"] == "http://testserver" + story.get_absolute_url()
    assert body["section"]["name"] == "Harbour"
    assert [b["name"] for b in body["bylines"]] == ["Ana Lopes", "Ben Ito"]
    assert [t["name"] for t in body["tags"]] == ["council", "ferries"]
    assert body["body_html"] == story.body
    assert body["blocks"] == [
        {
            "type": "paragraph",
            "lead_in": "Why it matters:",
            "text": "Islanders rely on them.",
            "html": 'Islanders <a href="https://example.org/" '
            'rel="noopener noreferrer">rely</a> on them.',
        },
        {"type": "heading", "level": 2, "text": "What's next"},
        {
            "type": "list",
            "ordered": False,
            "items": [
                {"text": "Timetables", "html": "Timetables"},
                {"text": "Fares", "html": "Fares"},
            ],
        },
        {"type": "quote", "text": "We did it.", "html": "We did it."},
        {"type": "rule"},
        {
            "type": "paragraph",
            "lead_in": None,
            "text": "Plain paragraph.",
            "html": "Plain paragraph.",
        },
    ]
    assert [c["text"] for c in body["corrections"]] == [
        "An earlier version misspelt Ito."
    ]
    assert body["corrections"][0]["kind"] == "correction"
    assert body["go_deeper"] == [
        {
            "id": target.pk,
            "headline": "Tide tables explained",
            "url": "http://testserver" + target.get_absolute_url(),
            "api_url": f"http://testserver/api/v1/stories/{target.pk}",
        }
    ]
    assert body["source"] == {
        "name": "Island Times",
        "url": "https://island.example/ferries",
    }
    assert body["hero_image"] is None
    assert body["comment_count"] == 0


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def _grow_to(count: int, section, tag, author):
    have = Article.objects.count()
    for n in range(have, count):
        story = ArticleFactory(
            published=True,
            section=section,
            authors=[author, AuthorFactory()],
            tags=[tag, TagFactory(name=f"extra {n}")],
        )
        if n % 2:
            story.related_links.create(
                target=Article.objects.exclude(pk=story.pk).first(), position=0
            )
            Correction.objects.create(article=story, text="A note.")


def test_query_budget_stays_the_same_from_5_to_200_stories(client, settings):
    settings.NEWSROOM_PAGE_CACHE = False
    section, tag, author = (
        SectionFactory(slug="harbour"),
        TagFactory(),
        AuthorFactory(slug="ana"),
    )
    urls = [
        ("/api/v1/stories", {"limit": 100}),
        ("/api/v1/stories", {"limit": 100, "tag": tag.slug, "q": "council"}),
        ("/api/v1/sections", {}),
        ("/api/v1/tags", {"limit": 100}),
        ("/api/v1/authors", {"limit": 100}),
    ]
    _grow_to(5, section, tag, author)
    small = [_queries(client, url, params) for url, params in urls]
    story = Article.objects.last()
    small_detail = _queries(client, f"/api/v1/stories/{story.pk}")
    small_path = _queries(
        client, "/api/v1/stories/by-path", {"path": story.get_absolute_url()}
    )
    _grow_to(200, section, tag, author)
    large = [_queries(client, url, params) for url, params in urls]
    assert large == small
    assert max(large) <= 6
    story = Article.objects.first()
    assert _queries(client, f"/api/v1/stories/{story.pk}") == small_detail <= 5
    assert (
        _queries(client, "/api/v1/stories/by-path", {"path": story.get_absolute_url()})
        == small_path
        <= 5
    )
