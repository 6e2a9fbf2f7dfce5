"""The live desk in the admin: an editor marks a story live, posts, edits,
pins, marks and deletes entries; a journalist's crafted POSTs are refused
and change nothing; the entry list costs the same at 10 and 10,000 entries."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Byline
from live.models import LiveCoverage, LiveEntry
from tests.factories import ArticleFactory, AuthorFactory
from tests.live.factories import LiveCoverageFactory, LiveEntryFactory

pytestmark = pytest.mark.django_db


def desk(story):
    return reverse("admin:live_livecoverage_desk", args=[story.pk])


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_story_change_page_links_to_the_live_desk(editor_client):
    story = ArticleFactory(published=True)
    page = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert desk(story) in page.content.decode()


def test_an_editor_marks_a_story_live_posts_and_ends_it(editor_client, editor):
    story = ArticleFactory(published=True)
    page = editor_client.get(desk(story)).content.decode()
    assert "This story has no live coverage." in page and "Mark live" in page

    response = editor_client.post(desk(story), {"action": "start"})
    assert response.status_code == 302
    assert "Live coverage started" in said(response)[0]
    coverage = LiveCoverage.objects.get(story=story)
    assert coverage.is_live and not coverage.journalists_may_post

    page = editor_client.get(desk(story)).content.decode()
    assert 'value="post"' in page and "Ctrl+Enter" in page
    response = editor_client.post(
        desk(story),
        {"action": "post", "body": "<p>Ferries cancelled.</p>", "is_key_event": "on"},
    )
    assert said(response) == ["Entry posted."]
    entry = coverage.entries.get()
    assert entry.body == "<p>Ferries cancelled.</p>" and entry.is_key_event
    assert entry.author == editor
    page = editor_client.get(desk(story)).content.decode()
    assert "Ferries cancelled." in page and "Key event" in page

    editor_client.post(desk(story), {"action": "end"})
    coverage.refresh_from_db()
    assert coverage.has_ended
    page = editor_client.get(desk(story)).content.decode()
    assert "Coverage ended" in page and 'value="post"' not in page


def test_an_editor_edits_pins_marks_and_deletes_entries(editor_client):
    entry = LiveEntryFactory(body="<p>Wall holds.</p>")
    story = entry.coverage.story
    form = editor_client.get(desk(story), {"edit": entry.pk}).content.decode()
    assert "Edit the entry of" in form and "Wall holds." in form

    response = editor_client.post(
        f"{desk(story)}?edit={entry.pk}",
        {"action": "edit", "entry": entry.pk, "edit-body": "<p>Wall holds, just.</p>"},
    )
    assert said(response) == ["Entry updated. Readers see “Updated”."]
    for action, check in [
        ("pin", lambda e: e.is_pinned),
        ("key", lambda e: e.is_key_event),
        ("unpin", lambda e: not e.is_pinned),
        ("unkey", lambda e: not e.is_key_event),
    ]:
        editor_client.post(desk(story), {"action": action, "entry": entry.pk})
        entry.refresh_from_db()
        assert check(entry), action
    assert entry.body == "<p>Wall holds, just.</p>" and entry.edited_at

    editor_client.post(desk(story), {"action": "delete", "entry": entry.pk})
    assert not LiveEntry.objects.exists()


def test_an_empty_entry_gets_a_message_and_is_not_posted(editor_client):
    coverage = LiveCoverageFactory()
    empty = editor_client.post(desk(coverage.story), {"action": "post", "body": ""})
    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()

    scripted = editor_client.post(
        desk(coverage.story),
        {"action": "post", "body": "<p><script>alert(1)</script></p>"},
    )
    assert said(scripted) == ["Write something before posting."]
    assert not coverage.entries.exists()


def test_a_journalists_crafted_posts_on_a_story_not_theirs_change_nothing(
    journalist_client,
):
    coverage = LiveCoverageFactory(journalists_may_post=True)
    entry = LiveEntryFactory(coverage=coverage, body="<p>Editor's entry.</p>")
    story = coverage.story
    page = journalist_client.get(desk(story)).content.decode()
    assert "You cannot post" in page and 'value="delete"' not in page

    for data in [
        {"action": "post", "body": "<p>Sneaked in.</p>"},
        {"action": "edit", "entry": entry.pk, "edit-body": "<p>Rewritten.</p>"},
        {"action": "delete", "entry": entry.pk},
        {"action": "pin", "entry": entry.pk},
        {"action": "key", "entry": entry.pk},
        {"action": "end"},
        {"action": "close"},
    ]:
        response = journalist_client.post(desk(story), data)
        assert response.status_code == 302, data
        assert said(response), data  # a message says why
    entry.refresh_from_db()
    assert list(coverage.entries.all()) == [entry]
    assert entry.body == "<p>Editor's entry.</p>"
    assert not entry.is_pinned and not entry.is_key_event
    coverage.refresh_from_db()
    assert coverage.is_live and coverage.journalists_may_post


def test_a_journalist_may_not_post_on_their_own_story_until_an_editor_allows(
    journalist_client, journalist, editor
):
    story = ArticleFactory(published=True)
    Byline.objects.create(
        article=story, author=AuthorFactory(user=journalist), position=1
    )
    coverage = LiveCoverageFactory(story=story)
    response = journalist_client.post(
        desk(story), {"action": "post", "body": "<p>Mine.</p>"}
    )
    assert "Only editors can post" in said(response)[0]
    assert not coverage.entries.exists()

    coverage.journalists_may_post = True
    coverage.save()
    journalist_client.post(desk(story), {"action": "post", "body": "<p>Mine.</p>"})
    assert coverage.entries.get().author == journalist


@pytest.mark.parametrize(
    "data",
    [
        {"action": "explode"},
        {},
        {"action": "pin", "entry": "abc"},
        {"action": "pin", "entry": "999999999"},
        {"action": "delete", "entry": "1\x00"},
    ],
)
def test_hand_made_buttons_get_a_message_and_change_nothing(editor_client, data):
    entry = LiveEntryFactory()
    response = editor_client.post(desk(entry.coverage.story), data)
    assert response.status_code == 302 and said(response)
    entry.refresh_from_db()
    assert not entry.is_pinned


def test_odd_addresses_answer_without_errors(editor_client):
    entry = LiveEntryFactory()
    url = desk(entry.coverage.story)
    for query in ({"before": "x"}, {"edit": "-1"}, {"before": "9" * 30}):
        assert editor_client.get(url, query).status_code == 200
    assert editor_client.get(reverse("admin:live_livecoverage_desk", args=[10**9]))
    assert (
        editor_client.get(
            reverse("admin:live_livecoverage_desk", args=[10**9])
        ).status_code
        == 404
    )


def test_the_coverage_list_links_to_each_desk(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "b@example.com", "x")
    client.force_login(boss)
    coverage = LiveCoverageFactory()
    response = client.get(reverse("admin:live_livecoverage_changelist"))
    assert response.status_code == 200
    assert desk(coverage.story) in response.content.decode()
    for huge in ("9" * 40, "1\x00"):
        url = f"/admin/live/livecoverage/{huge}/change/"
        assert client.get(url).status_code in {302, 404}


def entries(coverage, count):
    LiveEntry.objects.bulk_create(
        LiveEntry(coverage=coverage, body=f"<p>Update {n}.</p>", is_pinned=n % 97 == 0)
        for n in range(count)
    )


def desk_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_desk_costs_the_same_at_10_and_10000_entries(editor_client):
    few, many = LiveCoverageFactory(), LiveCoverageFactory()
    entries(few, 10)
    entries(many, 10_000)
    small, _ = desk_queries(editor_client, desk(few.story))
    large, page = desk_queries(editor_client, desk(many.story))
    assert large == small
    assert large <= 12
    assert "Update 9999." in page and "Older entries" in page
    older = many.entries.order_by("-pk")[19].pk
    deep, page = desk_queries(editor_client, f"{desk(many.story)}?before={older}")
    assert deep == small and "Update 9979." in page and "Update 9980." not in page
