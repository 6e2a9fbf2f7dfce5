from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_headlines_show_lead_top_stories_and_sections(client, settings):
    settings.NEWSROOM_TOP_STORIES = 2
    world = SectionFactory(name="World news", slug="world")
    now = timezone.now()
    lead = ArticleFactory(
        section=world,
        published=True,
        headline='"Next time in Portvale": summit ends',
        published_at=now - timedelta(minutes=5),
    )
    older = ArticleFactory(section=world, published=True, headline="Older story")
    draft = ArticleFactory(section=world, headline="Secret draft")

    response = client.get(reverse("articles:headlines"))

    assert response.status_code == 200
    assert response.context["lead"] == lead
    assert list(response.context["top_stories"]) == [older]
    html = response.content.decode()
    assert "&quot;Next time in Portvale&quot;: summit ends" in html
    assert "World news" in html
    assert draft.headline not in html


def test_headlines_page_without_stories_says_so(client):
    response = client.get(reverse("articles:headlines"))
    assert response.status_code == 200
    assert "No stories have been published yet." in response.content.decode()


def test_story_page_shows_every_part_of_the_reference_layout(client):
    world = SectionFactory(name="World news", slug="world")
    writer = AuthorFactory(name="Ines Okafor")
    cowriter = AuthorFactory(name="Tomas Berg")
    story = ArticleFactory(
        section=world,
        published=True,
        headline="Harbour summit ends without a deal",
        dek="Leaders agree to meet again in the spring.",
        body=(
            '<p><strong class="lead-in">The big picture:</strong> Talks stall.</p>'
            '<p><strong class="lead-in">Go deeper:</strong> '
            '<a href="/world/">Background</a></p>'
        ),
        authors=[writer, cowriter],
        tags=["harbour summit", "veltria"],
        source_name="The Meridian Wire",
        source_url="https://example.com/meridian/harbour",
    )
    related = ArticleFactory(
        section=world, published=True, headline="Veltria ports reopen", tags=["veltria"]
    )

    response = client.get(story.get_absolute_url())
    published = timezone.localtime(story.published_at).isoformat(timespec="seconds")

    assert response.status_code == 200
    html = response.content.decode()
    for expected in [
        'class="masthead__logo"',
        "Harbour summit ends without a deal",
        "Leaders agree to meet again in the spring.",
        "Ines Okafor",
        "Tomas Berg",
        f'<time datetime="{published}"',
        '<strong class="lead-in">The big picture:</strong>',
        '<strong class="lead-in">Go deeper:</strong>',
        "The Meridian Wire",
        "https://example.com/meridian/harbour",
        "harbour summit",
        "Comments",
        "Similar News",
        "Veltria ports reopen",
        'class="story__section-footer"',
        'class="trending"',
    ]:
        assert expected in html, expected
    assert list(response.context["similar"]) == [related]


@pytest.mark.parametrize("state", [{}, {"scheduled": True}, {"unpublished": True}])
def test_drafts_scheduled_and_withdrawn_stories_answer_404(client, state):
    story = ArticleFactory(**state)
    assert client.get(story.get_absolute_url()).status_code == 404


def test_404_page_is_in_the_site_design(client):
    response = client.get("/world/2020/01/01/no-such-story/")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()


def test_story_address_with_wrong_section_or_date_redirects_permanently(client):
    story = ArticleFactory(published=True, section=SectionFactory(slug="world"))
    stale = f"/business/2001/01/01/{story.slug}/"

    response = client.get(stale)

    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_similar_news_excludes_the_story_drafts_and_scheduled(client):
    story = ArticleFactory(published=True, tags=["harbour"])
    ArticleFactory(tags=["harbour"], headline="Draft twin")
    ArticleFactory(scheduled=True, tags=["harbour"], headline="Scheduled twin")
    both = ArticleFactory(published=True, tags=["harbour", "ports"])
    one = ArticleFactory(published=True, tags=["harbour"])
    story.tags.add("ports")

    response = client.get(story.get_absolute_url())

    assert list(response.context["similar"]) == [both, one]


def test_section_page_lists_only_its_published_stories(client):
    world, science = SectionFactory(name="World news"), SectionFactory(name="Science")
    mine = ArticleFactory(section=world, published=True, headline="Ports reopen")
    ArticleFactory(section=science, published=True, headline="Comet seen")
    ArticleFactory(section=world, headline="Draft in world")

    response = client.get(world.get_absolute_url())

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine]
    assert "Comet seen" not in response.content.decode()


def test_unknown_section_answers_404(client):
    assert client.get("/no-such-section/").status_code == 404


def test_author_page_lists_their_published_stories(client):
    author = AuthorFactory(name="Ines Okafor", bio="Covers the harbour.")
    story = ArticleFactory(published=True, authors=[author])
    ArticleFactory(authors=[author], headline="Unfinished draft")

    response = client.get(author.get_absolute_url())

    assert response.status_code == 200
    assert "Covers the harbour." in response.content.decode()
    assert list(response.context["page"].object_list) == [story]


def test_tag_page_lists_published_stories_with_the_tag(client):
    tag = TagFactory(name="veltria")
    story = ArticleFactory(published=True, tags=[tag])
    ArticleFactory(tags=[tag], headline="Draft with tag")
    ArticleFactory(published=True, headline="Other")

    response = client.get(tag.get_absolute_url())

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [story]


def test_trending_strip_shows_tags_of_recent_published_stories(client):
    ArticleFactory(published=True, tags=["harbour", "veltria"])
    ArticleFactory(published=True, tags=["harbour"])
    ArticleFactory(tags=["draft-only"])
    ArticleFactory(
        published=True,
        published_at=timezone.now() - timedelta(days=60),
        tags=["ancient"],
    )

    html = client.get(reverse("articles:headlines")).content.decode()
    strip = html.split('class="trending"', 1)[1].split("</nav>", 1)[0]

    assert strip.index("harbour") < strip.index("veltria")
    assert "draft-only" not in strip
    assert "ancient" not in strip


@pytest.mark.parametrize("page", ["999", "abc", "-1", "0", "1.5", "%00", "9" * 40])
@pytest.mark.parametrize("where", ["headlines", "section", "author", "tag"])
def test_odd_page_numbers_answer_a_real_page(client, settings, page, where):
    settings.NEWSROOM_PAGE_SIZE = 2
    section = SectionFactory()
    author = AuthorFactory()
    tag = TagFactory()
    for _ in range(9):
        ArticleFactory(published=True, section=section, authors=[author], tags=[tag])
    url = {
        "headlines": reverse("articles:headlines"),
        "section": section.get_absolute_url(),
        "author": author.get_absolute_url(),
        "tag": tag.get_absolute_url(),
    }[where]

    response = client.get(url, {"page": page})

    assert response.status_code == 200
    number = response.context["page"].number
    last = response.context["page"].paginator.num_pages
    assert number == (last if page in {"999", "9" * 40} else 1)


def test_pagination_walks_through_older_stories(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 3
    section = SectionFactory()
    now = timezone.now()
    stories = [
        ArticleFactory(
            section=section, published=True, published_at=now - timedelta(hours=n)
        )
        for n in range(1, 8)
    ]

    first = client.get(section.get_absolute_url())
    third = client.get(section.get_absolute_url(), {"page": 3})

    assert list(first.context["page"].object_list) == stories[:3]
    assert list(third.context["page"].object_list) == stories[6:]
    assert 'rel="next"' in first.content.decode()
    assert 'rel="prev"' in third.content.decode()
