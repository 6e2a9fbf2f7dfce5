"""Links built for listings match Django's reverse()."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def test_story_section_and_author_links_match_reverse():
    story = ArticleFactory(published=True)
    author = AuthorFactory(slug="ada-reporter")
    when = timezone.localtime(story.published_at)

    assert story.get_absolute_url() == reverse(
        "articles:detail",
        kwargs={
            "section": story.section.slug,
            "year": when.year,
            "month": f"{when.month:02d}",
            "day": f"{when.day:02d}",
            "slug": story.slug,
        },
    )
    assert story.section.get_absolute_url() == reverse(
        "articles:section", kwargs={"section": story.section.slug}
    )
    assert author.get_absolute_url() == reverse(
        "articles:author", kwargs={"slug": "ada-reporter"}
    )


def test_links_follow_the_script_prefix():
    from django.urls import set_script_prefix

    story = ArticleFactory(published=True)
    plain = story.get_absolute_url()
    set_script_prefix("/news/")
    try:
        assert story.get_absolute_url() == "/news" + plain
    finally:
        set_script_prefix("/")
