"""Story sitemap pages are served without counting the archive."""

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_story_sitemap_pages_and_the_page_past_the_end(client, settings):
    story = ArticleFactory(published=True)
    response = client.get("/sitemap-stories.xml")
    assert response.status_code == 200
    assert story.get_absolute_url() in response.content.decode()
    assert client.get("/sitemap-stories.xml?p=2").status_code == 404
    assert client.get("/sitemap-stories.xml?p=x").status_code == 404
