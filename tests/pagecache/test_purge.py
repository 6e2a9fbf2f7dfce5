"""The CDN purge hook, against a small local endpoint that records purges."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from articles.services import article_publish
from pagecache import purge
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


class Recorder(BaseHTTPRequestHandler):
    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.received.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": dict(self.headers),
                "body": self.rfile.read(length).decode() if length else "",
            }
        )
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PURGE = do_POST = _record

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def publish_after_visits(client, django_capture_on_commit_callbacks):
    """Readers visit the front page and a story; then a new story goes out."""

    def run():
        editor = UserFactory(is_staff=True, is_superuser=True)
        seen = ArticleFactory(published=True)
        client.get("/")
        client.get(seen.get_absolute_url())
        story = ArticleFactory(section=seen.section)
        with django_capture_on_commit_callbacks(execute=True):
            article_publish(article=story, by=editor)
        return seen, story

    return run


def test_http_purge_sends_purge_for_every_page_showing_the_change(
    settings, cdn, publish_after_visits
):
    settings.NEWSROOM_PURGE_BACKEND = "http"
    settings.NEWSROOM_PURGE_URL = f"http://127.0.0.1:{cdn.server_port}"
    seen, story = publish_after_visits()
    purged = {(r["method"], r["path"]) for r in cdn.received}
    assert ("PURGE", "/") in purged
    # The story seen shares no tag with the new one: its page stays.
    assert ("PURGE", seen.get_absolute_url()) not in purged
    # The section page was never visited, so nothing of it is in any cache.
    assert ("PURGE", seen.section.get_absolute_url()) not in purged


def test_surrogate_key_purge_names_the_keys(settings, cdn, publish_after_visits):
    settings.NEWSROOM_PURGE_BACKEND = "surrogate"
    settings.NEWSROOM_PURGE_URL = f"http://127.0.0.1:{cdn.server_port}/purge"
    settings.NEWSROOM_PURGE_TOKEN = "cdn-token"
    seen, story = publish_after_visits()
    posts = [r for r in cdn.received if r["method"] == "POST"]
    assert posts and all(r["path"] == "/purge" for r in posts)
    assert posts[0]["headers"]["Authorization"] == "Bearer cdn-token"
    keys = set().union(*(json.loads(r["body"])["surrogate_keys"] for r in posts))
    assert {f"story-{story.pk}", "front", f"section-{story.section_id}"} <= keys


def test_no_backend_means_no_purge(settings, cdn, publish_after_visits):
    settings.NEWSROOM_PURGE_BACKEND = ""
    publish_after_visits()
    assert cdn.received == []


def test_a_cdn_that_does_not_answer_is_an_error_to_retry(settings):
    settings.NEWSROOM_PURGE_BACKEND = "http"
    settings.NEWSROOM_PURGE_URL = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(purge.PurgeFailed, match="PURGE http://127.0.0.1:9/"):
        purge.purge(keys=["front"], paths=["/"])
