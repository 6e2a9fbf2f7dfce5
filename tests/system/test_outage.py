"""While the database is unreachable, readers and editors get a short 503
page, never a traceback; once it is back the same web processes serve again,
and nothing was left half-written."""

import logging
import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, ArticleEvent
from comments.models import Comment, ModerationLog
from comments.services import comment_post
from newsroom import outage
from tags.models import Tag, TagAlias, TaggedArticle, TagRedirect
from tags.services import tag_merge
from tests.articles.staff import change_form
from tests.factories import ArticleFactory, TagFactory, UserFactory
from tests.servers import (
    Browser,
    production_servers,
    run_prefix,
    wait_for_disconnections,
)

DATABASE_DOWN = (OperationalError, InterfaceError)
FRIENDLY = "We'll be back in a moment"
POSTGRES = "postgres" in os.environ.get("DATABASE_URL", "")
needs_postgres = pytest.mark.skipif(
    not POSTGRES, reason="cuts a real PostgreSQL connection (through a TCP proxy)"
)


@pytest.fixture(autouse=True)
def fresh_log_throttle(monkeypatch):
    monkeypatch.setattr(outage, "_throttle", outage._LogThrottle())


# --- The 503 page, with every query refused (any database) ----------------------------


def _refuse(execute, sql, params, many, context):
    raise OperationalError(
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
    )


@pytest.fixture
def database_down():
    with connection.execute_wrapper(_refuse):
        yield


def assert_back_soon(response):
    html = response.content.decode()
    assert response.status_code == 503
    assert FRIENDLY in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_every_kind_of_request_gets_the_503_page(client, admin_user, caplog):
    story = ArticleFactory(published=True)
    reader = Client()
    reader.force_login(UserFactory(username="reader"))
    editor = Client()
    editor.force_login(admin_user)
    story_url = story.get_absolute_url()
    change_url = reverse("admin:articles_article_change", args=[story.pk])
    changed = change_form(story, headline="Changed")

    with connection.execute_wrapper(_refuse), caplog.at_level(logging.INFO):
        responses = [
            client.get("/"),
            client.get(story_url),
            reader.get(story_url),  # fails loading the reader's session
            reader.post(reverse("comments:post", args=[story.pk]), {"body": "Hi"}),
            editor.get(change_url),
            editor.post(change_url, changed),
        ]

    for response in responses:
        assert_back_soon(response)
    assert 'href="/?' not in responses[0].content.decode()
    assert f'href="{story_url}"' in responses[1].content.decode()  # "Try again"
    assert "Try again" not in responses[3].content.decode()  # not for a POST
    # One line for the lot (besides the one-line-per-request log).
    logged = [r for r in caplog.records if r.name != "newsroom.requests"]
    assert [r.name for r in logged] == ["newsroom.outage"]
    assert logged[0].exc_info is None
    assert "Connection refused" in logged[0].getMessage()
    story.refresh_from_db()
    assert story.headline != "Changed"
    assert client.get("/").status_code == 200  # the 503 was not kept


@pytest.mark.django_db
def test_an_outage_is_logged_once_then_counted(
    client, database_down, caplog, monkeypatch
):
    with caplog.at_level(logging.INFO):
        client.get("/")
        client.get("/feeds/")
        client.get("/tags/")
        monkeypatch.setattr(outage, "LOG_EVERY_SECONDS", 0)  # time for a report
        client.get("/search/")

    lines = [r.getMessage() for r in caplog.records if r.name == "newsroom.outage"]
    assert len(lines) == 2
    assert lines[0].endswith("to GET /.")
    assert lines[1].endswith(
        "to GET /search/ and 2 more requests since the last report."
    )


@pytest.mark.django_db
def test_the_503_page_is_styled_and_names_the_site(client, database_down, settings):
    settings.NEWSROOM_SITE_NAME = "Cupure"
    html = client.get("/").content.decode()
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert 'class="masthead__logo"' in html and "Cupure" in html
    assert '<html lang="en-gb">' in html


@pytest.mark.django_db
def test_developers_see_the_real_error_when_debugging(client, database_down, settings):
    settings.DEBUG = True
    with pytest.raises(OperationalError):
        client.get("/")


# --- A TCP proxy that fails like a network -------------------------------------------


class DatabaseProxy:
    """Forwards a local port to PostgreSQL. `down()` drops every connection
    through it and leaves new ones unanswered, as a dead network or host does
    (or, with hang=False, closes them at once, as a stopped server does);
    `up()` lets connections through again."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self.listener.getsockname()[1]
        self._lock = threading.Lock()
        self._is_up = True
        self._hang = True
        self._open: set[socket.socket] = set()
        self._unanswered: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def down(self, *, hang: bool = True) -> None:
        with self._lock:
            self._is_up, self._hang = False, hang
            cut, self._open = self._open, set()
        _close(*cut)

    def up(self) -> None:
        with self._lock:
            self._is_up = True
            waiting, self._unanswered = self._unanswered, []
        _close(*waiting)

    def close(self) -> None:
        _close(self.listener)
        self.down()
        self.up()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return  # closed
            with self._lock:
                if not self._is_up and self._hang:
                    self._unanswered.append(client)
                    continue
                if not self._is_up:
                    _close(client)
                    continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._is_up:
                    self._open |= {client, upstream}
            if {client, upstream} - self._open:
                _close(client, upstream)  # went down meanwhile
                continue
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self._pump, args=(source, sink), daemon=True
                ).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        with self._lock:
            self._open -= {source, sink}
        _close(source, sink)


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        with suppress(OSError):  # not connected, or closed already
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


@pytest.fixture(scope="module")
def proxy(django_db_setup, django_db_blocker):
    if not POSTGRES:
        pytest.skip("cuts a real PostgreSQL connection (through a TCP proxy)")
    with django_db_blocker.unblock():
        database = connection.settings_dict
    proxy = DatabaseProxy(database["HOST"] or "127.0.0.1", int(database["PORT"]))
    yield proxy
    proxy.close()
    wait_for_disconnections(django_db_blocker)


# --- Cut in the middle of a write: all or nothing -----------------------------------


@contextmanager
def through(proxy: DatabaseProxy):
    """This thread's queries go through the proxy."""
    connection.close()
    direct = connection.settings_dict
    connection.settings_dict = direct | {"HOST": "127.0.0.1", "PORT": proxy.port}
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict = direct
        proxy.up()


def cut_before(proxy: DatabaseProxy, statement: str):
    """Stop the database just as `statement` is sent. (Django connects again
    straight after the failed rollback; refused, that costs no time.)"""

    def execute_or_cut(execute, sql, params, many, context):
        if sql.startswith(statement):
            proxy.down(hang=False)
        return execute(sql, params, many, context)

    return connection.execute_wrapper(execute_or_cut)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_comment_cut_off_midway_leaves_nothing(proxy):
    story = ArticleFactory(published=True)
    reader = UserFactory(username="first-time-reader")  # held, so logged

    with (
        through(proxy),
        cut_before(proxy, 'INSERT INTO "comments_moderationlog"'),
        pytest.raises(DATABASE_DOWN),
    ):
        comment_post(article=story, author=reader, body="Who pays for the tunnel?")

    assert not Comment.objects.exists()
    assert not ModerationLog.objects.exists()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_tag_merge_cut_off_midway_leaves_nothing(proxy):
    editor = UserFactory(is_superuser=True)
    survivor, merged = TagFactory(name="ferry"), TagFactory(name="ferries")
    stories = [ArticleFactory(tags=[merged]), ArticleFactory(tags=[merged, survivor])]
    before = set(TaggedArticle.objects.values_list("content_object", "tag"))

    with (
        through(proxy),
        cut_before(proxy, 'DELETE FROM "tags_tag"'),
        pytest.raises(DATABASE_DOWN),
    ):
        tag_merge(survivor=survivor, merged=[merged], by=editor)

    assert set(TaggedArticle.objects.values_list("content_object", "tag")) == before
    assert Tag.objects.count() == 2
    assert not TagAlias.objects.exists() and not TagRedirect.objects.exists()
    assert list(stories[0].tags.all()) == [merged]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_story_save_cut_off_midway_leaves_nothing(proxy, admin_user):
    story = ArticleFactory(headline="Tunnel opens", published=True)
    url = reverse("admin:articles_article_change", args=[story.pk])
    editor = Client()
    editor.force_login(admin_user)

    with through(proxy), cut_before(proxy, 'INSERT INTO "reversion_revision"'):
        response = editor.post(
            url, change_form(story, headline="Tunnel delayed", _continue="Save")
        )

    assert_back_soon(response)
    saved = Article.objects.get(pk=story.pk)
    assert (saved.headline, saved.edit_version) == ("Tunnel opens", story.edit_version)
    assert not Version.objects.get_for_object(story).exists()
    assert not ArticleEvent.objects.filter(article=story).exists()
    # The editor's next try, with the database back, goes through.
    response = editor.post(
        url, change_form(story, headline="Tunnel delayed", _continue="Save")
    )
    assert response.status_code == 302


# --- A real server through an outage ------------------------------------------------

CONNECT_TIMEOUT = 2


@pytest.fixture(scope="module")
def server(proxy, django_db_blocker, tmp_path_factory):
    """Gunicorn on the test database through the proxy, production settings.
    Each worker has a thread for every request the test sends at once (a
    worker may take them all), so none waits behind another."""
    with production_servers(
        django_db_blocker,
        tmp_path_factory.mktemp("server"),
        workers=2,
        threads=6,
        database_port=proxy.port,
        cache_prefix=run_prefix("outage"),
        DJANGO_DB_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
    ) as (gunicorn,):
        yield gunicorn


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_server_answers_503_while_the_database_is_away_then_recovers(proxy, server):
    base = server.base
    story = ArticleFactory(published=True, headline="Harbour tunnel opens")
    unvisited = ArticleFactory(published=True, headline="Night buses return")
    survivor, merged = TagFactory(name="ferry"), TagFactory(name="ferries")
    ArticleFactory(published=True, tags=[merged])
    reader, editor, visitor = Browser(), Browser(), Browser()
    reader.log_in(UserFactory(username="reader"))
    editor.log_in(UserFactory(username="chief", is_staff=True, is_superuser=True))

    for _ in range(3):  # as in test_scaleout: the third visit is a hit
        front = visitor.get(base + "/")
    assert (front.status, front.headers["X-Cache"]) == (200, "HIT")
    story_url = base + story.get_absolute_url()
    reader_token = reader.csrf_token(story_url)
    change_url = base + reverse("admin:articles_article_change", args=[story.pk])
    editor_token = editor.csrf_token(change_url)
    workers = server.worker_pids()
    assert len(workers) == 2

    proxy.down()
    attempts = {
        "reader's page": lambda: visitor.get(base + unvisited.get_absolute_url()),
        "logged-in page": lambda: reader.get(story_url),
        "comment": lambda: reader.post(
            base + reverse("comments:post", args=[story.pk]),
            {"body": "Is the tunnel toll-free?"},
            token=reader_token,
        ),
        "admin page": lambda: editor.get(change_url),
        "story save": lambda: editor.post(
            change_url,
            change_form(story, headline="Tunnel delayed", _continue="Save"),
            token=editor_token,
        ),
        "tag merge": lambda: editor.post(
            base + reverse("admin:tags_tag_merge"),
            {"tags": [survivor.pk, merged.pk], "survivor": survivor.pk},
            token=editor_token,
        ),
    }
    with ThreadPoolExecutor(len(attempts)) as pool:
        futures = {what: pool.submit(attempt) for what, attempt in attempts.items()}
        answers = {what: future.result() for what, future in futures.items()}
    cached_front = visitor.get(base + "/")
    proxy.up()

    for what, page in answers.items():
        assert page.status == 503, what
        assert FRIENDLY in page.text and "Traceback" not in page.text, what
        assert page.headers["Retry-After"] == "30", what
        assert page.headers["Cache-Control"] == "no-store", what
        # Within the connect timeout and a little.
        assert page.seconds < CONNECT_TIMEOUT + 1.5, (what, page.seconds)
    # Pages already in the shared cache are still served.
    assert (cached_front.status, cached_front.headers["X-Cache"]) == (200, "HIT")

    # Back: the same processes serve again, with no restart.
    pages = [visitor.get(base + unvisited.get_absolute_url()) for _ in range(6)]
    pages += [reader.get(story_url) for _ in range(6)]
    assert [page.status for page in pages] == [200] * 12
    assert "Night buses return" in pages[0].text
    assert server.worker_pids() == workers
    # Nothing sent during the outage was half-kept.
    assert not Comment.objects.exists()
    assert Article.objects.get(pk=story.pk).headline == "Harbour tunnel opens"
    assert Tag.objects.filter(pk=merged.pk).exists() and not TagAlias.objects.exists()
    log = server.output()
    assert "Traceback" not in log
    assert "Database unavailable, answering 503" in log
    print(  # noqa: T201 (the figures for the report, with -s)
        "time to 503:",
        {what: round(page.seconds, 2) for what, page in answers.items()},
    )
