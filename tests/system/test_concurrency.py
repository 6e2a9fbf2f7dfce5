"""Nothing is lost or doubled when people act at the same moment: readers
posting to one thread, double clicks, tag merges beside taggings, two editors
saving one story."""

import os
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.models import Comment, CommentStatus, ModerationLog
from comments.services import comment_post
from tags.models import Tag, TagAlias, TaggedArticle
from tags.services import tag_merge
from tests.articles.staff import change_form, member
from tests.factories import ArticleFactory, TagFactory, UserFactory
from tests.servers import (
    Browser,
    production_servers,
    run_prefix,
)

POSTGRES = "postgres" in os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not POSTGRES,
        reason="row locks and several web processes on one database need PostgreSQL",
    ),
]


def run_together(*calls) -> list:
    """Run each call in its own thread, so on its own database connection,
    all released at once; returns what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


# --- Comments -------------------------------------------------------------------------

REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")
CLIENTS, READERS, POSTS_PER_READER = 20, 100, 5
DOUBLE_CLICKERS = 10
# Every reader comes from 127.0.0.1 here: the network's limit is what refuses.
PER_IP = 460
# One rate window for the whole run however slow the machine: a day long.
RATE_WINDOW = 86_400
NETWORK_REFUSAL = "Many comments are coming from your network"


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    """Gunicorn, three workers of four threads, on the test database, with
    rate limits shared through Redis."""
    with production_servers(
        django_db_blocker,
        tmp_path_factory.mktemp("server"),
        workers=3,
        threads=4,
        redis_url=REDIS_URL,
        cache_prefix=run_prefix("concurrency"),
        NEWSROOM_COMMENT_RATE_PER_IP=str(PER_IP),
        NEWSROOM_COMMENT_RATE_WINDOW_SECONDS=str(RATE_WINDOW),
    ) as (gunicorn,):
        yield gunicorn


class Reader:
    def __init__(self, user, base: str, story):
        self.user, self.base, self.story = user, base, story
        self.browser = Browser()
        self.browser.log_in(user)
        self.token = ""

    def open_story(self) -> None:
        self.token = self.browser.csrf_token(self.base + self.story.get_absolute_url())

    def post(self, body: str) -> dict:
        """Post as a reader's browser would; follow a refusal to read why."""
        page = self.browser.post(
            self.base + reverse("comments:post", args=[self.story.pk]),
            {"body": body},
            token=self.token,
            follow=False,
        )
        posted = {"status": page.status, "body": body}
        location = page.headers.get("Location", "")
        if found := re.search(r"#comment-(\d+)$", location):
            posted["pk"] = int(found[1])
        elif location.endswith("#comments"):
            shown = self.browser.get(self.base + location.split("#")[0])
            posted["refusal"] = re.findall(
                r'messages__item--error">([^<]*)<', shown.text
            )
        return posted


def _window() -> int:
    """The rate limiter's current window (comments/services.py)."""
    return int(time.time() // RATE_WINDOW)


def test_readers_posting_to_one_story_at_once_lose_nothing(server):
    base = server.base
    story = ArticleFactory(published=True, headline="Tunnel toll set at two euros")
    earlier = ArticleFactory(published=True)
    users = [UserFactory(username=f"reader-{n}") for n in range(READERS)]
    clickers = [UserFactory(username=f"clicker-{n}") for n in range(DOUBLE_CLICKERS)]
    # Each has an approved comment already, so new ones go straight up.
    Comment.objects.bulk_create(
        Comment(
            article=earlier, author=user, body="Earlier.", status=CommentStatus.APPROVED
        )
        for user in users + clickers
    )
    visitor = Browser()
    for _ in range(3):  # the story page is in the shared cache from now on
        visitor.get(base + story.get_absolute_url())
    readers = [Reader(user, base, story) for user in users + clickers]
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(Reader.open_story, readers))
    readers, clickers = readers[:READERS], readers[READERS:]
    if time.time() % RATE_WINDOW > RATE_WINDOW - 300:  # counts are exact in one
        time.sleep(RATE_WINDOW + 0.5 - time.time() % RATE_WINDOW)
    started, window = time.monotonic(), _window()

    # Ten readers double-click: the same comment sent twice at once.
    double_clicks = run_together(
        *[partial(reader.post, f"{reader.user}: me too") for reader in clickers] * 2
    )

    # Twenty clients, each for five readers, post 500 comments.
    def client(number: int) -> list[dict]:
        mine = readers[number * READERS // CLIENTS : (number + 1) * READERS // CLIENTS]
        return [
            mine[n % len(mine)].post(f"Comment {number}-{n}: how is the toll spent?")
            for n in range(len(mine) * POSTS_PER_READER)
        ]

    with ThreadPoolExecutor(CLIENTS) as pool:
        posts = [post for posted in pool.map(client, range(CLIENTS)) for post in posted]
    seconds = time.monotonic() - started
    assert _window() == window, "the run spanned two rate windows"

    assert not [r for r in double_clicks if isinstance(r, Exception)], double_clicks
    assert {post["status"] for post in posts + double_clicks} == {302}  # no 5xx
    first, second = double_clicks[:DOUBLE_CLICKERS], double_clicks[DOUBLE_CLICKERS:]
    assert [post["pk"] for post in first] == [post["pk"] for post in second]

    accepted = [post for post in posts if "pk" in post]
    refused = [post for post in posts if "pk" not in post]
    assert (len(accepted), len(refused)) == (PER_IP - DOUBLE_CLICKERS, 50)
    for post in refused:
        assert post["refusal"] and NETWORK_REFUSAL in post["refusal"][-1], post

    stored = Comment.objects.filter(article=story)
    bodies = Counter(stored.values_list("body", flat=True))
    assert set(bodies.values()) == {1}  # each exactly once
    expected = {post["body"]: post["pk"] for post in accepted + first}
    assert dict(stored.values_list("body", "pk")) == expected
    assert not stored.exclude(status=CommentStatus.APPROVED).exists()
    # The kept count (database triggers) is exact too.
    story.refresh_from_db()
    assert story.comment_count == PER_IP == stored.count()
    page = visitor.get(base + story.get_absolute_url())
    assert f'<span class="comments__count">({PER_IP})</span>' in page.text
    assert "Traceback" not in server.output()
    print(  # noqa: T201 (the figures for the report, with -s)
        f"{len(posts) + len(double_clicks)} posts in {seconds:.1f} s: "
        f"{len(accepted)} + {DOUBLE_CLICKERS} stored, {len(refused)} refused, "
        f"{DOUBLE_CLICKERS} repeats recognised"
    )


def test_a_comment_sent_many_times_at_once_is_stored_once(settings):
    settings.NEWSROOM_COMMENT_RATE_PER_ACCOUNT = 100
    story = ArticleFactory(published=True)
    reader = UserFactory(username="double-clicker")

    results = run_together(
        *[
            partial(comment_post, article=story, author=reader, body="Me too!")
            for _ in range(8)
        ]
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert [created for _comment, created in results].count(True) == 1
    assert len({comment.pk for comment, _created in results}) == 1
    stored = Comment.objects.get(article=story)
    # Held (a first comment), with its log entry: the whole of one post.
    assert ModerationLog.objects.filter(comment=stored).count() == 1


# --- Tags -----------------------------------------------------------------------------


@pytest.fixture
def tag_editor():
    return UserFactory(
        username="tag-editor",
        is_staff=True,
        permissions=["tags.change_tag", "tags.delete_tag", "tags.view_tag"],
    )


def tag_story(story_pk: int, name: str) -> str:
    Article.objects.get(pk=story_pk).tags.add(name)
    return name


def test_merges_beside_taggings_lose_and_double_nothing(tag_editor):
    survivor = TagFactory(name="harbour")
    plural, typo = TagFactory(name="harbours"), TagFactory(name="habour")
    stories = [ArticleFactory(tags=[plural]) for _ in range(4)]
    stories += [ArticleFactory(tags=[typo]) for _ in range(4)]
    stories += [ArticleFactory(tags=[plural, typo]) for _ in range(2)]
    untagged = [ArticleFactory() for _ in range(6)]

    results = run_together(
        partial(tag_merge, survivor=survivor, merged=[plural], by=tag_editor),
        partial(tag_merge, survivor=survivor, merged=[typo], by=tag_editor),
        *[partial(tag_story, story.pk, "harbour") for story in stories[:3]],
        *[partial(tag_story, story.pk, "harbours") for story in untagged[:3]],
        *[partial(tag_story, story.pk, "habour") for story in untagged[3:]],
    )

    merges, with_survivor, with_merged = results[:2], results[2:5], results[5:]
    assert all(isinstance(moved, int) for moved in merges), merges
    assert with_survivor == ["harbour"] * 3
    # A tagging that named a tag as it was merged away is refused whole (the
    # tag is gone when it commits); sent again, it files under the survivor.
    for story, result in zip(untagged, with_merged, strict=True):
        if isinstance(result, IntegrityError):
            assert "tags_taggedarticle_tag_id" in str(result)
            tag_story(story.pk, "harbours")
        else:
            assert result in {"harbours", "habour"}, result
    assert list(Tag.objects.values_list("name", flat=True)) == ["harbour"]
    for story in stories + untagged:
        assert list(story.tags.values_list("name", flat=True)) == ["harbour"]
    assert TaggedArticle.objects.count() == len(stories + untagged)
    assert sorted(TagAlias.objects.values_list("name", flat=True)) == [
        "habour",
        "harbours",
    ]


def test_merges_in_opposite_directions_one_wins_the_other_is_refused(tag_editor):
    east, west = TagFactory(name="east harbour"), TagFactory(name="east harbor")
    both = ArticleFactory(tags=[east, west])

    results = run_together(
        partial(tag_merge, survivor=east, merged=[west], by=tag_editor),
        partial(tag_merge, survivor=west, merged=[east], by=tag_editor),
    )

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert "merged or deleted" in refused[0].messages[0]
    (left,) = Tag.objects.all()
    assert list(both.tags.all()) == [left]
    assert TagAlias.objects.get().tag == left


# --- Stories --------------------------------------------------------------------------


def _slow_story_saves(execute, sql, params, many, context):
    """Widen the gap between checking the version and writing the story, as a
    busy server would."""
    if sql.startswith('UPDATE "articles_article" SET "headline"'):
        time.sleep(0.3)
    return execute(sql, params, many, context)


def save_in_admin(user, url: str, data: dict):
    client = Client()
    client.force_login(user)
    with connection.execute_wrapper(_slow_story_saves):
        return client.post(url, data)


@pytest.mark.usefixtures("roles")
def test_two_editors_saving_the_same_version_one_wins_one_is_refused():
    story = ArticleFactory(headline="Ferries resume", dek="Original dek")
    opened = change_form(story, _continue="Save")  # both open the same version
    url = reverse("admin:articles_article_change", args=[story.pk])
    editors = [member("Editors", "ed"), member("Editors", "eve")]
    headlines = ["Ferries resume Monday", "Ferries resume Tuesday"]

    results = run_together(
        *[
            partial(save_in_admin, editor, url, opened | {"headline": headline})
            for editor, headline in zip(editors, headlines, strict=True)
        ]
    )

    assert sorted(response.status_code for response in results) == [200, 302]
    refused = next(response for response in results if response.status_code == 200)
    assert "saved this story at" in refused.content.decode()
    winner = results.index(next(r for r in results if r.status_code == 302))
    story.refresh_from_db()
    assert story.headline == headlines[winner]
    assert story.edit_version == opened["loaded_version"] + 1
