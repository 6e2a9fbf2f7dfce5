"""Reading a public page changes nothing: no row written, no invalidation
token or change count moved, no purge queued, whether the page cache is cold
(the trending strip worked out afresh) or warm (the page a hit).

A GET that invalidated would make every reader's visit stale every other
reader's cached pages (and purge the CDN); one that wrote rows would not
survive a read-only replica."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pagecache import keys
from pagecache.store import GENERATION, _version_key
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, AuthorFactory, TagFactory
from tests.pagecache.cdn import RECORDING, purged

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def site(settings):
    """A small site with one of everything a public page shows."""
    settings.NEWSROOM_PURGE_BACKEND = RECORDING
    settings.NEWSROOM_COMMENTS_PER_PAGE = 2
    ferry, harbour = TagFactory(name="ferry strike"), TagFactory(name="harbour")
    author = AuthorFactory()
    story = ArticleFactory(
        published=True, headline="Harbour ferries stay in port", authors=[author]
    )
    story.tags.add(ferry, harbour)
    ArticleFactory(published=True, section=story.section, tags=[ferry])
    ArticleFactory(scheduled=True, section=story.section)
    comments = [CommentFactory(article=story) for _ in range(3)]
    CommentFactory(article=story, parent=comments[0])
    purged.clear()
    return {
        "story": story,
        "author": author,
        "tag": ferry,
        "comment": comments[0],
    }


PAGES = {
    "headlines": lambda s: "/",
    "section": lambda s: s["story"].section.get_absolute_url(),
    "tag": lambda s: s["tag"].get_absolute_url(),
    "author": lambda s: s["author"].get_absolute_url(),
    "story": lambda s: s["story"].get_absolute_url(),
    "story thread page 2": lambda s: s["story"].get_absolute_url() + "?cpage=2",
    "comment permalink": lambda s: s["comment"].get_absolute_url(),
    "search": lambda s: "/search/?q=harbour+ferries",
    "latest feed": lambda s: "/feeds/latest/rss/",
    "tag feed": lambda s: f"/feeds/tag/{s['tag'].slug}/atom/",
    "sitemap index": lambda s: "/sitemap.xml",
    "stories sitemap": lambda s: "/sitemap-stories.xml",
    "news sitemap": lambda s: "/news-sitemap.xml",
    "robots": lambda s: "/robots.txt",
    "login": lambda s: "/accounts/login/",
    "sign-up": lambda s: "/accounts/signup/",
}

# Pages the page cache never keeps (personal, or not naming their keys).
NOT_KEPT = {"robots", "login", "sign-up"}


def every_key(site) -> list[str]:
    """The version-token keys of everything on the site."""
    from articles.models import Article, Author, Section
    from tags.models import Tag

    return [
        _version_key(key)
        for key in [
            keys.FRONT,
            keys.FEEDS,
            keys.SITEMAPS,
            keys.SEARCH,
            *keys.SITE_KEYS,
            *keys.many(keys.story, Article.objects.values_list("pk", flat=True)),
            *keys.many(keys.section, Section.objects.values_list("pk", flat=True)),
            *keys.many(keys.author, Author.objects.values_list("pk", flat=True)),
            *keys.many(keys.tag, Tag.objects.values_list("pk", flat=True)),
        ]
    ]


def invalidation_state(site) -> dict:
    return cache.get_many([GENERATION, *every_key(site)])


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
@pytest.mark.parametrize("page", PAGES)
def test_a_public_get_writes_nothing(
    client, site, page, warm, django_capture_on_commit_callbacks
):
    url = PAGES[page](site)
    # Some change happened before: tokens and a count exist to be moved on.
    with django_capture_on_commit_callbacks(execute=True):
        site["story"].save()
    cache.delete("tags:trending-strip")
    if warm:
        for _ in range(2):  # built and kept; then a hit
            client.get(url)
    before = invalidation_state(site)
    assert before[GENERATION]  # the test can see a count move
    purged.clear()

    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client.get(url)

    assert response.status_code == 200, (url, response.status_code)
    if warm and page not in NOT_KEPT:
        assert response["X-Cache"] == "HIT", url
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITES)
    ]
    assert writes == [], url
    assert callbacks == [], url  # nothing waits for a commit (no invalidation)
    assert invalidation_state(site) == before, url
    assert purged == [], url


def test_a_change_still_moves_the_count_and_purges(
    client, site, django_capture_on_commit_callbacks
):
    """The counterpart: the checks above see a change when there is one."""
    client.get(site["story"].get_absolute_url())
    before = invalidation_state(site)

    with django_capture_on_commit_callbacks(execute=True):
        site["story"].tags.remove(site["tag"])

    after = invalidation_state(site)
    assert after[GENERATION] != before.get(GENERATION)
    changed = {key for key in after if after[key] != before.get(key)}
    assert _version_key(keys.story(site["story"].pk)) in changed
    assert _version_key(keys.tag(site["tag"].pk)) in changed
    assert purged and keys.story(site["story"].pk) in purged[-1]
