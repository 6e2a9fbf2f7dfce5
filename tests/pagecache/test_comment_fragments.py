"""Each shown comment is a page-cache fragment: a thread page reads them in one
round trip, and a change re-renders exactly the comments that show it, for
logged-in readers (never page-cached) as much as for anonymous ones. What is
personal (actions, a reader's own comments awaiting review, the one reply
form) is added per request and never kept."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import ReaderProfile
from comments import rendering
from comments.models import Comment, CommentStatus
from comments.services import comment_edit, comment_post
from pagecache import store
from tests.comments.factories import CommentFactory, ReaderFactory
from tests.factories import ArticleFactory
from tests.pagecache.test_pagecache import approve_comment_on, boss, change, fetch

__all__ = ["boss", "change"]  # fixtures shared with the page-cache tests

pytestmark = pytest.mark.django_db


def named(display_name):
    """A reader with the display name shown on their comments."""
    user = ReaderFactory()
    ReaderProfile.objects.filter(user=user).update(display_name=display_name)
    user.refresh_from_db()
    return user


@pytest.fixture
def built(monkeypatch):
    """The comments whose shared HTML was rendered (not taken from the cache)."""
    rendered = []
    render = rendering.render_to_string

    def recording(template, context, *args, **kwargs):
        if template == rendering.SHOWN_TEMPLATE:
            rendered.append(context["comment"].pk)
        return render(template, context, *args, **kwargs)

    monkeypatch.setattr(rendering, "render_to_string", recording)
    return rendered


@pytest.fixture
def story():
    return ArticleFactory(published=True, headline="Harbour wall repaired")


@pytest.fixture
def thread(story):
    first = CommentFactory(article=story, body="The wall held in the storm.")
    reply = CommentFactory(article=story, parent=first, body="It did, barely.")
    second = CommentFactory(article=story, body="Who paid for the repair?")
    return first, reply, second


@pytest.fixture
def reader(client):
    client.force_login(named("Morag"))
    return client


def comment_html(page: str, comment) -> str:
    found = re.search(
        rf'<li class="comment[^"]*" id="comment-{comment.pk}">(.*?)</article>',
        page,
        flags=re.S,
    )
    assert found, f"comment {comment.pk} not on the page"
    return found.group(1)


def cache_reads(monkeypatch) -> list:
    """The names of every get_many on the shared cache from now on."""
    reads = []
    get_many = cache.get_many
    monkeypatch.setattr(
        store.cache, "get_many", lambda names: reads.append(names) or get_many(names)
    )
    return reads


def warm(client, built, url):
    page = fetch(client, url)
    fetch(client, url)
    built.clear()
    return page


def test_a_warm_thread_renders_no_comment_and_reads_them_in_one_round_trip(
    client, built, story, thread, monkeypatch
):
    """A reader with a comment of their own on the page (Edit and Delete on
    it) gets the comments' fragments, all in one round trip."""
    author = named("Morag")
    own = CommentFactory(article=story, author=author, body="Mine, editable.")
    thread = (*thread, own)
    reader = client
    reader.force_login(author)
    url = story.get_absolute_url()
    first = warm(reader, built, url)
    reads = cache_reads(monkeypatch)
    again = fetch(reader, url)
    assert built == []
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    for comment in thread:
        # Their own comment's Delete carries this request's CSRF token.
        assert token.sub("", comment_html(again, comment)) == token.sub(
            "", comment_html(first, comment)
        )
    assert "Mine, editable." in comment_html(again, own)
    assert "Edit" in comment_html(again, own)
    comment_reads = [
        names for names in reads if any("pc:fragment:comment:" in n for n in names)
    ]
    assert len(comment_reads) == 1
    entries = [n for n in comment_reads[0] if n.startswith("pc:fragment:comment:")]
    assert len([n for n in entries if not n.endswith(":checked")]) == len(thread)


def test_readers_who_wrote_none_of_the_page_share_one_kept_list(
    reader, built, story, thread, monkeypatch, change, boss
):
    """The first page's comment list with Reply and Report, as every reader
    sees it who wrote none of its comments, is one fragment: no comment is
    read or rendered for them, nothing personal is in it, and a new approved
    comment reaches it."""
    url = story.get_absolute_url()
    first = warm(reader, built, url)
    reads = cache_reads(monkeypatch)
    again = fetch(reader, url)
    assert built == []
    assert not [n for names in reads for n in names if "fragment:comment:" in n]
    assert all(comment_html(again, c) == comment_html(first, c) for c in thread)
    kept = cache.get(next(n for names in reads for n in names if "thread-reader:" in n))
    items = kept["value"]
    assert "Report" in items and "Reply" in items
    assert "csrfmiddlewaretoken" not in items
    assert "Edit" not in items
    # Another reader gets the same list; their own reply form and token.
    other = ReaderFactory()
    reader.force_login(other)
    theirs = fetch(reader, url)
    assert all(comment_html(theirs, c) == comment_html(first, c) for c in thread)
    assert 'id="reply-form"' in theirs
    with change():
        approve_comment_on(story, boss, body="A new voice on the wall.")
    assert "A new voice on the wall." in fetch(reader, url)


def test_anonymous_readers_share_the_fragments_with_logged_in_ones(
    client, built, story, thread, settings
):
    settings.NEWSROOM_PAGE_CACHE = False
    url = story.get_absolute_url()
    page = fetch(client, url)
    assert sorted(built) == sorted(c.pk for c in thread)
    built.clear()
    client.force_login(ReaderFactory())
    logged_in = fetch(client, url)
    assert built == []
    assert "The wall held in the storm." in page
    assert "The wall held in the storm." in logged_in


def test_an_edit_re_renders_only_that_comment(client, built, story, change):
    author = named("Ewan")
    edited = CommentFactory(article=story, author=author, body="Ferries run at 9.")
    other = CommentFactory(article=story, body="Thanks for the update.")
    client.force_login(author)
    url = story.get_absolute_url()
    warm(client, built, url)
    with change():
        comment_edit(comment=edited, by=author, body="Ferries run at 10.")
    page = fetch(client, url)
    assert built == [edited.pk]
    assert "Ferries run at 10." in comment_html(page, edited)
    assert "edited" in comment_html(page, edited)
    assert "Thanks for the update." in comment_html(page, other)


def test_an_approval_renders_only_the_new_comment(
    reader, built, story, thread, boss, change
):
    url = story.get_absolute_url()
    warm(reader, built, url)
    with change():
        approve_comment_on(story, boss, body="Approved just now.")
    page = fetch(reader, url)
    new = Comment.objects.get(body="Approved just now.")
    assert built == [new.pk]
    assert "Approved just now." in comment_html(page, new)


def test_a_reader_renamed_re_renders_only_their_comments(client, built, story, change):
    renamed = named("Old Name")
    theirs = CommentFactory(article=story, author=renamed)
    others = CommentFactory(article=story)
    url = story.get_absolute_url()
    client.force_login(ReaderFactory())
    warm(client, built, url)
    with change():
        renamed.reader.display_name = "New Name"
        renamed.reader.save()
    page = fetch(client, url)
    assert built == [theirs.pk]
    assert "New Name" in comment_html(page, theirs)
    assert "Old Name" not in page
    assert others.pk not in built


def test_a_deletion_shows_the_placeholder_at_once(client, built, story, change):
    author = ReaderFactory()
    parent = CommentFactory(article=story, author=author, body="Delete me later.")
    CommentFactory(article=story, parent=parent, body="A reply keeps it shown.")
    client.force_login(author)
    url = story.get_absolute_url()
    warm(client, built, url)
    with change():
        response = client.post(f"/comments/{parent.pk}/delete/")
    assert response.status_code == 302
    page = fetch(client, url)
    assert "This comment was deleted by its author." in comment_html(page, parent)
    assert "Delete me later." not in page


def test_a_comment_awaiting_review_is_its_authors_alone_and_never_kept(
    client, built, story, settings
):
    settings.NEWSROOM_COMMENTS_MODE = "premoderated"
    author = ReaderFactory()
    comment, _ = comment_post(article=story, author=author, body="Held for a look.")
    assert comment.status == CommentStatus.PENDING
    client.force_login(author)
    url = story.get_absolute_url()
    for _ in range(2):
        built.clear()
        page = fetch(client, url)
        assert built == [comment.pk]
        assert "Awaiting review — only you can see this" in page
    client.force_login(ReaderFactory())
    assert "Held for a look." not in fetch(client, url)
    client.logout()
    assert "Held for a look." not in fetch(client, url)


def test_actions_are_each_readers_own(client, story):
    mine_author = named("Iona")
    mine = CommentFactory(article=story, author=mine_author, body="Mine.")
    theirs = CommentFactory(article=story, body="Theirs.")
    url = story.get_absolute_url()

    anonymous = fetch(client, url)
    assert "comment__actions" not in anonymous
    assert 'id="reply-form"' not in anonymous

    client.force_login(mine_author)
    page = fetch(client, url)
    own, other = comment_html(page, mine), comment_html(page, theirs)
    assert f'href="/comments/{mine.pk}/edit/"' in own
    assert f'action="/comments/{mine.pk}/delete/"' in own
    assert "Report" not in own
    assert f'href="/comments/{theirs.pk}/report/"' in other
    assert "/edit/" not in other and "/delete/" not in other
    # One reply form for the whole page, whatever the number of comments.
    assert page.count('<textarea id="reply-body"') == 1
    assert page.count('class="comment__reply"') == 2
    assert f'href="/comments/{theirs.pk}/#reply"' in other


def test_no_reply_on_a_closed_thread(client, story):
    story.comments_mode = "closed"
    story.save()
    comment = CommentFactory(article=story)
    client.force_login(ReaderFactory())
    page = fetch(client, story.get_absolute_url())
    assert 'class="comment__reply"' not in comment_html(page, comment)
    assert 'id="reply-form"' not in page


def test_the_comment_page_has_the_reply_form_for_that_comment(client, thread):
    first, reply, _ = thread
    client.force_login(ReaderFactory())
    page = fetch(client, f"/comments/{first.pk}/")
    assert page.count('<textarea id="reply-body"') == 1
    assert f'name="parent" value="{first.pk}"' in page
    assert f"Reply to {first.author_name}" in page
    assert "It did, barely." in comment_html(page, reply)
    assert '<form method="post" action="/comments/story/' in page
    page = fetch(client, f"/comments/{reply.pk}/")
    assert f'href="/comments/{first.pk}/"' in page  # up to the comment it answers


def test_a_hostile_name_stays_text_in_the_reply_label(client, story):
    hostile = named('"><img src=x onerror=alert(1)>')
    comment = CommentFactory(article=story, author=hostile)
    client.force_login(ReaderFactory())
    page = fetch(client, story.get_absolute_url())
    html = comment_html(page, comment)
    assert "<img src=x" not in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    # reply.js puts the name into the label as text (textContent), from the
    # form's one template, never as HTML.
    assert page.count('data-label="Reply to {name}"') == 1


@pytest.fixture
def anonymous(client, settings):
    """An anonymous reader of a page the page cache does not keep (off here;
    in production: the first request after a change, or a cache purge)."""
    settings.NEWSROOM_PAGE_CACHE = False
    return client


def comment_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url)
    return len([q for q in queries if 'FROM "comments_comment"' in q["sql"]])


def test_anonymous_readers_first_thread_page_costs_no_comment_query_when_warm(
    anonymous, built, story, thread
):
    url = story.get_absolute_url()
    first = warm(anonymous, built, url)
    assert comment_queries(anonymous, url) == 0
    assert built == []
    again = fetch(anonymous, url)
    for comment in thread:
        assert comment_html(again, comment) == comment_html(first, comment)
    # Either order is kept; any other page of the thread is built each time.
    assert comment_queries(anonymous, url + "?corder=newest") > 0
    assert comment_queries(anonymous, url + "?corder=newest") == 0
    for crafted in ("?cpage=2", "?cpage=1e9", "?corder=%27--"):
        assert comment_queries(anonymous, url + crafted) > 0
        assert comment_queries(anonymous, url + crafted) > 0


def test_anonymous_thread_page_shows_each_change_at_once(
    anonymous, built, story, thread, boss, change
):
    url = story.get_absolute_url()
    warm(anonymous, built, url)
    first, reply, second = thread

    with change():
        approve_comment_on(story, boss, body="Approved just now.")
    page = fetch(anonymous, url)
    new = Comment.objects.get(body="Approved just now.")
    assert "Approved just now." in comment_html(page, new)
    assert built == [new.pk]

    with change():
        comment_edit(comment=reply, by=reply.author, body="It did, just.")
    assert "It did, just." in comment_html(fetch(anonymous, url), reply)

    profile = ReaderProfile.objects.get(user=second.author)
    with change():
        profile.display_name = "Renamed Reader"
        profile.save()
    assert "Renamed Reader" in comment_html(fetch(anonymous, url), second)

    with change():
        Comment.objects.filter(pk=first.pk).update(body="Changed behind its back.")
    # A change that no event announced is not shown: the fragment is kept.
    assert "Changed behind its back." not in fetch(anonymous, url)
