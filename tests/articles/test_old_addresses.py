"""Old addresses answer 301 after a slug, section or date change; an
unpublished story's old slug is not found."""

from datetime import timedelta

import pytest

from articles.models import Article, Status
from tests.articles.staff import edit
from tests.factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def test_old_addresses_answer_301_after_slug_section_and_date_changes(
    admin_client, client
):
    world, business = SectionFactory(slug="world"), SectionFactory(slug="business")
    story = ArticleFactory(published=True, section=world, slug="first-slug")
    first_url = story.get_absolute_url()

    edit(admin_client, story, slug="second-slug")
    story.refresh_from_db()
    second_url = story.get_absolute_url()
    edit(admin_client, story, section=business.pk)
    story.refresh_from_db()
    Article.objects.filter(pk=story.pk).update(
        published_at=story.published_at - timedelta(days=3)
    )
    story.refresh_from_db()
    current = story.get_absolute_url()

    assert current.startswith("/business/")
    for old in (first_url, second_url):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == current
    assert client.get(current).status_code == 200


def test_old_slug_of_an_unpublished_story_is_not_found(admin_client, client):
    story = ArticleFactory(published=True, slug="old-one")
    old_url = story.get_absolute_url()
    edit(admin_client, story, slug="new-one")
    Article.objects.filter(pk=story.pk).update(status=Status.UNPUBLISHED)
    assert client.get(old_url).status_code == 404
