"""Roles and transitions: who may submit, schedule, publish and withdraw which
story, checked in the workflow and through crafted admin POSTs."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import ArticleEvent, Status
from articles.services import article_transition
from articles.workflow import Action
from core.roles import EDITORS, JOURNALISTS
from tests.articles.staff import change_form, member, own_story
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


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
