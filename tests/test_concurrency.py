"""Nothing is lost or doubled when people act at the same moment: readers
posting to one thread, double clicks, tag merges beside taggings, two editors
saving one story."""

import os
import threading
from functools import partial

import pytest
from django.db import connection

from comments.models import Comment, ModerationLog
from comments.services import comment_post
from tests.factories import ArticleFactory, UserFactory

POSTGRES = "postgres" in os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not POSTGRES,
        reason="row locks need PostgreSQL; SQLite runs one writer at a time",
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
