"""The story page's "Get the newsletter" box: the same for every reader, so
the story page is still kept whole in the page cache."""

import pytest

from tests.factories import ArticleFactory
from tests.newsletters.factories import NewsletterFactory

pytestmark = pytest.mark.django_db


def test_the_box_is_on_cached_story_pages_and_sets_no_cookie(client, settings):
    settings.NEWSROOM_PAGE_CACHE = True
    story = ArticleFactory(published=True)
    first = client.get(story.get_absolute_url())
    assert first["X-Cache"] == "MISS" and not first.cookies
    page = first.content.decode()
    assert "Get the newsletter" in page
    assert 'action="/newsletters/"' in page and 'method="get"' in page
    again = client.get(story.get_absolute_url())
    assert again["X-Cache"] == "HIT"
    assert "Get the newsletter" in again.content.decode()


def test_the_box_takes_the_address_to_the_sign_up_page(client):
    NewsletterFactory()
    page = client.get("/newsletters/?email=reader%40example.org").content.decode()
    assert 'value="reader@example.org"' in page


def test_a_hostile_address_in_the_link_is_shown_as_text(client):
    NewsletterFactory()
    page = client.get('/newsletters/?email="><script>x</script>').content.decode()
    assert "<script>x</script>" not in page
