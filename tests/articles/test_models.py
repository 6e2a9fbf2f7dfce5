from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article, Section, Status
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_published_contains_only_live_stories():
    live = ArticleFactory(published=True)
    ArticleFactory()  # draft
    ArticleFactory(status=Status.IN_REVIEW)
    ArticleFactory(scheduled=True)
    ArticleFactory(unpublished=True)

    assert list(Article.objects.published()) == [live]


def test_scheduled_story_becomes_visible_when_its_time_passes(time_machine):
    story = ArticleFactory(scheduled=True)
    assert story not in Article.objects.published()

    time_machine.move_to(story.published_at + timedelta(seconds=1))

    assert story in Article.objects.published()


def test_slug_is_made_from_headline_and_kept_unique():
    first = ArticleFactory(headline="Harbour vote: what's next?", slug="")
    second = ArticleFactory(headline="Harbour vote: what's next?", slug="")

    assert first.slug == "harbour-vote-whats-next"
    assert second.slug == "harbour-vote-whats-next-2"


def test_database_refuses_two_stories_with_one_slug():
    ArticleFactory(slug="same")
    with pytest.raises(IntegrityError):
        ArticleFactory(slug="same")


def test_database_refuses_published_story_without_time():
    with pytest.raises(IntegrityError):
        ArticleFactory(status=Status.PUBLISHED, published_at=None)


def test_newest_first_orders_by_publication_time():
    now = timezone.now()
    old = ArticleFactory(published=True, published_at=now - timedelta(days=2))
    new = ArticleFactory(published=True, published_at=now - timedelta(hours=1))
    middle = ArticleFactory(published=True, published_at=now - timedelta(days=1))

    assert list(Article.objects.published().newest_first()) == [new, middle, old]


def test_bylines_keep_their_order():
    first, second = AuthorFactory(name="Zora Quist"), AuthorFactory(name="Abel Marr")
    story = ArticleFactory(authors=[first, second])

    assert Article.objects.for_listing().get(pk=story.pk).byline_authors == [
        first,
        second,
    ]


def test_latest_per_section_takes_the_newest_of_each_section():
    world, science = SectionFactory(position=0), SectionFactory(position=1)
    now = timezone.now()
    world_stories = [
        ArticleFactory(
            section=world, published=True, published_at=now - timedelta(hours=h)
        )
        for h in range(1, 5)
    ]
    science_story = ArticleFactory(section=science, published=True)

    latest = list(Article.objects.published().latest_per_section(2))

    assert latest == [world_stories[0], world_stories[1], science_story]


def test_section_slug_cannot_take_a_site_path():
    section = Section(name="Admin desk", slug="admin")
    with pytest.raises(ValidationError):
        section.full_clean()


def test_source_url_needs_an_outlet_name():
    story = ArticleFactory.build(
        section=SectionFactory(), source_url="https://example.com/original"
    )
    with pytest.raises(ValidationError) as excinfo:
        story.full_clean()
    assert "source_name" in excinfo.value.message_dict


def test_story_address_contains_section_date_and_slug():
    story = ArticleFactory(
        published=True,
        slug="harbour-vote",
        section=SectionFactory(slug="world"),
        published_at=timezone.make_aware(timezone.datetime(2026, 3, 7, 12, 0)),
    )
    assert story.get_absolute_url() == "/world/2026/03/07/harbour-vote/"
