"""Autosave: a per-person draft copy, never the story; offered back on reopening."""

import uuid
from datetime import timedelta

import pytest
import reversion
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from drafts.models import AutosaveDraft
from drafts.services import autosave_offer, autosave_store
from tests.factories import (
    ARTICLE_AUTHORING,
    EDITOR_PERMISSIONS,
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    UserFactory,
)
from tests.security.test_authorization_matrix import form_fields

pytestmark = pytest.mark.django_db

HOSTILE = '<p>Hello<script>alert(1)</script><img src=x onerror="alert(2)"></p>'


def autosave_url(story):
    return reverse("admin:articles_article_autosave", args=[story.pk])


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


@pytest.fixture
def own_story(journalist):
    with reversion.create_revision():
        story = ArticleFactory(created_by=journalist)
    return story


def story_row(story):
    return Article.objects.filter(pk=story.pk).values().get()


def test_autosave_keeps_one_copy_per_person_and_never_touches_the_story(
    journalist_client, journalist, own_story
):
    before = story_row(own_story)
    versions = Version.objects.get_for_object(own_story).count()

    for text in ["<p>First words</p>", "<p>First words, then more</p>"]:
        response = journalist_client.post(
            autosave_url(own_story),
            {"headline": "A new headline", "body": text, "base_version": "1"},
        )
        assert response.status_code == 200, response.content

    draft = AutosaveDraft.objects.get()
    assert (draft.user, draft.article, draft.base_version) == (
        journalist,
        own_story,
        1,
    )
    assert draft.fields == {
        "headline": "A new headline",
        "body": "<p>First words, then more</p>",
    }
    assert story_row(own_story) == before
    assert Version.objects.get_for_object(own_story).count() == versions
    # Nor is it on the public preview or in search: those read the story row.
    preview = journalist_client.get(reverse("articles:preview", args=[own_story.pk]))
    assert "then more" not in preview.content.decode()


def test_people_who_may_not_edit_get_403_and_nothing_is_stored(journalist, db):
    others = ArticleFactory(created_by=UserFactory())
    own_live = ArticleFactory(created_by=journalist, published=True)
    client = Client()
    client.force_login(journalist)
    for story in [others, own_live]:
        response = client.post(autosave_url(story), {"headline": "Mine now"})
        assert response.status_code == 403
    reader = Client()
    reader.force_login(UserFactory(username="reader"))
    response = reader.post(autosave_url(others), {"headline": "Mine now"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not AutosaveDraft.objects.exists()


def test_an_autosave_without_the_csrf_token_is_refused(journalist, own_story):
    client = Client(enforce_csrf_checks=True)
    client.force_login(journalist)
    response = client.post(autosave_url(own_story), {"headline": "Forged"})
    assert response.status_code == 403
    assert not AutosaveDraft.objects.exists()


def test_a_get_is_not_an_autosave(journalist_client, own_story):
    assert journalist_client.get(autosave_url(own_story)).status_code == 405
    assert not AutosaveDraft.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("x" * 600_000, 413, "Too long to autosave"),
        ("nul \x00 here", 400, "cannot be stored"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(
    journalist_client, own_story, body, status, message
):
    autosave_store(by=own_story.created_by, article=own_story, fields={"dek": "kept"})
    response = journalist_client.post(autosave_url(own_story), {"body": body})
    assert response.status_code == status
    assert message in response.json()["error"]
    assert AutosaveDraft.objects.get().fields == {"dek": "kept"}


def test_hostile_html_is_kept_as_data_and_cleaned_when_offered(
    journalist_client, journalist, own_story
):
    journalist_client.post(autosave_url(own_story), {"body": HOSTILE})
    assert AutosaveDraft.objects.get().fields["body"] == HOSTILE

    offer = autosave_offer(by=journalist, article=own_story)
    assert offer["values"]["body"] == "<p>Hello<img></p>"
    html = journalist_client.get(change_url(own_story)).content.decode()
    assert "<script>alert(1)" not in html
    assert "onerror" not in html


def test_the_offer_shows_what_differs_from_the_saved_story(
    journalist_client, journalist, own_story
):
    assert autosave_offer(by=journalist, article=own_story) is None
    autosave_store(
        by=journalist,
        article=own_story,
        fields={"headline": own_story.headline, "body": own_story.body},
        base_version=own_story.edit_version,
    )
    # Identical to the saved story: nothing to offer.
    assert autosave_offer(by=journalist, article=own_story) is None

    autosave_store(
        by=journalist,
        article=own_story,
        fields={"body": own_story.body.replace("Thursday", "Friday")},
        base_version=own_story.edit_version,
    )
    offer = autosave_offer(by=journalist, article=own_story)
    assert not offer["conflict"]
    assert [row["field"] for row in offer["rows"]] == ["Body"]
    assert "<del>Thursday.</del><ins>Friday.</ins>" in offer["rows"][0]["diff"]

    html = journalist_client.get(change_url(own_story)).content.decode()
    assert "You have autosaved changes that were never saved" in html
    assert ">Restore</button>" in html
    assert ">Discard</button>" in html
    assert "<ins>Friday.</ins>" in html
    # Someone else sees nothing of it.
    assert autosave_offer(by=UserFactory(is_superuser=True), article=own_story) is None


def test_someone_saving_in_between_gives_the_side_by_side_choice(
    journalist_client, journalist, editor, own_story
):
    autosave_store(
        by=journalist,
        article=own_story,
        fields={"dek": "My unsaved dek"},
        base_version=own_story.edit_version,
    )
    with reversion.create_revision():
        Article.objects.filter(pk=own_story.pk).update(
            dek="The editor's dek", edit_version=own_story.edit_version + 1
        )
        reversion.add_to_revision(Article.objects.get(pk=own_story.pk))
        reversion.set_user(editor)
    own_story.refresh_from_db()

    offer = autosave_offer(by=journalist, article=own_story)
    assert offer["conflict"]
    assert offer["saved_by"] == "editor"
    assert offer["rows"][0]["mine"] == "My unsaved dek"
    assert offer["rows"][0]["saved"] == "The editor's dek"
    html = journalist_client.get(change_url(own_story)).content.decode()
    assert "Someone saved this story after your autosave" in html
    assert "Use my autosaved copy" in html
    assert "Keep the saved story" in html
    # The editor's draft copy was never touched; the story keeps the editor's dek.
    assert Article.objects.get(pk=own_story.pk).dek == "The editor's dek"


def test_a_real_save_deletes_the_savers_copy_only(
    journalist_client, journalist, editor, own_story
):
    autosave_store(by=journalist, article=own_story, fields={"dek": "typed"})
    autosave_store(by=editor, article=own_story, fields={"dek": "editor typed"})
    page = journalist_client.get(change_url(own_story)).content.decode()
    data = form_fields(page) | {"dek": ["typed"], "_continue": ["1"]}

    response = journalist_client.post(change_url(own_story), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Article.objects.get(pk=own_story.pk).dek == "typed"
    assert list(AutosaveDraft.objects.values_list("user", flat=True)) == [editor.pk]


def test_a_stale_save_is_still_refused_and_the_copy_kept(
    journalist_client, journalist, own_story
):
    page = journalist_client.get(change_url(own_story)).content.decode()
    autosave_store(by=journalist, article=own_story, fields={"dek": "typed"})
    Article.objects.filter(pk=own_story.pk).update(edit_version=99)
    data = form_fields(page) | {"dek": ["typed"], "_continue": ["1"]}

    response = journalist_client.post(change_url(own_story), data)

    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert AutosaveDraft.objects.filter(user=journalist).exists()


def test_a_new_story_is_autosaved_under_its_key_and_recovered(
    journalist_client, journalist
):
    key = uuid.uuid4()
    url = reverse("admin:articles_article_autosave_new", args=[key])
    response = journalist_client.post(
        url, {"headline": "Ferry strike ends", "body": "<p>Half a sentence</p>"}
    )
    assert response.status_code == 200
    assert AutosaveDraft.objects.get().new_key == key

    html = journalist_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "You have an autosaved story that was never saved" in html
    assert f'data-new-key="{key}"' in html

    # Saving it for real (same headline) deletes the copy.
    section, author = SectionFactory(), AuthorFactory()
    page = journalist_client.get(reverse("admin:articles_article_add"))
    data = form_fields(page.content.decode()) | {
        "headline": ["Ferry strike ends"],
        "slug": ["ferry-strike-ends"],
        "section": [str(section.pk)],
        "bylines-0-author": [str(author.pk)],
        "body": ["<p>Half a sentence</p>"],
        "_continue": ["1"],
    }
    response = journalist_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not AutosaveDraft.objects.exists()


def test_someone_who_cannot_write_cannot_autosave_a_new_story(db):
    moderator = UserFactory(is_staff=True, permissions=["articles.view_article"])
    client = Client()
    client.force_login(moderator)
    url = reverse("admin:articles_article_autosave_new", args=[uuid.uuid4()])
    assert client.post(url, {"headline": "x"}).status_code == 403
    assert not AutosaveDraft.objects.exists()


def test_discard_deletes_the_copy(journalist_client, journalist, own_story):
    autosave_store(by=journalist, article=own_story, fields={"dek": "typed"})
    response = journalist_client.post(autosave_url(own_story), {"discard": "1"})
    assert response.json() == {"discarded": True}
    assert not AutosaveDraft.objects.exists()


def test_stale_copies_are_purged_after_the_setting(journalist, own_story, capsys):
    old = autosave_store(by=journalist, article=own_story, fields={"dek": "old"})
    AutosaveDraft.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - timedelta(days=31)
    )
    other = UserFactory(is_staff=True, permissions=ARTICLE_AUTHORING)
    autosave_store(by=other, article=None, fields={"dek": "new"}, new_key=uuid.uuid4())

    call_command("purge_autosaves")

    assert list(AutosaveDraft.objects.values_list("user", flat=True)) == [other.pk]
    assert "Deleted 1 autosaved drafts older than 30 days." in capsys.readouterr().out


def test_the_offer_costs_a_fixed_number_of_queries(
    journalist_client, journalist, own_story, django_assert_max_num_queries
):
    url = change_url(own_story)
    journalist_client.get(url)
    with CaptureQueriesContext(connection) as without:
        journalist_client.get(url)
    for n in range(20):
        user = UserFactory(is_staff=True, permissions=EDITOR_PERMISSIONS)
        autosave_store(by=user, article=own_story, fields={"dek": f"other {n}"})
    autosave_store(by=journalist, article=own_story, fields={"dek": "mine"})
    with django_assert_max_num_queries(len(without) + 2):
        journalist_client.get(url)


def test_typed_tags_are_autosaved_and_offered_when_they_differ(journalist, own_story):
    own_story.tags.add("ferries", "strait")
    autosave_store(
        by=journalist,
        article=own_story,
        fields={"tags": "strait,  ferries"},  # the same tags, typed another way
        base_version=own_story.edit_version,
    )
    assert autosave_offer(by=journalist, article=own_story) is None

    autosave_store(
        by=journalist,
        article=own_story,
        fields={"tags": "ferries, strait, island schools"},
        base_version=own_story.edit_version,
    )
    offer = autosave_offer(by=journalist, article=own_story)
    assert [row["field"] for row in offer["rows"]] == ["Tags"]
    assert offer["rows"][0]["mine"] == "ferries, island schools, strait"
    assert list(own_story.tags.names().order_by("name")) == ["ferries", "strait"]
