"""Scheduled stories: a schedule needs a future time, and the story appears on
every public surface by itself when the time comes, with no job."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.services import article_transition
from articles.workflow import Action
from tests.factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def test_scheduling_needs_a_future_time(editor_user):
    story = ArticleFactory()
    with pytest.raises(ValidationError, match="future"):
        article_transition(
            article=story,
            action=Action.SCHEDULE,
            by=editor_user,
            at=timezone.now() - timedelta(minutes=1),
        )


def public_surfaces(client, story, section, tag) -> dict[str, bool]:
    """Where the story shows up for a reader, page by page."""
    pages = {
        "headlines": reverse("articles:headlines"),
        "section": section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": story.byline_authors[0].get_absolute_url(),
        "similar": ArticleFactory._meta.model.objects.exclude(pk=story.pk)
        .get(headline="Neighbour")
        .get_absolute_url(),
    }
    pages |= {
        "search": reverse("articles:search") + "?q=embargoed",
        "feed": reverse("feeds:latest"),
        "section feed": reverse("feeds:section", args=[section.slug]),
        "tag feed": reverse("feeds:tag", args=[tag.slug]),
        "news sitemap": "/news-sitemap.xml",
        "stories sitemap": "/sitemap-stories.xml",
    }
    found = {}
    for name, url in pages.items():
        from django.core.cache import cache

        cache.clear()
        html = client.get(url).content.decode()
        found[name] = (
            story.headline in html
            if "sitemap" not in name
            else story.get_absolute_url() in html
        )
    found["story page"] = client.get(story.get_absolute_url()).status_code == 200
    return found


def test_scheduled_story_goes_live_without_any_job(client, time_machine):
    section = SectionFactory()
    story = ArticleFactory(
        section=section,
        scheduled=True,
        headline="The embargoed story",
        tags=["embargo"],
    )
    ArticleFactory(
        section=section, published=True, headline="Neighbour", tags=["embargo"]
    )
    tag = story.tags.get()

    before = public_surfaces(client, story, section, tag)
    time_machine.move_to(story.published_at + timedelta(seconds=1))
    after = public_surfaces(client, story, section, tag)

    assert not any(before.values()), before
    assert all(after.values()), after
