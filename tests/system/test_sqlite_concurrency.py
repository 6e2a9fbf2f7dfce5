"""The embedded SQLite database (the default without DATABASE_URL) takes
readers' comments posted at the same moment: none answers with an error,
none is lost or stored twice.

It makes its own database file, so it runs the same whether the suite's
database is SQLite or PostgreSQL.
"""

import json
import re
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse

from tests.servers import (
    ROOT,
    Browser,
    collectstatic,
    server_env,
    start_servers,
)

READERS, POSTS_PER_READER = 20, 3

# Run by `manage.py shell` against the new file: a live story, twenty readers
# with an approved comment each (so new ones go straight up) and a session
# for each, made with the server's own secret key.
SETUP = """
import json
from datetime import timedelta

from django.contrib.auth import (
    BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from articles.models import Article, Author, Byline, Section, Status
from comments.models import Comment, CommentStatus

section = Section.objects.create(name="News", slug="news")
author = Author.objects.create(name="Ada Lind", slug="ada-lind")
live = timezone.now() - timedelta(hours=1)
story, earlier = (
    Article.objects.create(
        headline=headline, dek="The council votes on Thursday.",
        body="<p>The toll pays for the tunnel's upkeep.</p>", section=section,
        status=Status.PUBLISHED, published_at=live,
    )
    for headline in ("Tunnel toll set at two euros", "Harbour talks resume")
)
for article in (story, earlier):
    Byline.objects.create(article=article, author=author, position=0)
sessions = {}
for n in range(%(readers)d):
    user = get_user_model().objects.create_user(f"reader-{n}")
    Comment.objects.create(
        article=earlier, author=user, body="Earlier.",
        status=CommentStatus.APPROVED,
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.AccountBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions[user.username] = session.session_key
print(json.dumps({
    "story_pk": story.pk, "story_url": story.get_absolute_url(),
    "sessions": sessions,
}))
"""


@pytest.fixture
def sqlite_site(tmp_path):
    """A migrated SQLite file of its own and a gunicorn on it: production
    settings, three workers of four threads, no Redis."""
    env = server_env(
        database="",
        static_root=tmp_path / "static",
        NEWSROOM_VAR_DIR=str(tmp_path / "var"),
        NEWSROOM_COMMENT_RATE_PER_IP="1000",
    )
    for name in ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL"):
        env.pop(name, None)
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    made = subprocess.run(
        [*manage, "shell", "-c", SETUP % {"readers": READERS}],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    collectstatic(env)
    (gunicorn,) = start_servers(env, tmp_path, 1, workers=3, threads=4)
    yield (
        gunicorn,
        json.loads(made.stdout.strip().splitlines()[-1]),
        tmp_path / "var" / "db.sqlite3",
    )
    gunicorn.stop()


def test_readers_commenting_at_once_on_sqlite_get_no_errors(sqlite_site):
    server, site, database = sqlite_site
    story_url = server.base + site["story_url"]
    post_url = server.base + reverse("comments:post", args=[site["story_pk"]])
    readers = []
    for username, session_key in site["sessions"].items():
        browser = Browser()
        browser.use_session(session_key)
        readers.append((username, browser))
    with ThreadPoolExecutor(READERS) as pool:
        tokens = list(pool.map(lambda reader: reader[1].csrf_token(story_url), readers))
    start = threading.Barrier(READERS)

    def comment(index: int) -> list[dict]:
        username, browser = readers[index]
        start.wait(timeout=60)
        posted = []
        for n in range(POSTS_PER_READER):
            body = f"{username}, comment {n}: how is the toll spent?"
            page = browser.post(
                post_url, {"body": body}, token=tokens[index], follow=False
            )
            found = re.search(r"#comment-(\d+)$", page.headers.get("Location", ""))
            posted.append(
                {"status": page.status, "body": body, "pk": found and int(found[1])}
            )
        return posted

    with ThreadPoolExecutor(READERS) as pool:
        posts = [post for mine in pool.map(comment, range(READERS)) for post in mine]

    errors = [post for post in posts if post["status"] != 302 or not post["pk"]]
    assert not errors, f"{len(errors)} of {len(posts)} failed: {errors[:5]}"
    assert "database is locked" not in server.output()
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        stored = db.execute(
            "SELECT body, id, status FROM comments_comment WHERE article_id = ?",
            (site["story_pk"],),
        ).fetchall()
    assert len(stored) == len(posts) == READERS * POSTS_PER_READER  # none twice
    assert {body: pk for body, pk, _ in stored} == {p["body"]: p["pk"] for p in posts}
    assert {status for _, _, status in stored} == {"approved"}
