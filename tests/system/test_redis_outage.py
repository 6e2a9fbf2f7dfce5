"""With Redis killed or hung, gunicorn (production settings) serves every page,
form, login and comment within a second, keeps limiting comment floods, and
saves an editor's story once with a redirect; /healthz stays instant and
/readyz names the cache. When Redis is back, the same processes use it again."""

import json
import os
import time
import uuid

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from comments.models import Comment
from tests.articles.staff import change_form
from tests.factories import ArticleFactory, AuthorFactory, TagFactory, UserFactory
from tests.servers import (
    Browser,
    RedisServer,
    production_servers,
    run_prefix,
)

PASSWORD = "a reader's long password"
COOLOFF = 2
# Comments a reader may post in a minute (production's default).
RATE_PER_ACCOUNT = 5

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="gunicorn shares the test database with the test",
    ),
]


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.kill()


@pytest.fixture(scope="module")
def site(redis_server, django_db_setup, django_db_blocker, tmp_path_factory):
    """One gunicorn, two workers of four threads, on our own Redis."""
    with production_servers(
        django_db_blocker,
        tmp_path_factory.mktemp("site"),
        workers=2,
        threads=4,
        redis_url=redis_server.url,
        cache_prefix=run_prefix("redis-outage"),
        NEWSROOM_CACHE_COOLOFF_SECONDS=str(COOLOFF),
        NEWSROOM_COMMENT_RATE_PER_ACCOUNT=str(RATE_PER_ACCOUNT),
    ) as (server,):
        yield server


@pytest.fixture
def redis(redis_server):
    """Redis answers at the start and at the end of every test."""
    yield redis_server
    redis_server.thaw()
    if redis_server.process.poll() is not None:
        redis_server.start()


@pytest.fixture
def newsroom(db):
    tag = TagFactory(name="harbour tunnel")
    author = AuthorFactory(name="Ada Quill")
    story = ArticleFactory(
        published=True, headline="Harbour tunnel opens", tags=[tag], authors=[author]
    )
    reader = UserFactory(username="reader")
    # The server checks passwords with the production hasher (and a salt it
    # does not ask to renew, which would hash the password a second time).
    hasher = PBKDF2PasswordHasher()
    reader.password = hasher.encode(PASSWORD, hasher.salt())
    reader.save()
    return {"story": story, "tag": tag, "author": author, "reader": reader}


def public_pages(newsroom) -> dict[str, str]:
    """Every kind of public page, and what a reader sees on it."""
    story = newsroom["story"]
    return {
        "/": "Harbour tunnel opens",
        story.get_absolute_url(): "Harbour tunnel opens",
        story.section.get_absolute_url(): "Harbour tunnel opens",
        newsroom["tag"].get_absolute_url(): "Harbour tunnel opens",
        newsroom["author"].get_absolute_url(): "Ada Quill",
        "/search/?q=tunnel": "Harbour tunnel opens",
        "/feeds/latest/rss/": "Harbour tunnel opens",
        "/sitemap.xml": "<sitemapindex",
        "/news-sitemap.xml": story.slug,
        reverse("accounts:login"): 'name="password"',
        reverse("accounts:signup"): 'name="display_name"',
    }


def assert_pages_answer(base: str, newsroom, *, within: float) -> None:
    visitor = Browser()
    for path, expected in public_pages(newsroom).items():
        page = visitor.get(base + path)
        assert page.status == 200, (path, page.status)
        assert expected in page.text, path
        assert page.seconds < within, (path, page.seconds)
        if path == "/":
            assert ">harbour tunnel</a>" in page.text  # the trending strip


def password_check_seconds() -> float:
    hasher = PBKDF2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    started = time.monotonic()
    hasher.verify(PASSWORD, encoded)
    return time.monotonic() - started


def assert_reader_logs_in(base: str, *, within: float) -> None:
    reader = Browser()
    login = base + reverse("accounts:login")
    page = reader.post(
        login,
        {"username": "reader", "password": PASSWORD},
        token=reader.csrf_token(login),
        follow=False,
    )
    assert page.status == 302, page.text[:500]
    # The production hasher's own time (PBKDF2, ~1M rounds) comes on top.
    assert page.seconds < within + password_check_seconds(), page.seconds
    account = reader.get(base + reverse("accounts:account"))
    assert account.status == 200 and "reader" in account.text


def post_comments(base: str, story, count: int, *, within: float) -> Browser:
    reader = Browser()
    reader.log_in(UserFactory(username=f"commenter-{uuid.uuid4().hex[:6]}"))
    story_url = base + story.get_absolute_url()
    token = reader.csrf_token(story_url)
    for n in range(count):
        page = reader.post(
            base + reverse("comments:post", args=[story.pk]),
            {"body": f"Will the tunnel be toll-free? ({n})"},
            token=token,
            follow=False,
        )
        assert page.status == 302, (n, page.status)
        assert page.seconds < within, (n, page.seconds)
    return reader


def errors_logged(log: str) -> list[str]:
    """Tracebacks and 5xx answers, but for /readyz saying why it is not ready."""
    errors = []
    for line in log.splitlines():
        try:
            record = json.loads(line)
        except ValueError:  # gunicorn's own lines: a worker timing out, say
            errors.append(line)
            continue
        if record.get("logger") == "newsroom.health" or record.get("path") == "/readyz":
            continue
        if "exception" in record or record.get("status", 200) >= 500:
            errors.append(line)
    return errors


def wait_for_hits(base: str, path: str) -> str:
    """The page cache keeps and serves pages again (after the cool-off)."""
    visitor = Browser()
    answers = []
    for _ in range(20):
        answers.append(visitor.get(base + path).headers["X-Cache"])
        if answers[-2:] == ["HIT", "HIT"]:
            return "HIT"
        time.sleep(0.5)
    return str(answers)


def test_redis_killed_every_page_login_and_comment_answers(site, redis, newsroom):
    base, story = site.base, newsroom["story"]
    assert wait_for_hits(base, "/") == "HIT"
    workers = site.worker_pids()

    redis.kill()
    assert_pages_answer(base, newsroom, within=1)
    assert_reader_logs_in(base, within=1)
    reader = post_comments(base, story, RATE_PER_ACCOUNT + 1, within=1)
    # The sixth in a minute is refused, and the reader is told why.
    page = reader.get(base + story.get_absolute_url())
    assert "You are commenting very fast" in page.text
    assert Comment.objects.filter(article=story).count() == RATE_PER_ACCOUNT
    ready = Browser().get(base + "/readyz")
    assert ready.status == 503 and "no-store" in ready.headers["Cache-Control"]
    assert '"cache": "error"' in ready.text

    redis.start()  # empty, on the same port
    assert wait_for_hits(base, story.get_absolute_url()) == "HIT"
    assert Browser().get(base + "/readyz").status == 200
    assert site.worker_pids() == workers  # nobody restarted
    log = site.output()
    assert errors_logged(log) == []
    # One line per worker for the outage, one for the recovery.
    assert 1 <= log.count("unreachable (ConnectionError") <= len(workers), log
    assert "reachable again" in log


def test_redis_hung_every_page_answers_and_probes_tell_apart(site, redis, newsroom):
    base, story = site.base, newsroom["story"]
    assert wait_for_hits(base, "/") == "HIT"

    redis.freeze()
    try:
        probe = Browser()
        lively = [probe.get(base + "/healthz") for _ in range(5)]
        ready = probe.get(base + "/readyz")
        assert_pages_answer(base, newsroom, within=1)
        assert_reader_logs_in(base, within=1)
        post_comments(base, story, 2, within=1)
        lively += [probe.get(base + "/healthz") for _ in range(5)]
    finally:
        redis.thaw()

    for page in lively:
        assert page.status == 200 and page.seconds < 0.5, page.seconds
    assert ready.status == 503 and ready.seconds < 2, ready.seconds
    assert '"cache": "error"' in ready.text and '"database": "ok"' in ready.text
    assert Comment.objects.filter(article=story).count() == 2
    # Thawed: pages are kept and served from the cache again.
    assert wait_for_hits(base, story.get_absolute_url()) == "HIT"
    assert errors_logged(site.output()) == []


def test_an_editor_save_with_redis_down_commits_once_and_redirects(
    site, redis, newsroom
):
    base, story = site.base, newsroom["story"]
    editor = Browser()
    editor.log_in(UserFactory(username="chief", is_staff=True, is_superuser=True))
    change_url = base + reverse("admin:articles_article_change", args=[story.pk])
    token = editor.csrf_token(change_url)
    versions = Version.objects.get_for_object(story).count()

    redis.kill()
    page = editor.post(
        change_url,
        change_form(story, headline="Harbour tunnel delayed", _save="Save"),
        token=token,
        follow=False,
    )
    assert page.status == 302, page.text[:2000]
    assert page.seconds < 1, page.seconds
    listing = editor.get(base + page.headers["Location"])
    assert listing.status == 200
    assert "was changed successfully" in listing.text
    saved = Article.objects.get(pk=story.pk)
    assert saved.headline == "Harbour tunnel delayed"
    assert saved.edit_version == story.edit_version + 1
    assert Version.objects.get_for_object(story).count() == versions + 1
    # Readers see the change at once: nothing kept the old page meanwhile.
    page = Browser().get(base + story.get_absolute_url())
    assert "Harbour tunnel delayed" in page.text
