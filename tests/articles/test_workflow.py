"""Roles, transitions, revisions, lost edits, previews, corrections, old URLs,
"Go deeper" and front-page curation."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import workflow
from articles.models import (
    Article,
    ArticleEvent,
    Correction,
    FrontPageSlot,
    RelatedLink,
    Status,
)
from articles.services import (
    article_correct,
    article_from_preview_token,
    article_preview_link,
    article_restore,
    article_transition,
)
from articles.workflow import Action
from core.roles import EDITORS, JOURNALISTS
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def member(group: str, username: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor_user():
    return member("Editors", "ed")


@pytest.fixture
def journalist_user():
    return member("Journalists", "jo")


def own_story(journalist, **kwargs):
    return ArticleFactory(created_by=journalist, **kwargs)


# --- Roles -------------------------------------------------------------------------


def test_roles_exist_with_their_permissions():
    journalists = Group.objects.get(name="Journalists")
    editors = Group.objects.get(name="Editors")
    journalist_perms = set(journalists.permissions.values_list("codename", flat=True))
    editor_perms = set(editors.permissions.values_list("codename", flat=True))

    assert {"add_article", "change_article", "view_article"} <= journalist_perms
    assert "publish_article" not in journalist_perms
    assert "add_correction" not in journalist_perms
    assert {"publish_article", "add_correction", "change_frontpageslot"} <= editor_perms
    assert journalist_perms < editor_perms
    # Every listed permission exists: none was silently skipped.
    assert len(journalist_perms) == len(JOURNALISTS)
    assert len(editor_perms) == len(set(EDITORS))


# --- Transitions -------------------------------------------------------------------

ALL_STATES = {
    "draft": {},
    "in_review": {"status": Status.IN_REVIEW},
    "live": {"published": True},
    "scheduled": {"scheduled": True},
    "unpublished": {"unpublished": True},
}

# (role, state, action) -> allowed. Journalists act on their own stories here.
EXPECTED = {
    ("journalist", "draft", Action.SUBMIT): True,
    ("journalist", "unpublished", Action.SUBMIT): True,
    ("journalist", "in_review", Action.RETURN): True,
    ("editor", "draft", Action.SUBMIT): True,
    ("editor", "unpublished", Action.SUBMIT): True,
    ("editor", "in_review", Action.RETURN): True,
    **{("editor", s, Action.PUBLISH): True for s in ALL_STATES},
    **{("editor", s, Action.SCHEDULE): True for s in ALL_STATES},
    ("editor", "live", Action.UNPUBLISH): True,
    ("editor", "scheduled", Action.UNPUBLISH): True,
}


@pytest.mark.parametrize("role", ["journalist", "editor"])
@pytest.mark.parametrize("state", list(ALL_STATES))
@pytest.mark.parametrize("action", list(Action))
def test_every_transition_for_each_role(
    role, state, action, journalist_user, editor_user
):
    user = journalist_user if role == "journalist" else editor_user
    story = own_story(journalist_user, **ALL_STATES[state])
    before = (story.status, story.published_at)
    at = timezone.now() + timedelta(days=1)
    allowed = EXPECTED.get((role, state, action), False)

    if allowed:
        after = article_transition(article=story, action=action, by=user, at=at)
        assert ArticleEvent.objects.filter(article=story, actor=user).exists()
        if action in {Action.PUBLISH, Action.SCHEDULE}:
            assert after.status == Status.PUBLISHED
            assert after.is_live == (action == Action.PUBLISH)
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            article_transition(article=story, action=action, by=user, at=at)
        story.refresh_from_db()
        assert (story.status, story.published_at) == before
        assert not ArticleEvent.objects.filter(article=story).exists()


def test_journalist_cannot_move_someone_elses_story(journalist_user):
    other = member("Journalists", "other")
    story = own_story(other)
    with pytest.raises(PermissionDenied, match="your own stories"):
        article_transition(article=story, action=Action.SUBMIT, by=journalist_user)


def test_byline_counts_as_ownership(journalist_user):
    author = AuthorFactory(user=journalist_user)
    story = ArticleFactory(authors=[author])
    article_transition(article=story, action=Action.SUBMIT, by=journalist_user)
    story.refresh_from_db()
    assert story.status == Status.IN_REVIEW


@pytest.mark.parametrize(
    "state, editable", [("draft", True), ("in_review", True), ("live", False)]
)
def test_journalists_edit_their_own_drafts_only(journalist_user, state, editable):
    mine = own_story(journalist_user, **ALL_STATES[state])
    theirs = own_story(member("Journalists", "someone"), **ALL_STATES[state])
    assert workflow.can_edit(journalist_user, mine) == editable
    assert not workflow.can_edit(journalist_user, theirs)


def test_scheduling_needs_a_future_time(editor_user):
    story = ArticleFactory()
    with pytest.raises(ValidationError, match="future"):
        article_transition(
            article=story,
            action=Action.SCHEDULE,
            by=editor_user,
            at=timezone.now() - timedelta(minutes=1),
        )


# --- Crafted POSTs to the admin ----------------------------------------------------


def change_form(story, **extra):
    data = {
        "headline": story.headline,
        "slug": story.slug,
        "dek": story.dek,
        "section": story.section_id,
        "body": story.body,
        "tags": "",
        "source_name": "",
        "source_url": "",
        "comments_mode": story.comments_mode,
        "loaded_version": story.edit_version,
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    for byline in story.bylines.all():
        n = int(data["bylines-TOTAL_FORMS"])
        data |= {
            f"bylines-{n}-id": byline.pk,
            f"bylines-{n}-article": story.pk,
            f"bylines-{n}-author": byline.author_id,
            f"bylines-{n}-position": byline.position,
        }
        data["bylines-TOTAL_FORMS"] = data["bylines-INITIAL_FORMS"] = str(n + 1)
    return data | extra


@pytest.mark.parametrize("button", ["_publish", "_schedule", "_unpublish"])
def test_journalist_crafted_editor_buttons_are_refused(client, journalist_user, button):
    story = own_story(journalist_user)
    client.force_login(journalist_user)
    url = reverse("admin:articles_article_change", args=[story.pk])
    future = timezone.localtime() + timedelta(days=1)

    response = client.post(
        url,
        change_form(
            story,
            go_live_at_0=future.strftime("%Y-%m-%d"),
            go_live_at_1=future.strftime("%H:%M:%S"),
            **{button: "x"},
        ),
        follow=True,
    )

    story.refresh_from_db()
    assert story.status == Status.DRAFT
    assert (
        "Only editors can publish, schedule or unpublish" in response.content.decode()
    )


def test_journalist_cannot_post_changes_to_a_live_story(client, journalist_user):
    story = own_story(journalist_user, published=True)
    client.force_login(journalist_user)

    response = client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        change_form(story, headline="Quietly rewritten"),
    )

    assert response.status_code == 403
    story.refresh_from_db()
    assert story.headline != "Quietly rewritten"


def test_journalist_submits_and_editor_schedules_through_the_admin(
    client, journalist_user, editor_user
):
    story = own_story(journalist_user)
    url = reverse("admin:articles_article_change", args=[story.pk])
    client.force_login(journalist_user)
    client.post(url, change_form(story, _submit="Submit"))
    story.refresh_from_db()
    assert story.status == Status.IN_REVIEW

    client.force_login(editor_user)
    go_live = timezone.localtime() + timedelta(hours=5)
    response = client.post(
        url,
        change_form(
            story,
            go_live_at_0=go_live.strftime("%Y-%m-%d"),
            go_live_at_1=go_live.strftime("%H:%M:%S"),
            _schedule="Schedule",
        ),
        follow=True,
    )

    story.refresh_from_db()
    assert story.is_scheduled
    assert "Scheduled: the story goes live at" in response.content.decode()
    actions = list(story.events.values_list("action", "actor__username"))
    assert ("submitted", "jo") in actions
    assert ("scheduled", "ed") in actions


def test_changelist_shows_scheduled_and_live(admin_client):
    ArticleFactory(scheduled=True, headline="Later story")
    ArticleFactory(published=True, headline="Now story")
    html = admin_client.get(reverse("admin:articles_article_changelist")).content
    assert b"Scheduled" in html and b"Live" in html


# --- Scheduled stories appear by themselves ----------------------------------------


def public_surfaces(client, story, section, tag) -> dict[str, bool]:
    """Where the story shows up for a reader, page by page."""
    pages = {
        "headlines": reverse("articles:headlines"),
        "section": section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": story.byline_authors[0].get_absolute_url(),
        "similar": ArticleFactory._meta.model.objects.exclude(pk=story.pk)
        .get(headline="Neighbour")
        .get_absolute_url(),
    }
    pages |= {
        "search": reverse("articles:search") + "?q=embargoed",
        "feed": reverse("feeds:latest"),
        "section feed": reverse("feeds:section", args=[section.slug]),
        "tag feed": reverse("feeds:tag", args=[tag.slug]),
        "news sitemap": "/news-sitemap.xml",
        "stories sitemap": "/sitemap-stories.xml",
    }
    found = {}
    for name, url in pages.items():
        from django.core.cache import cache

        cache.clear()
        html = client.get(url).content.decode()
        found[name] = (
            story.headline in html
            if "sitemap" not in name
            else story.get_absolute_url() in html
        )
    found["story page"] = client.get(story.get_absolute_url()).status_code == 200
    return found


def test_scheduled_story_goes_live_without_any_job(client, time_machine):
    section = SectionFactory()
    story = ArticleFactory(
        section=section,
        scheduled=True,
        headline="The embargoed story",
        tags=["embargo"],
    )
    ArticleFactory(
        section=section, published=True, headline="Neighbour", tags=["embargo"]
    )
    tag = story.tags.get()

    before = public_surfaces(client, story, section, tag)
    time_machine.move_to(story.published_at + timedelta(seconds=1))
    after = public_surfaces(client, story, section, tag)

    assert not any(before.values()), before
    assert all(after.values()), after


# --- Revisions ---------------------------------------------------------------------


def edit(client, story, **changes):
    story.refresh_from_db()
    url = reverse("admin:articles_article_change", args=[story.pk])
    return client.post(url, change_form(story, **changes, _continue="Save"))


def test_every_save_keeps_a_revision_and_the_diff_reads_well(admin_client):
    # A dek sharing no word with the new one (a random one sometimes did).
    story = ArticleFactory(
        headline="Ports reopen on Monday", dek="Harbour staff return after the strike."
    )
    edit(admin_client, story, headline="Ports reopen on Tuesday")
    edit(admin_client, story, dek="A new dek.")

    versions = Version.objects.get_for_object(story)
    assert versions.count() == 2
    newest, older = versions[0], versions[1]
    response = admin_client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"a": older.pk, "b": newest.pk},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<del>Monday</del>" not in html  # same headline in both
    first = Version.objects.get_for_object(story).last()
    response = admin_client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"a": first.pk, "b": newest.pk},
    )
    assert "<ins>A new dek.</ins>" in response.content.decode()


def test_diff_marks_removed_and_added_words(admin_client):
    story = ArticleFactory(headline="Ports reopen on Monday")
    edit(admin_client, story, headline="Ports reopen on Monday")
    edit(admin_client, story, headline="Ports reopen on Tuesday")
    newest, older = Version.objects.get_for_object(story)[:2]

    html = admin_client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"a": older.pk, "b": newest.pk},
    ).content.decode()

    assert "<del>Monday</del><ins>Tuesday</ins>" in html


def test_restore_brings_back_old_text_as_a_new_revision(admin_client, admin_user):
    story = ArticleFactory(headline="First headline", published=True)
    edit(admin_client, story, headline="First headline")
    edit(admin_client, story, headline="Second headline")
    first = Version.objects.get_for_object(story).last()

    response = admin_client.post(
        reverse("admin:articles_article_restore", args=[story.pk, first.pk]),
        follow=True,
    )

    story.refresh_from_db()
    assert story.headline == "First headline"
    assert story.status == Status.PUBLISHED  # workflow state is not restored
    assert Version.objects.get_for_object(story).count() == 3  # nothing lost
    assert "nothing was lost" in response.content.decode()
    assert story.events.filter(action="restored").exists()


def test_restore_brings_back_bylines_and_tags(admin_user):
    first_author, second_author = AuthorFactory(), AuthorFactory()
    story = ArticleFactory(authors=[first_author], tags=["ferries"])
    import reversion

    with reversion.create_revision():
        reversion.add_to_revision(story)
    old = Version.objects.get_for_object(story).first()
    story.bylines.update(author=second_author)
    story.tags.set(["glaciers"])

    article_restore(article=story, version=old, by=admin_user)

    story = Article.objects.for_detail().get(pk=story.pk)
    assert story.byline_authors == [first_author]
    assert [tag.name for tag in story.tag_list] == ["ferries"]


# --- No lost edits -----------------------------------------------------------------


def test_the_second_of_two_concurrent_saves_is_refused(client, editor_user):
    story = ArticleFactory(headline="Original", dek="Original dek")
    other = member("Editors", "other-editor")
    client.force_login(editor_user)
    loaded = change_form(story)  # both open the form now

    from django.test import Client

    other_client = Client()
    other_client.force_login(other)
    first = other_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        {**loaded, "headline": "Their headline", "_continue": "Save"},
    )
    assert first.status_code == 302

    second = client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        {
            **loaded,
            "initial-headline": "Original",
            "initial-dek": "Original dek",
            "initial-body": story.body,
            "initial-slug": story.slug,
            "initial-section": story.section_id,
            "dek": "My dek",
            "_continue": "Save",
        },
    )

    html = second.content.decode()
    assert second.status_code == 200
    assert "other-editor saved this story at" in html
    assert "They changed: Headline." in html
    story.refresh_from_db()
    assert (story.headline, story.dek) == ("Their headline", "Original dek")


def test_opening_a_story_others_have_open_names_them(client, editor_user):
    story = ArticleFactory()
    other = member("Editors", "Ines")
    from django.test import Client

    their_client = Client()
    their_client.force_login(other)
    their_client.get(reverse("admin:articles_article_change", args=[story.pk]))

    client.force_login(editor_user)
    html = client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()

    assert "Ines had this story open in the last few minutes." in html


def test_presence_expires_and_clears_on_leaving(client, editor_user, time_machine):
    story = ArticleFactory()
    other = member("Editors", "Ines")
    from django.test import Client

    their_client = Client()
    their_client.force_login(other)
    presence = reverse("admin:articles_article_presence", args=[story.pk])
    their_client.post(presence)
    client.force_login(editor_user)
    assert client.post(presence).json() == {"others": ["Ines"]}

    time_machine.move_to(timezone.now() + timedelta(minutes=10))
    assert client.post(presence).json() == {"others": []}

    their_client.post(presence)
    their_client.post(presence, {"leaving": "1"})
    assert client.post(presence).json() == {"others": []}


# --- Previews ----------------------------------------------------------------------


def test_staff_preview_renders_a_draft_as_the_public_page_would(client, editor_user):
    story = ArticleFactory(headline="Draft headline")
    client.force_login(editor_user)

    response = client.get(reverse("articles:preview", args=[story.pk]))

    assert response.status_code == 200
    assert "Draft headline" in response.content.decode()
    assert "Preview" in response.content.decode()
    assert response.templates[0].name == "articles/article_detail.html"
    assert "no-store" in response["Cache-Control"]


def test_readers_get_no_staff_preview(client):
    story = ArticleFactory()
    response = client.get(reverse("articles:preview", args=[story.pk]))
    assert response.status_code == 302  # to the login page
    assert "Draft" not in response.content.decode()


def test_signed_preview_link_valid_expired_and_tampered(client, editor_user, settings):
    settings.NEWSROOM_PREVIEW_LINK_HOURS = 2
    story = ArticleFactory(headline="For the lawyer")
    url, expires = article_preview_link(article=story, by=editor_user)

    valid = client.get(url)
    assert valid.status_code == 200
    assert "For the lawyer" in valid.content.decode()
    assert valid["X-Robots-Tag"] == "noindex, nofollow"
    assert story.events.filter(action="preview_link", actor=editor_user).exists()

    tampered = url.rstrip("/")[:-3] + "abc/"
    assert client.get(tampered).status_code == 404

    token = url.rstrip("/").rsplit("/", 1)[-1]
    with pytest.raises(signing.SignatureExpired):
        import time_machine as tm

        with tm.travel(expires + timedelta(minutes=1), tick=False):
            article_from_preview_token(token)
    with tm_travel(expires + timedelta(minutes=1)):
        expired = client.get(url)
    assert expired.status_code == 410
    assert "expired" in expired.content.decode()


def tm_travel(when):
    import time_machine

    return time_machine.travel(when, tick=False)


def test_journalists_cannot_make_preview_links(journalist_user):
    with pytest.raises(PermissionDenied):
        article_preview_link(article=ArticleFactory(), by=journalist_user)


# --- Corrections -------------------------------------------------------------------


def test_correction_shows_on_the_story_with_the_updated_time(client, editor_user):
    story = ArticleFactory(published=True)
    note = article_correct(
        article=story, kind="correction", text="The vote is on Friday.", by=editor_user
    )

    html = client.get(story.get_absolute_url()).content.decode()

    assert "The vote is on Friday." in html
    assert "Updated" in html
    seconds = timezone.localtime(note.created_at).isoformat(timespec="seconds")
    assert f'datetime="{seconds}"' in html
    assert story.events.filter(action="corrected", actor=editor_user).exists()


def test_corrections_are_for_editors_and_published_stories(
    journalist_user, editor_user
):
    with pytest.raises(PermissionDenied):
        article_correct(
            article=ArticleFactory(published=True),
            kind="update",
            text="x",
            by=journalist_user,
        )
    with pytest.raises(ValidationError):
        article_correct(
            article=ArticleFactory(), kind="update", text="x", by=editor_user
        )
    with pytest.raises(ValidationError):
        article_correct(
            article=ArticleFactory(published=True),
            kind="update",
            text="  ",
            by=editor_user,
        )
    assert not Correction.objects.exists()


def test_editor_adds_a_correction_in_the_admin(client, editor_user):
    story = ArticleFactory(published=True)
    client.force_login(editor_user)

    client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        change_form(
            story,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "update",
                "corrections-0-text": "Officials confirmed the date.",
                "_continue": "Save",
            },
        ),
    )

    note = story.corrections.get()
    assert (note.kind, note.created_by) == ("update", editor_user)


# --- Old addresses -----------------------------------------------------------------


def test_old_addresses_answer_301_after_slug_section_and_date_changes(
    admin_client, client
):
    world, business = SectionFactory(slug="world"), SectionFactory(slug="business")
    story = ArticleFactory(published=True, section=world, slug="first-slug")
    first_url = story.get_absolute_url()

    edit(admin_client, story, slug="second-slug")
    story.refresh_from_db()
    second_url = story.get_absolute_url()
    edit(admin_client, story, section=business.pk)
    story.refresh_from_db()
    Article.objects.filter(pk=story.pk).update(
        published_at=story.published_at - timedelta(days=3)
    )
    story.refresh_from_db()
    current = story.get_absolute_url()

    assert current.startswith("/business/")
    for old in (first_url, second_url):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == current
    assert client.get(current).status_code == 200


def test_old_slug_of_an_unpublished_story_is_not_found(admin_client, client):
    story = ArticleFactory(published=True, slug="old-one")
    old_url = story.get_absolute_url()
    edit(admin_client, story, slug="new-one")
    Article.objects.filter(pk=story.pk).update(status=Status.UNPUBLISHED)
    assert client.get(old_url).status_code == 404


# --- Go deeper ---------------------------------------------------------------------


def test_go_deeper_links_show_live_stories_only(client):
    story = ArticleFactory(published=True)
    live = ArticleFactory(published=True, headline="Background: the strait")
    draft = ArticleFactory(headline="Unfinished background")
    RelatedLink.objects.create(article=story, target=live, position=0)
    RelatedLink.objects.create(article=story, target=draft, position=1)

    html = client.get(story.get_absolute_url()).content.decode()

    assert '<strong class="lead-in">Go deeper:</strong>' in html
    assert "Background: the strait" in html
    assert "Unfinished background" not in html


# --- Front page --------------------------------------------------------------------


def test_editors_pick_the_lead_and_empty_slots_fall_back_to_newest(client, settings):
    settings.NEWSROOM_TOP_STORIES = 2
    now = timezone.now()
    old_pick = ArticleFactory(
        published=True, headline="Chosen lead", published_at=now - timedelta(days=3)
    )
    newest = ArticleFactory(published=True, published_at=now - timedelta(minutes=5))
    second = ArticleFactory(published=True, published_at=now - timedelta(hours=1))
    FrontPageSlot.objects.create(position=0, article=old_pick)
    expired = ArticleFactory(published=True, published_at=now - timedelta(days=5))
    FrontPageSlot.objects.create(
        position=2, article=expired, expires_at=now - timedelta(minutes=1)
    )

    response = client.get(reverse("articles:headlines"))

    assert response.context["lead"] == old_pick
    assert list(response.context["top_stories"]) == [newest, second]


def test_curated_story_that_is_withdrawn_leaves_the_front_page(client):
    pick = ArticleFactory(published=True, headline="Withdrawn pick")
    FrontPageSlot.objects.create(position=0, article=pick)
    Article.objects.filter(pk=pick.pk).update(status=Status.UNPUBLISHED)
    fallback = ArticleFactory(published=True)

    assert client.get("/").context["lead"] == fallback


def test_headlines_queries_do_not_grow_with_curated_slots(client, settings):
    settings.NEWSROOM_TOP_STORIES = 6

    def count():
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        return len(queries)

    for _ in range(8):
        ArticleFactory(published=True, authors=[AuthorFactory(), AuthorFactory()])
    none_curated = count()
    for position, story in enumerate(Article.objects.all()[:5]):
        FrontPageSlot.objects.create(position=position, article=story)
    curated = count()
    assert curated == none_curated
