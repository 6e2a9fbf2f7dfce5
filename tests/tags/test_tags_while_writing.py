"""Tags while writing: near-duplicates typed on a story are flagged with the
tag to use, refused on saving, suggested as their canonical tag, and kept
off the trending strip in pairs, pinned or not."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article
from tags.models import Tag
from tags.services import tag_merge, tag_suggestions, tag_typed_warnings
from tests.articles.test_workflow import change_form
from tests.factories import ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

FIVE_TRUMPS = ["trump", "trumps", "trump putin", "trumpputin", "trumpputin summit"]


def flags(names):
    return [(w.name, w.use, w.blocking) for w in tag_typed_warnings(names)]


# --- The check the widget and the story form share ---------------------------------


def test_the_five_trump_tags_are_flagged_down_to_one():
    assert flags(FIVE_TRUMPS) == [
        ("trumps", "trump", True),
        ("trumpputin", "trump putin", True),
        ("trump putin", "trump", False),
        ("trumpputin summit", "trump", False),
    ]


def test_a_new_spelling_of_an_existing_tag_names_the_tag_to_use():
    TagFactory(name="Trump")
    [warning] = tag_typed_warnings(["trumps"])
    assert warning.message == "“trumps” looks like the existing tag “Trump”."
    assert (warning.use, warning.blocking) == ("Trump", True)


def test_a_near_duplicate_of_a_merged_name_points_to_the_survivor(admin_user):
    survivor, merged = TagFactory(name="trump putin"), TagFactory(name="putintrump")
    tag_merge(survivor=survivor, merged=[merged], by=admin_user)

    [warning] = tag_typed_warnings(["putin-trumps"])

    assert warning.message == (
        "“putin-trumps” looks like “putintrump”, which was merged into “trump putin”."
    )
    assert warning.use == "trump putin"


def test_a_merged_name_itself_is_only_a_notice():
    survivor, merged = TagFactory(name="ferries"), TagFactory(name="ferry boats")
    tag_merge(survivor=survivor, merged=[merged], by=UserFactory(is_superuser=True))
    assert flags(["ferry boats"]) == [("ferry boats", "ferries", False)]


def test_distinct_tags_and_existing_tags_raise_nothing():
    TagFactory(name="police")
    assert flags(["police", "alaska", "ukraine", "polite", "summit"]) == []


def test_an_existing_tag_less_used_than_its_twin_gets_a_notice():
    ArticleFactory(published=True, tags=["trump"])
    ArticleFactory(published=True, tags=["trump"])
    TagFactory(name="trumps")
    assert flags(["trumps"]) == [("trumps", "trump", False)]


def test_hostile_input_is_checked_without_failing():
    assert tag_typed_warnings(["", " ", "%", "_", "\x00", "x" * 500, "'"]) == []
    # Only the first fifty names are checked: a pasted list costs no more.
    many = tag_typed_warnings([f"harbour {n}" for n in range(500)])
    assert {w.name for w in many} <= {f"harbour {n}" for n in range(50)}


def test_the_check_answers_staff_with_json(admin_client, client):
    url = reverse("admin:tags_tag_check")
    response = admin_client.get(url, {"names": "trump, trumps"})
    assert response.json()["warnings"] == [
        {
            "name": "trumps",
            "use": "trump",
            "message": "“trumps” looks like “trump”, also on this story.",
            "blocking": True,
        }
    ]
    assert admin_client.get(url, {"names": '"unclosed'}).status_code == 200
    assert client.get(url, {"names": "trump"}).status_code == 302


def test_the_check_stays_within_its_query_budget(
    admin_client, django_assert_max_num_queries
):
    for n in range(30):
        TagFactory(name=f"trump {n}")
    names = ", ".join(f"trump {n}s" for n in range(30))
    # Session, user, then the six queries of the check, whatever the count.
    with django_assert_max_num_queries(8):
        admin_client.get(reverse("admin:tags_tag_check"), {"names": names})


# --- Saving the story ---------------------------------------------------------------


def test_the_story_form_refuses_near_duplicates_and_makes_no_tag(admin_client):
    story = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[story.pk])

    response = admin_client.post(
        url, change_form(story, tags=", ".join(FIVE_TRUMPS), _continue="Save")
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["tags"]
    assert errors == [
        "“trumps” looks like “trump”, also on this story. Use “trump”.",
        "“trumpputin” looks like “trump putin”, also on this story. Use “trump putin”.",
    ]
    assert Tag.objects.count() == 0
    assert list(story.tags.all()) == []


def test_the_story_form_saves_once_the_canonical_tag_is_used(admin_client):
    TagFactory(name="Trump")
    story = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[story.pk])

    refused = admin_client.post(url, change_form(story, tags="trumps", _continue="S"))
    assert refused.context["adminform"].form.errors["tags"] == [
        "“trumps” looks like the existing tag “Trump”. Use “Trump”."
    ]
    saved = admin_client.post(url, change_form(story, tags="Trump", _continue="S"))

    assert saved.status_code == 302
    assert list(Article.objects.get(pk=story.pk).tags.names()) == ["Trump"]
    assert list(Tag.objects.values_list("name", flat=True)) == ["Trump"]


# --- Suggestions --------------------------------------------------------------------


def test_suggestions_list_the_canonical_tag_first_and_once():
    for _ in range(3):
        ArticleFactory(published=True, tags=["trump putin"])
    ArticleFactory(published=True, tags=["trumpputin"])

    results = tag_suggestions(query="trumpputin")

    assert [r["name"] for r in results] == ["trump putin"]
    assert results[0]["story_count"] == 3


def test_a_merged_name_suggests_its_survivor_before_anything_else(admin_user):
    ArticleFactory(published=True, tags=["trumpet"])
    survivor, merged = TagFactory(name="trump"), TagFactory(name="trumpist")
    tag_merge(survivor=survivor, merged=[merged], by=admin_user)

    assert [r["name"] for r in tag_suggestions(query="trumpist")] == ["trump"]


# --- Pinning and the strip ----------------------------------------------------------


def strip_names(client, settings):
    settings.NEWSROOM_PAGE_CACHE = False
    return [tag.name for tag in client.get("/").context["tags"]]


def test_two_pinned_near_duplicates_never_share_the_strip(client, settings):
    TagFactory(name="trump putin", strip_position=1)
    TagFactory(name="trumpputin", strip_position=2)
    TagFactory(name="alaska", strip_position=3)
    ArticleFactory(published=True, tags=["trump-putin"])

    assert strip_names(client, settings) == ["trump putin", "alaska"]


def test_pinning_a_near_duplicate_of_a_strip_tag_warns(admin_client):
    ArticleFactory(published=True, tags=["trump"])
    trumps = TagFactory(name="trumps")
    url = reverse("admin:tags_tag_change", args=[trumps.pk])
    form = {
        "name": "trumps",
        "slug": trumps.slug,
        "strip_position": "1",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "redirects-TOTAL_FORMS": "0",
        "redirects-INITIAL_FORMS": "0",
    }

    response = admin_client.post(url, form, follow=True)

    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert warnings == [
        "“trumps” looks like “trump”, already on the trending strip: the strip "
        "shows only one of them. Merge them on the Near-duplicates page to keep "
        "one tag.",
        f'The tag “<a href="{url}">trumps</a>” was changed successfully.',
    ]
    assert Tag.objects.get(pk=trumps.pk).strip_position == 1


def test_pinning_an_unrelated_tag_does_not_warn(admin_client):
    ArticleFactory(published=True, tags=["trump"])
    police = TagFactory(name="police")
    form = {
        "name": "police",
        "slug": police.slug,
        "strip_position": "1",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "redirects-TOTAL_FORMS": "0",
        "redirects-INITIAL_FORMS": "0",
    }
    response = admin_client.post(
        reverse("admin:tags_tag_change", args=[police.pk]), form, follow=True
    )
    assert not [
        m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"
    ]


# --- The tag admin's own messages -------------------------------------------------

TAG_FORM = {
    "aliases-TOTAL_FORMS": "0",
    "aliases-INITIAL_FORMS": "0",
    "redirects-TOTAL_FORMS": "0",
    "redirects-INITIAL_FORMS": "0",
}


def tag_admin_errors(admin_client, **data):
    response = admin_client.post(reverse("admin:tags_tag_add"), data | TAG_FORM)
    assert response.status_code == 200
    return response.context["adminform"].form.errors


def test_the_tag_admin_names_the_tag_that_has_the_name(admin_client):
    TagFactory(name="Trump")
    errors = tag_admin_errors(admin_client, name="trump", slug="other")
    assert errors == {
        "name": [
            "A tag with this name already exists (capitals don't count): "
            "“Trump”. Tag stories with it, or choose another name."
        ]
    }


def test_the_tag_admin_names_the_tag_that_has_the_address(admin_client):
    TagFactory(name="trump")
    errors = tag_admin_errors(admin_client, name="trumpet", slug="trump")
    assert errors == {
        "slug": ["The address /tags/trump/ belongs to “trump”; choose another."]
    }


def test_the_tag_admin_warns_about_a_near_duplicate_it_saves(admin_client):
    TagFactory(name="trump putin")
    response = admin_client.post(
        reverse("admin:tags_tag_add"),
        {"name": "Trump-Putin", "slug": "tp"} | TAG_FORM,
        follow=True,
    )
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown[0] == (
        "“Trump-Putin” looks like the existing tag “trump putin”. Saved anyway: "
        "if they are one subject, merge them on the Near-duplicates page."
    )
    assert Tag.objects.filter(name="Trump-Putin").exists()


@pytest.mark.parametrize(
    "name, broader, expected",
    [
        ("trump putin", "trump", True),
        ("trumpputin summit", "trump", True),
        ("trumpputin summit", "Trump-Putin", True),
        ("trumpet", "trump", False),
        ("trumps", "trump", False),
        ("trump", "trump putin", False),
        ("scotland", "scot", False),
        ("!!!", "", False),
    ],
)
def test_a_longer_tag_narrowing_another_is_recognised(name, broader, expected):
    from tags.similarity import narrows

    assert narrows(name, broader) is expected
