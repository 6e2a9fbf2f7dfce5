import pytest
from django.urls import reverse

from articles.models import Article, LeadIn, Status
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def story_form(section, author, **overrides):
    """The POST the admin's add form sends, with one byline."""
    data = {
        "headline": "Harbour talks end without a deal",
        "slug": "harbour-talks-end",
        "dek": "Negotiators will meet again in the spring.",
        "section": section.pk,
        "body": '<p><strong class="lead-in">The big picture:</strong> Talks stall.</p>',
        "tags": "harbour summit, veltria",
        "source_name": "",
        "source_url": "",
        "comments_mode": "default",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-author": author.pk,
        "bylines-0-position": "0",
    }
    return data | overrides


def test_editor_creates_and_publishes_a_story_through_the_admin_form(editor_client):
    section, author = SectionFactory(), AuthorFactory()

    response = editor_client.post(
        ADD_URL, story_form(section, author, _publish="Save and publish"), follow=True
    )

    assert response.status_code == 200
    article = Article.objects.get()
    assert article.status == Status.PUBLISHED
    assert article.published_at is not None
    assert article.byline_authors == [author]
    assert sorted(article.tags.names()) == ["harbour summit", "veltria"]
    assert "The story is live." in response.content.decode()
    assert editor_client.get(article.get_absolute_url()).status_code == 200


def test_plain_save_keeps_a_draft(editor_client):
    section, author = SectionFactory(), AuthorFactory()

    editor_client.post(ADD_URL, story_form(section, author, _save="Save"))

    assert Article.objects.get().status == Status.DRAFT


def test_journalist_never_sees_the_publish_button(journalist_client):
    html = journalist_client.get(ADD_URL).content.decode()
    assert 'name="_publish"' not in html


def test_journalist_crafted_publish_post_is_refused(journalist_client):
    section, author = SectionFactory(), AuthorFactory()

    response = journalist_client.post(
        ADD_URL, story_form(section, author, _publish="Publish"), follow=True
    )

    article = Article.objects.get()
    assert article.status == Status.DRAFT
    assert (
        "Only editors can publish, schedule or unpublish stories."
        in response.content.decode()
    )


def test_publishing_without_a_byline_is_refused_with_a_message(editor_client):
    section = SectionFactory()
    data = story_form(section, AuthorFactory(), _publish="Publish")
    data["bylines-TOTAL_FORMS"] = "0"

    response = editor_client.post(ADD_URL, data, follow=True)

    assert Article.objects.get().status == Status.DRAFT
    assert "needs at least one author" in response.content.decode()


def test_hostile_body_posted_to_the_admin_is_stored_clean(editor_client):
    section, author = SectionFactory(), AuthorFactory()
    body = (
        '<p onclick="steal()">Hi<script>alert(1)</script>'
        '<a href="javascript:x">x</a></p>'
    )

    editor_client.post(ADD_URL, story_form(section, author, body=body))

    assert Article.objects.get().body == '<p>Hi<a rel="noopener noreferrer">x</a></p>'


def test_editor_unpublishes_with_the_form_button(editor_client):
    story = ArticleFactory(published=True)
    url = reverse("admin:articles_article_change", args=[story.pk])
    form = story_form(story.section, story.byline_authors[0], slug=story.slug)
    form |= {"bylines-INITIAL_FORMS": "1", "bylines-0-id": story.bylines.get().pk}
    form["bylines-0-article"] = story.pk

    editor_client.post(url, form | {"_unpublish": "Unpublish"})

    story.refresh_from_db()
    assert story.status == Status.UNPUBLISHED
    assert editor_client.get(story.get_absolute_url()).status_code == 404


def test_publish_action_publishes_selected_stories(editor_client):
    drafts = ArticleFactory.create_batch(3)
    changelist = reverse("admin:articles_article_changelist")

    response = editor_client.post(
        changelist,
        {"action": "publish_selected", "_selected_action": [d.pk for d in drafts]},
        follow=True,
    )

    assert "3 stories published." in response.content.decode()
    assert Article.objects.published().count() == 3


def test_journalist_has_no_publish_actions(journalist_client):
    ArticleFactory()
    response = journalist_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "publish_selected" not in html
    assert "unpublish_selected" not in html


def test_body_editor_offers_the_house_lead_ins(editor_client):
    LeadIn.objects.create(label="Zoom in on this:", position=99)

    html = editor_client.get(ADD_URL).content.decode()

    assert "data-django-prose-editor-configurable" in html
    assert "The big picture:" in html
    assert "Zoom in on this:" in html
    assert "articles/editor/lead-in.js" in html


def test_changelist_queries_do_not_grow_with_stories(
    editor_client, django_assert_max_num_queries
):
    authors = AuthorFactory.create_batch(3)
    ArticleFactory.create_batch(5, authors=authors)
    url = reverse("admin:articles_article_changelist")
    editor_client.get(url)  # warm the session and content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert editor_client.get(url).status_code == 200
    ArticleFactory.create_batch(60, authors=authors)
    with CaptureQueriesContext(connection) as large:
        response = editor_client.get(url)

    assert response.status_code == 200
    assert len(large) == len(small)


@pytest.mark.parametrize(
    "name", ["articles_section", "articles_author", "articles_leadin", "tags_tag"]
)
def test_supporting_admin_pages_load(admin_client, name):
    SectionFactory()
    AuthorFactory()
    ArticleFactory(tags=["veltria"])
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{name}_add")).status_code == 200
