"""Anonymous readers' pages read from the replica; everyone else, every write
and a browser that has just sent a form use the primary."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import connections, router, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Section
from newsroom.replica import STICKY_COOKIE, ReplicaMiddleware, reads_from_replica
from tests.comments.factories import ReaderFactory
from tests.factories import ArticleFactory

# Committed rows, so the replica's own connection sees them.
pytestmark = pytest.mark.django_db(databases=["default", "replica"], transaction=True)


@pytest.fixture(autouse=True)
def replica_configured(settings):
    settings.NEWSROOM_READ_REPLICA = True
    # These tests count database reads; whole cached pages would need none.
    settings.NEWSROOM_PAGE_CACHE = False


@pytest.fixture
def story():
    return ArticleFactory(published=True, tags=["ferries"])


def queries_per_database(client, url, method="get"):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = getattr(client, method)(url)
    assert response.status_code == 200
    return {"primary": len(primary), "replica": len(replica)}


def test_anonymous_story_page_reads_from_the_replica(client, story):
    counts = queries_per_database(client, story.get_absolute_url())
    assert counts["replica"] > 0
    assert counts["primary"] == 0


def test_anonymous_head_request_reads_from_the_replica(client, story):
    counts = queries_per_database(client, story.get_absolute_url(), "head")
    assert counts["replica"] > 0
    assert counts["primary"] == 0


def test_staff_story_page_reads_only_from_the_primary(editor_client, story):
    counts = queries_per_database(editor_client, story.get_absolute_url())
    assert counts["replica"] == 0
    assert counts["primary"] > 0


def test_logged_in_readers_read_from_the_primary(client, story):
    client.force_login(ReaderFactory())
    counts = queries_per_database(client, story.get_absolute_url())
    assert (counts["replica"], counts["primary"] > 0) == (0, True)


def reads_replica(rf, path, *, in_transaction=False) -> bool:
    """Whether an anonymous GET for `path` would read from the replica."""
    seen = []

    def view(request):
        if in_transaction:
            with transaction.atomic():
                seen.append(reads_from_replica())
        else:
            seen.append(reads_from_replica())
        return HttpResponse()

    request = rf.get(path)
    request.user = AnonymousUser()
    ReplicaMiddleware(view)(request)
    return seen[0]


def test_admin_account_and_preview_pages_read_from_the_primary(rf):
    assert reads_replica(rf, "/news/")
    for path in ("/admin/login/", "/accounts/login/", "/preview/s/abc/"):
        assert not reads_replica(rf, path), path


def test_reads_inside_a_transaction_use_the_primary(rf):
    assert not reads_replica(rf, "/news/", in_transaction=True)


def test_after_sending_a_form_a_browser_reads_from_the_primary_for_a_while(
    client, story, settings
):
    settings.NEWSROOM_REPLICA_STICKY_SECONDS = 10
    with time_machine.travel(timezone.now(), tick=False) as clock:
        response = client.post(
            "/accounts/login/", {"username": "nobody", "password": "wrong"}
        )
        assert response.cookies[STICKY_COOKIE]["max-age"] == 10

        after_post = queries_per_database(client, story.get_absolute_url())
        clock.shift(timedelta(seconds=11))
        later = queries_per_database(client, story.get_absolute_url())

    assert after_post["replica"] == 0 and after_post["primary"] > 0
    assert later["replica"] > 0 and later["primary"] == 0


def test_a_request_that_writes_reads_its_own_writes_from_the_primary(rf):
    def view(request):
        Section.objects.exists()
        Section.objects.create(name="Harbour", slug="harbour")
        Section.objects.get(slug="harbour")
        return HttpResponse()

    request = rf.get("/harbour/")
    request.user = AnonymousUser()
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        ReplicaMiddleware(view)(request)

    assert len(replica) == 1
    assert [q["sql"].split()[0] for q in primary] == ["INSERT", "SELECT"]


def test_writes_and_migrations_only_ever_go_to_the_primary(rf, story):
    assert router.db_for_write(Section) == "default"
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica", "articles")


def test_without_a_replica_every_request_uses_the_primary(client, story, settings):
    settings.NEWSROOM_READ_REPLICA = False
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert STICKY_COOKIE not in response.cookies

    counts = queries_per_database(client, story.get_absolute_url())
    assert counts["replica"] == 0 and counts["primary"] > 0
