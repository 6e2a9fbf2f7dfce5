"""Every public page issues the same number of queries whatever the data size."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import CommentStatus
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

# With a cold cache: the trending strip costs up to 3 of these and the page
# cache's next go-live time 1; when cached, none. The story page also asks
# whether the story has live coverage, and reads its Similar News stories
# whole for their cards (both kept as fragments after that).
BUDGET = {"headlines": 13, "section": 10, "story": 16, "author": 10, "tag": 10}


def build_newsroom(stories: int):
    sections = [SectionFactory(slug=f"desk-{n}") for n in range(4)]
    authors = [AuthorFactory() for _ in range(6)]
    tags = [TagFactory(name=f"topic {n}") for n in range(12)]
    now = timezone.now()
    for n in range(stories):
        ArticleFactory(
            section=sections[n % 4],
            published=True,
            published_at=now - timedelta(hours=n + 1),
            authors=[authors[n % 6], authors[(n + 1) % 6], authors[(n + 2) % 6]],
            tags=[tags[n % 12], tags[(n + 3) % 12], tags[(n + 7) % 12]],
        )
    return sections[0], authors[0], tags[0]


def count_queries(client, url: str) -> int:
    """Queries for one request, with a cold cache (the worst case)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def page_urls(section, author, tag):
    story = Article.objects.published().filter(section=section).first()
    return {
        "headlines": reverse("articles:headlines"),
        "section": section.get_absolute_url(),
        "story": story.get_absolute_url(),
        "author": author.get_absolute_url(),
        "tag": tag.get_absolute_url(),
    }


# Small enough that 5 stories fill the lead, the top stories and page one of
# the older stories: an empty part would skip its query and hide a difference.
SMALL_LAYOUT = {"NEWSROOM_TOP_STORIES": 2, "NEWSROOM_PAGE_SIZE": 2}


@pytest.fixture(scope="module")
def small_counts(django_db_blocker):
    """Query counts with 5 stories; measured once, in a transaction rolled back."""
    with (
        django_db_blocker.unblock(),
        override_settings(**SMALL_LAYOUT),
        transaction.atomic(),
    ):
        counts = {
            name: count_queries(Client(), url)
            for name, url in page_urls(*build_newsroom(5)).items()
        }
        transaction.set_rollback(True)
    return counts


@pytest.mark.parametrize("page", list(BUDGET))
def test_page_queries_do_not_grow_with_stories(client, settings, page, small_counts):
    for name, value in SMALL_LAYOUT.items():
        setattr(settings, name, value)
    urls = page_urls(*build_newsroom(200))

    large = count_queries(client, urls[page])

    assert large == small_counts[page], (page, small_counts[page], large)
    assert large <= BUDGET[page]


def test_headlines_queries_do_not_depend_on_comments_or_sections(client, settings):
    # Small enough that five stories fill every part of the page.
    settings.NEWSROOM_TOP_STORIES = 2
    settings.NEWSROOM_PAGE_SIZE = 2

    def headline_queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("articles:headlines")).status_code == 200
        return len(queries)

    ArticleFactory.create_batch(5, published=True, section=SectionFactory())
    few = headline_queries()
    for n in range(6):
        story = ArticleFactory(published=True, section=SectionFactory(position=n))
        CommentFactory.create_batch(2, article=story)

    assert headline_queries() == few


def test_admin_lists_do_not_grow_with_rows(admin_client):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    stories = reverse("admin:articles_article_changelist")
    queue = reverse("admin:comments_comment_changelist")
    story = ArticleFactory(published=True)
    parent = CommentFactory(article=story)
    CommentFactory(article=story, parent=parent, status=CommentStatus.PENDING)
    few = (queries(stories), queries(queue))

    for _ in range(5):
        story = ArticleFactory(published=True)
        parent = CommentFactory(article=story)
        CommentFactory(article=story, parent=parent, status=CommentStatus.PENDING)

    assert (queries(stories), queries(queue)) == few
