"""Sections, tags (with their aliases) and authors, and a story's hero
picture with its renditions, alt text and credit."""

import pytest

from images.imaging import check_and_clean
from images.services import image_create
from tags.services import tag_merge
from tests.api.conftest import get_json
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
)
from tests.images import picture_bytes

pytestmark = pytest.mark.django_db


def test_sections_in_navigation_order_with_their_counts(client):
    world = SectionFactory(name="World", slug="world", position=2)
    SectionFactory(name="Business", slug="business", position=1)
    ArticleFactory.create_batch(2, published=True, section=world)
    items = get_json(client, "/api/v1/sections")["items"]
    assert [(s["name"], s["story_count"]) for s in items] == [
        ("Business", 0),
        ("World", 2),
    ]
    assert items[1]["url"] == "http://testserver/world/"


def test_tags_carry_the_names_merged_into_them(client, boss, change):
    ferries, boats = TagFactory(name="ferries"), TagFactory(name="ferry boats")
    ArticleFactory(published=True, tags=[ferries])
    ArticleFactory(published=True, tags=[boats])
    with change():
        tag_merge(survivor=ferries, merged=[boats], by=boss)
    items = get_json(client, "/api/v1/tags")["items"]
    assert [(t["name"], t["story_count"], t["aliases"]) for t in items] == [
        ("ferries", 2, ["ferry boats"])
    ]


def test_tags_and_authors_come_in_cursor_pages_by_name(client):
    names = [f"topic {letter}" for letter in "edcba"]
    ada = AuthorFactory(name="Ada Ng")
    for name in names:
        ArticleFactory(published=True, tags=[TagFactory(name=name)], authors=[ada])
    seen, cursor = [], None
    while True:
        page = get_json(
            client,
            "/api/v1/tags",
            {"limit": 2, **({"cursor": cursor} if cursor else {})},
        )
        seen += [tag["name"] for tag in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == sorted(names)

    for name in ["Zoe Park", "Li Wei"]:
        ArticleFactory(published=True, authors=[AuthorFactory(name=name)])
    first = get_json(client, "/api/v1/authors", {"limit": 2})
    assert [a["name"] for a in first["items"]] == ["Ada Ng", "Li Wei"]
    rest = get_json(
        client, "/api/v1/authors", {"limit": 2, "cursor": first["next_cursor"]}
    )
    assert [a["name"] for a in rest["items"]] == ["Zoe Park"]
    assert rest["next_cursor"] is None


def test_a_story_cursor_is_refused_by_the_tag_list(client):
    ArticleFactory.create_batch(2, published=True)
    cursor = get_json(client, "/api/v1/stories", {"limit": 1})["next_cursor"]
    body = get_json(client, "/api/v1/tags", {"cursor": cursor}, status=422)
    assert "ordering=-published" in body["detail"]


def test_the_hero_picture_with_renditions_alt_text_and_credit(client, admin_user):
    image = image_create(
        upload=check_and_clean("harbour.jpg", picture_bytes((1600, 900))),
        by=admin_user,
        title="Harbour at dawn",
        alt_text="Fishing boats tied up in the harbour at dawn",
        caption="The old harbour.",
        credit="Photo: Ana Ruiz",
    )
    story = ArticleFactory(published=True, hero_image=image)
    hero = get_json(client, f"/api/v1/stories/{story.pk}")["hero_image"]
    assert hero["alt"] == "Fishing boats tied up in the harbour at dawn"
    assert hero["credit"] == "Photo: Ana Ruiz"
    assert hero["caption"] == "The old harbour."
    assert (hero["width"], hero["height"]) == (1600, 900)
    image.refresh_from_db()
    assert len(hero["renditions"]) == len(image.renditions) > 0
    wide = [r for r in hero["renditions"] if r["ratio"] == "16:9"]
    assert wide and all(r["url"].startswith("http://testserver/") for r in wide)
    assert client.get(wide[0]["url"].removeprefix("http://testserver")).status_code in {
        200,
        404,  # media is served by the web server in production, not Django
    }
