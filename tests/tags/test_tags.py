from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tags.models import Tag, TagAlias, TaggedArticle, TagRedirect, normalize_tag_name
from tags.services import near_duplicate_groups, tag_merge, tag_suggestions
from tags.similarity import are_near_duplicates, group_near_duplicates, skeleton
from tests.factories import ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

# The reference page's strip, as nobody cleaned it up.
REFERENCE_STRIP = [
    "trump",
    "putin",
    "summit",
    "alaska",
    "ukraine",
    "trumpputin",
    "trumps",
    "trump putin",
    "police",
    "trumpputin summit",
]


@pytest.fixture
def tag_editor(db):
    return UserFactory(
        username="tag-editor",
        is_staff=True,
        permissions=["tags.view_tag", "tags.change_tag", "tags.delete_tag"],
    )


# --- Normalisation and uniqueness --------------------------------------------------


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("  Osmark ", "Osmark"),
        ("harbour \t  summit", "harbour summit"),
        ("x", "x"),
        ("ferr\x00ies\u200b", "ferries"),
    ],
)
def test_names_are_trimmed_and_inner_spaces_collapsed(typed, stored):
    assert Tag.objects.create(name=typed).name == stored
    assert normalize_tag_name(normalize_tag_name(typed)) == stored


def test_names_are_unique_whatever_the_case():
    Tag.objects.create(name="Veltria")
    with pytest.raises(IntegrityError):
        Tag.objects.create(name="veltria")


def test_tagging_a_story_reuses_the_tag_whatever_the_case_or_spacing():
    first = ArticleFactory(tags=["Osmark"])
    second = ArticleFactory(tags=["osmark  ", "OSMARK"])

    assert Tag.objects.count() == 1
    assert list(second.tags.names()) == ["Osmark"]
    assert list(first.tags.all()) == list(second.tags.all())


def test_admin_refuses_a_tag_differing_only_in_spacing_or_a_merged_name(
    admin_client,
):
    TagFactory(name="osmark")
    survivor, merged = TagFactory(name="veltria"), TagFactory(name="veltrias")
    tag_merge(survivor=survivor, merged=[merged], by=UserFactory(is_superuser=True))
    add = reverse("admin:tags_tag_add")
    management = {
        f"{prefix}-{key}": "0"
        for prefix in ("aliases", "redirects")
        for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }

    spaced = admin_client.post(
        add, {"name": "  Osmark ", "slug": "osmark-2"} | management
    )
    alias = admin_client.post(
        add, {"name": "Veltrias", "slug": "veltrias"} | management
    )

    assert spaced.status_code == alias.status_code == 200
    assert "A tag with this name already exists" in spaced.content.decode()
    assert "was merged into “veltria”" in alias.content.decode()
    assert Tag.objects.count() == 2


def test_slug_stays_when_the_name_changes():
    tag = Tag.objects.create(name="harbour summit")
    tag.name = "Harbour Summit"
    tag.save()
    assert tag.slug == "harbour-summit"


# --- Near-duplicate detection ------------------------------------------------------


def test_detection_groups_exactly_the_reference_strips_duplicates():
    groups = sorted(sorted(group) for group in group_near_duplicates(REFERENCE_STRIP))
    assert groups == [["trump", "trumps"], ["trump putin", "trumpputin"]]


@pytest.mark.parametrize(
    "a, b",
    [
        ("trump putin", "Trump-Putin"),
        ("trumpputin", "TRUMP PUTIN"),
        ("trumps", "trump"),
        ("climates", "climate"),
        ("policies", "policy"),
        ("Veltria", "vetlria"),  # a swapped pair of letters
        ("harbour summit", "harbour sumit"),  # a dropped letter
        ("Zürich", "zurich"),
    ],
)
def test_near_duplicates_are_recognised(a, b):
    assert are_near_duplicates(a, b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("police", "alaska"),
        ("police", "polite"),
        ("putin", "trumpputin"),
        ("trumpputin", "trumpputin summit"),
        ("summit", "trumpputin summit"),
        ("news", "new"),
        ("ukraine", "alaska"),
    ],
)
def test_unrelated_tags_are_not_grouped(a, b):
    assert not are_near_duplicates(a, b)


def test_skeleton_ignores_case_spacing_punctuation_and_plurals():
    assert skeleton("Trump-Putin  Summits") == skeleton("trumpputin summit")


def test_admin_groups_come_from_the_database_with_story_counts():
    for name in REFERENCE_STRIP:
        TagFactory(name=name)
    ArticleFactory(published=True, tags=["trump", "trumps"])
    ArticleFactory(published=True, tags=["trump"])
    ArticleFactory(tags=["trumps"])  # a draft does not count

    groups = near_duplicate_groups()

    names = sorted(sorted(tag.name for tag in group) for group in groups)
    assert names == [["trump", "trumps"], ["trump putin", "trumpputin"]]
    trump_group = next(g for g in groups if g[0].name == "trump")
    assert [(tag.name, tag.story_count) for tag in trump_group] == [
        ("trump", 2),
        ("trumps", 1),
    ]


def test_near_duplicates_page_lists_groups_with_counts(admin_client):
    for name in REFERENCE_STRIP:
        TagFactory(name=name)
    ArticleFactory(published=True, tags=["trumpputin"])

    response = admin_client.get(reverse("admin:tags_tag_duplicates"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "trumpputin</a>, <a" in html
    assert "police" not in html


# --- Merging -----------------------------------------------------------------------


def test_merge_keeps_every_tagging_without_duplicates(tag_editor):
    survivor = TagFactory(name="harbour summit")
    spaced, glued = TagFactory(name="harbour-summit"), TagFactory(name="harboursummit")
    both = ArticleFactory(tags=[survivor, spaced])
    two_merged = ArticleFactory(tags=[spaced, glued])
    only_glued = ArticleFactory(tags=[glued, "ferries"])
    untouched = ArticleFactory(tags=["ferries"])

    moved = tag_merge(survivor=survivor, merged=[spaced, glued], by=tag_editor)

    assert moved == 2
    for story in (both, two_merged, only_glued):
        assert list(story.tags.filter(name__startswith="harbour")) == [survivor]
    assert list(untouched.tags.names()) == ["ferries"]
    assert list(only_glued.tags.order_by("name").values_list("name", flat=True)) == [
        "ferries",
        "harbour summit",
    ]
    assert TaggedArticle.objects.filter(tag=survivor).count() == 3
    assert not Tag.objects.filter(pk__in=[spaced.pk, glued.pk]).exists()


def test_merged_names_become_aliases_that_file_under_the_survivor(tag_editor):
    survivor, merged = TagFactory(name="veltria"), TagFactory(name="veltrias")
    tag_merge(survivor=survivor, merged=[merged], by=tag_editor)

    story = ArticleFactory(tags=["Veltrias"])

    assert list(story.tags.all()) == [survivor]
    assert TagAlias.objects.get().name == "veltrias"
    assert Tag.objects.count() == 1


def test_old_tag_address_redirects_permanently_to_the_survivor(client, tag_editor):
    survivor, merged = TagFactory(name="trump putin"), TagFactory(name="trumpputin")
    old_url = merged.get_absolute_url()
    tag_merge(survivor=survivor, merged=[merged], by=tag_editor)

    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()


def test_a_merge_into_a_tag_later_merged_again_still_redirects(client, tag_editor):
    first, second, third = (
        TagFactory(name=n) for n in ["trumps", "trump", "donald trump"]
    )
    tag_merge(survivor=second, merged=[first], by=tag_editor)
    tag_merge(survivor=third, merged=[second], by=tag_editor)

    assert client.get("/tags/trumps/")["Location"] == third.get_absolute_url()
    aliases = TagAlias.objects.values_list("name", "tag")
    assert set(aliases) == {("trumps", third.pk), ("trump", third.pk)}


def test_merge_is_atomic(tag_editor):
    survivor, merged = TagFactory(name="climate"), TagFactory(name="climates")
    story = ArticleFactory(tags=[merged])

    with (
        mock.patch.object(
            TagRedirect.objects, "bulk_create", side_effect=RuntimeError("disk full")
        ),
        pytest.raises(RuntimeError),
    ):
        tag_merge(survivor=survivor, merged=[merged], by=tag_editor)

    assert Tag.objects.filter(pk=merged.pk).exists()
    assert list(story.tags.all()) == [merged]
    assert not TagAlias.objects.exists()


def test_merge_needs_the_editor_permissions():
    journalist = UserFactory(is_staff=True, permissions=["tags.view_tag"])
    survivor, merged = TagFactory(name="climate"), TagFactory(name="climates")
    with pytest.raises(PermissionDenied, match="Only editors can merge tags"):
        tag_merge(survivor=survivor, merged=[merged], by=journalist)
    assert Tag.objects.count() == 2


def test_renaming_a_slug_keeps_the_old_address(admin_client, client):
    tag = TagFactory(name="heat wave", slug="heat-wave")
    url = reverse("admin:tags_tag_change", args=[tag.pk])

    admin_client.post(
        url,
        {
            "name": "Heatwave",
            "slug": "heatwave",
            "description": "",
            "strip_position": "",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "redirects-TOTAL_FORMS": "0",
            "redirects-INITIAL_FORMS": "0",
        },
    )

    tag.refresh_from_db()
    assert tag.slug == "heatwave"
    response = client.get("/tags/heat-wave/")
    assert response.status_code == 301
    assert response["Location"] == "/tags/heatwave/"


def test_merge_action_and_form_in_the_admin(admin_client):
    survivor, merged = TagFactory(name="chip makers"), TagFactory(name="chipmakers")
    story = ArticleFactory(tags=[merged])
    changelist = reverse("admin:tags_tag_changelist")

    chosen = admin_client.post(
        changelist,
        {"action": "merge_selected", "_selected_action": [survivor.pk, merged.pk]},
    )
    form = admin_client.get(chosen["Location"])
    done = admin_client.post(
        reverse("admin:tags_tag_merge"),
        {"tags": [survivor.pk, merged.pk], "survivor": survivor.pk},
        follow=True,
    )

    assert form.status_code == 200
    assert "chipmakers" in form.content.decode()
    assert "Merged 1 tag into “chip makers”; 1 stories moved." in done.content.decode()
    assert list(story.tags.all()) == [survivor]


def test_merge_form_refuses_a_survivor_outside_the_selection(admin_client):
    a, b, outsider = (TagFactory(name=n) for n in ["museums", "museum", "ferries"])

    response = admin_client.post(
        reverse("admin:tags_tag_merge"), {"tags": [a.pk, b.pk], "survivor": outsider.pk}
    )

    assert response.status_code == 200
    assert "Keep one of the tags being merged." in response.content.decode()
    assert Tag.objects.count() == 3


# --- Suggestions while authoring ---------------------------------------------------


def test_suggestions_put_existing_tags_first_with_counts():
    ArticleFactory(published=True, tags=["harbour summit"])
    ArticleFactory(published=True, tags=["harbour summit", "harbour fees"])
    TagFactory(name="harbour pilots")

    results = tag_suggestions(query="harb")

    assert [(r["name"], r["story_count"]) for r in results] == [
        ("harbour summit", 2),
        ("harbour fees", 1),
        ("harbour pilots", 0),
    ]


@pytest.mark.parametrize("typed", ["trumpputin", "Trump-Putin", "trump putins"])
def test_typing_a_near_duplicate_suggests_the_existing_tag(typed):
    ArticleFactory(published=True, tags=["trump putin"])
    TagFactory(name="police")

    results = tag_suggestions(query=typed)

    assert results[0]["name"] == "trump putin"
    assert "police" not in [r["name"] for r in results]


def test_typing_a_merged_name_suggests_the_survivor(admin_user):
    survivor, merged = TagFactory(name="veltria"), TagFactory(name="veltrianland")
    tag_merge(survivor=survivor, merged=[merged], by=admin_user)

    results = tag_suggestions(query="veltrianland")

    assert results == [{"name": "veltria", "story_count": 0, "reason": "alias"}]


@pytest.mark.parametrize("query", ["", "   ", "%", "_", "'", "\\", "x" * 500, "\x00"])
def test_odd_suggestion_queries_never_fail(admin_client, query):
    response = admin_client.get(reverse("admin:tags_tag_suggest"), {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_suggestions_are_for_staff_only(client):
    response = client.get(reverse("admin:tags_tag_suggest"), {"q": "harb"})
    assert response.status_code == 302


# --- Tag pages ---------------------------------------------------------------------


def test_tag_page_shows_description_and_newest_published_first(client):
    tag = TagFactory(name="ferries", description="Boats between the islands.")
    now = timezone.now()
    old = ArticleFactory(published=True, tags=[tag], published_at=now - timedelta(2))
    new = ArticleFactory(published=True, tags=[tag], published_at=now - timedelta(1))
    ArticleFactory(scheduled=True, tags=[tag])
    ArticleFactory(unpublished=True, tags=[tag])

    response = client.get(tag.get_absolute_url())

    assert "Boats between the islands." in response.content.decode()
    assert list(response.context["page"].object_list) == [new, old]


def test_unknown_tag_answers_404(client):
    assert client.get("/tags/no-such-tag/").status_code == 404


# --- Similar News ------------------------------------------------------------------


def test_one_rare_shared_tag_beats_one_very_common_shared_tag():
    story = ArticleFactory(published=True, tags=["politics", "amber strait"])
    for _ in range(10):
        ArticleFactory(published=True, tags=["politics"])
    rare = ArticleFactory(published=True, tags=["amber strait"], headline="Rare")
    common = ArticleFactory(published=True, tags=["politics"], headline="Common")
    # Same age for both, so only the tags decide.
    Article.objects.filter(pk__in=[rare.pk, common.pk]).update(
        published_at=timezone.now() - timedelta(hours=2)
    )

    ranked = list(Article.objects.published().similar_to(story, 20))

    assert ranked.index(rare) < ranked.index(common)
    assert ranked[0] == rare


def test_recency_and_section_break_ties():
    story = ArticleFactory(published=True, tags=["ferries"])
    now = timezone.now()
    older = ArticleFactory(
        published=True, tags=["ferries"], published_at=now - timedelta(days=20)
    )
    newer = ArticleFactory(
        published=True, tags=["ferries"], published_at=now - timedelta(hours=3)
    )
    same_section_old = ArticleFactory(
        published=True,
        tags=["ferries"],
        section=story.section,
        published_at=now - timedelta(days=20),
    )

    ranked = list(Article.objects.published().similar_to(story, 5))

    assert ranked == [newer, same_section_old, older]


def test_similar_news_never_shows_drafts_future_or_the_story_itself():
    story = ArticleFactory(published=True, tags=["ferries"])
    ArticleFactory(tags=["ferries"])
    ArticleFactory(scheduled=True, tags=["ferries"])
    ArticleFactory(unpublished=True, tags=["ferries"])
    visible = ArticleFactory(published=True, tags=["ferries"])

    assert list(Article.objects.published().similar_to(story, 10)) == [visible]


def _similar_queries(count: int) -> int:
    tags = [TagFactory(name=f"subject {n}") for n in range(8)]
    story = ArticleFactory(published=True, tags=tags[:4])
    now = timezone.now()
    stories = Article.objects.bulk_create(
        Article(
            headline=f"Story {n}",
            slug=f"bulk-{count}-{n}",
            section=story.section,
            status="published",
            published_at=now - timedelta(hours=n + 1),
            body="<p>Body</p>",
        )
        for n in range(count)
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=article, tag=tags[(n + k) % 8])
        for n, article in enumerate(stories)
        for k in range(3)
    )
    story = Article.objects.for_detail().get(pk=story.pk)
    with CaptureQueriesContext(connection) as queries:
        list(Article.objects.published().similar_to(story, 5))
    return len(queries)


def test_similar_news_queries_do_not_grow_with_stories():
    small = _similar_queries(20)
    large = _similar_queries(2000)
    assert small == large == 2


# --- Trending strip ----------------------------------------------------------------


def strip_names(client) -> list[str]:
    # The strip itself, not a whole page kept in the page cache.
    with override_settings(NEWSROOM_PAGE_CACHE=False):
        return [tag.name for tag in client.get("/").context["tags"]]


def test_strip_shows_pins_first_then_the_most_recent_subjects(client, settings):
    settings.NEWSROOM_TRENDING_TAGS = 4
    now = timezone.now()
    for hours in (1, 2, 3):
        ArticleFactory(
            published=True, tags=["ferries"], published_at=now - timedelta(hours=hours)
        )
    ArticleFactory(published=True, tags=["museums"], published_at=now - timedelta(2))
    ArticleFactory(published=True, tags=["glaciers"], published_at=now - timedelta(6))
    TagFactory(name="elections", strip_position=1)
    TagFactory(name="explainer", strip_position=2, is_hidden_from_strip=True)

    assert strip_names(client) == ["elections", "ferries", "museums", "glaciers"]


def test_recency_decay_ranks_a_fresh_story_above_an_old_one(client):
    now = timezone.now()
    ArticleFactory(published=True, tags=["old news"], published_at=now - timedelta(6))
    ArticleFactory(
        published=True, tags=["fresh"], published_at=now - timedelta(hours=1)
    )

    assert strip_names(client) == ["fresh", "old news"]


def test_strip_leaves_out_hidden_old_and_unpublished(client, settings):
    now = timezone.now()
    ArticleFactory(published=True, tags=["kept"])
    ArticleFactory(
        published=True, tags=[TagFactory(name="hidden", is_hidden_from_strip=True)]
    )
    ArticleFactory(published=True, tags=["ancient"], published_at=now - timedelta(30))
    ArticleFactory(tags=["draft only"])
    ArticleFactory(scheduled=True, tags=["scheduled only"])

    assert strip_names(client) == ["kept"]


def test_strip_shows_one_tag_per_near_duplicate_group(client):
    for _ in range(3):
        ArticleFactory(published=True, tags=["trump putin"])
    ArticleFactory(published=True, tags=["trumpputin", "alaska"])
    ArticleFactory(published=True, tags=["trumps"])
    ArticleFactory(published=True, tags=["trump", "police"])
    ArticleFactory(published=True, tags=["trump"])

    names = strip_names(client)

    assert "trump putin" in names and "trumpputin" not in names
    assert "trump" in names and "trumps" not in names
    assert {"alaska", "police"} <= set(names)


def test_strip_is_cached_and_refreshed_when_a_story_is_published(
    client, editor, django_capture_on_commit_callbacks
):
    ArticleFactory(published=True, tags=["ferries"])
    assert strip_names(client) == ["ferries"]

    story = ArticleFactory(tags=["glaciers"])
    assert strip_names(client) == ["ferries"]  # cached

    from articles.services import article_publish

    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=story, by=editor)
    assert "glaciers" in strip_names(client)


def _strip_queries(stories: int) -> int:
    from django.core.cache import cache

    from tags.services import trending_tags

    tags = [TagFactory(name=f"topic {stories} {n}") for n in range(30)]
    for n in range(stories):
        ArticleFactory(published=True, authors=[], tags=tags[n % 30 : n % 30 + 3])
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        trending_tags()
    with CaptureQueriesContext(connection) as warm:
        trending_tags()
    return len(cold), len(warm)


def test_strip_query_count_is_constant():
    assert _strip_queries(5) == _strip_queries(120) == (3, 0)
