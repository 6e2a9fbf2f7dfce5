"""Tags that look the same are one tag: refused in the tag admin, filed under
the existing tag when typed on a story, and never given look-alike slugs."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tags.models import Tag, TagAlias, TaggedArticle
from tags.services import near_duplicate_groups, tag_merge
from tests.articles.staff import change_form
from tests.factories import ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

INLINES = {
    f"{prefix}-{key}": "0"
    for prefix in ("aliases", "redirects")
    for key in ("TOTAL_FORMS", "INITIAL_FORMS")
}

# How "café relx" can be typed so that it reads the same.
LOOK_ALIKES = [
    "ｃａｆé ｒｅｌｘ",  # fullwidth
    "café\u00a0relx",  # no-break space
    "cafe\u0301 relx",  # decomposed accent
    "сafé relx",  # Cyrillic с
    "café rеlx",  # Cyrillic е
    "cafέ relx",  # Greek small epsilon with tonos
    "ca\u200bfé re\u200dlx",  # zero-width space and joiner
    "CAFÉ RELX",
]


def legacy_tag(name: str) -> Tag:
    """A tag stored before names were normalised, spelled exactly `name`."""
    tag = Tag.objects.create(name="placeholder " + str(Tag.objects.count()))
    Tag.objects.filter(pk=tag.pk).update(name=name)
    from core.text import skeleton

    Tag.objects.filter(pk=tag.pk).update(name_skeleton=skeleton(name))
    tag.refresh_from_db()
    return tag


# --- The tag admin --------------------------------------------------------------


@pytest.mark.parametrize("typed", LOOK_ALIKES)
def test_the_tag_admin_refuses_a_look_alike_naming_the_existing_tag(
    admin_client, typed
):
    TagFactory(name="café relx")

    response = admin_client.post(
        reverse("admin:tags_tag_add"), {"name": typed, "slug": "other"} | INLINES
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "looks like the existing tag “café relx”" in page
        or "A tag with this name already exists" in page
    )
    assert Tag.objects.count() == 1


def test_the_tag_admin_names_the_existing_tag_for_a_cyrillic_twin(admin_client):
    TagFactory(name="Veltria")
    response = admin_client.post(
        reverse("admin:tags_tag_add"), {"name": "Vеltriа", "slug": "v"} | INLINES
    )
    assert "“Vеltriа” looks like the existing tag “Veltria”" in (
        response.content.decode()
    )


def test_the_tag_admin_refuses_a_look_alike_of_a_merged_name(admin_client):
    survivor, merged = TagFactory(name="ferries"), TagFactory(name="Fеrry")
    tag_merge(survivor=survivor, merged=[merged], by=UserFactory(is_superuser=True))

    response = admin_client.post(
        reverse("admin:tags_tag_add"), {"name": "Ferry", "slug": "ferry"} | INLINES
    )

    assert "which was merged into “ferries”" in response.content.decode()
    assert Tag.objects.count() == 1


def test_the_tag_admin_refuses_a_slug_that_looks_like_another_tags(admin_client):
    TagFactory(name="cafe relx")  # slug cafe-relx

    response = admin_client.post(
        reverse("admin:tags_tag_add"),
        {"name": "Cafe-Relx weekly", "slug": "сafe-relx"} | INLINES,
    )

    assert "This address looks like the address of “cafe relx”" in (
        response.content.decode()
    )
    assert Tag.objects.count() == 1


def test_the_tag_admin_still_takes_a_different_name(admin_client):
    TagFactory(name="café relx")
    response = admin_client.post(
        reverse("admin:tags_tag_add"), {"name": "cafe relx", "slug": "cr"} | INLINES
    )
    assert response.status_code == 302
    assert Tag.objects.count() == 2


# --- Typed on a story --------------------------------------------------------------


@pytest.mark.parametrize("typed", LOOK_ALIKES)
def test_typing_a_look_alike_on_a_story_uses_the_existing_tag(typed):
    existing = legacy_tag("cafe\u0301 relx")  # as an old import stored it

    story = ArticleFactory(tags=[typed])

    assert list(story.tags.all()) == [existing]
    assert Tag.objects.count() == 1


def test_suggestions_offer_the_tag_a_look_alike_stands_for(admin_client):
    TagFactory(name="Veltria")
    response = admin_client.get(reverse("admin:tags_tag_suggest"), {"q": "Vеltriа"})
    assert response.json()["results"][0]["name"] == "Veltria"


def test_look_alikes_typed_together_make_one_tag():
    story = ArticleFactory(tags=["café relx", "сafé relx", "ＣＡＦÉ relx"])
    assert list(story.tags.names()) == ["café relx"]
    assert Tag.objects.count() == 1


def test_a_look_alike_of_a_merged_name_files_under_the_survivor():
    survivor, merged = TagFactory(name="ferries"), TagFactory(name="ferry")
    tag_merge(survivor=survivor, merged=[merged], by=UserFactory(is_superuser=True))

    story = ArticleFactory(tags=["fеrry"])  # Cyrillic е

    assert list(story.tags.all()) == [survivor]


def test_the_story_form_files_a_look_alike_under_the_existing_tag(admin_client):
    existing = legacy_tag("cafe\u0301 relx")
    story = ArticleFactory()

    response = admin_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        change_form(story, tags="сafé relx, Ｈarbour", _continue="Save"),
    )

    assert response.status_code == 302
    assert sorted(story.tags.names()) == ["Harbour", "cafe\u0301 relx"]
    assert Tag.objects.count() == 2
    assert TaggedArticle.objects.filter(tag=existing).count() == 1


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    noise=st.lists(
        st.sampled_from(["\u200b", "\u200d", "\u2060", "\u00ad"]), max_size=4
    ),
    space=st.sampled_from([" ", "\u00a0", "  ", "\u2003", " \u200b"]),
    width=st.booleans(),
    upper=st.booleans(),
)
def test_no_spelling_of_an_existing_tag_makes_a_second_one(noise, space, width, upper):
    Tag.objects.all().delete()
    existing = Tag.objects.create(name="harbour summit")
    words = ["harbour", "summit"]
    if width:
        words = ["".join(chr(ord(c) + 0xFEE0) for c in word) for word in words]
    if upper:
        words = [word.upper() for word in words]
    cut = len(noise) % len(words[0])
    words[0] = words[0][:cut] + "".join(noise) + words[0][cut:]
    typed = space.join(words)

    story = ArticleFactory(tags=[typed])

    assert list(story.tags.all()) == [existing]


# --- Slugs ---------------------------------------------------------------------------


def test_the_slug_generator_never_makes_a_look_alike_slug():
    first = Tag.objects.create(name="cafe relx")
    twin = Tag.objects.create(name="сafe-relx!")  # another name, Cyrillic с

    assert first.slug == "cafe-relx"
    assert twin.slug == "сafe-relx_1"
    assert Tag.objects.filter(slug_skeleton="cafe-relx").count() == 1


def test_merged_names_keep_their_skeleton():
    survivor, merged = TagFactory(name="ferries"), TagFactory(name="Ferry")
    tag_merge(survivor=survivor, merged=[merged], by=UserFactory(is_superuser=True))
    assert TagAlias.objects.get().name_skeleton == "ferry"


def test_look_alikes_made_before_are_listed_for_merging(admin_client):
    plain = TagFactory(name="café relx")
    twins = [legacy_tag("сafé relx"), legacy_tag("cafe\u0301 relx")]

    page = admin_client.get(reverse("admin:tags_tag_duplicates")).content.decode()

    assert all(tag.name in page for tag in [plain, *twins])
    groups = near_duplicate_groups()
    assert [sorted(tag.pk for tag in group) for group in groups] == [
        sorted([plain.pk, *(tag.pk for tag in twins)])
    ]


# --- Existing rows ------------------------------------------------------------------


def test_the_data_migration_normalises_names_and_leaves_collisions():
    migration = import_module("tags.migrations.0007_normalise_names")
    plain = Tag.objects.create(name="café relx")
    decomposed = legacy_tag("cafe\u0301 relx")  # collides with plain once normal
    wide = legacy_tag("Ｈａｒｂｏｕｒ")
    Tag.objects.update(name_skeleton="", slug_skeleton="")

    migration.normalise_tags(django_apps, None)

    names = dict(Tag.objects.values_list("pk", "name"))
    assert names[plain.pk] == "café relx"
    assert names[decomposed.pk] == "cafe\u0301 relx"  # left for an editor to merge
    assert names[wide.pk] == "Harbour"
    skeletons = dict(Tag.objects.values_list("pk", "name_skeleton"))
    assert skeletons[plain.pk] == skeletons[decomposed.pk]
    assert skeletons[wide.pk] == "harbour"
    assert "" not in Tag.objects.values_list("slug_skeleton", flat=True)
