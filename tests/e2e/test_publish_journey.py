import pytest
from django.contrib.auth.models import Permission

from articles.models import Article, LeadIn, Status
from tests.e2e.admin_pages import (
    admin_login,
    choose_autocomplete,
    confirm_and_press,
    fill_story_top,
    press_crafted_button,
    type_and_link,
)
from tests.factories import (
    EDITOR_PERMISSIONS,
    AuthorFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e


def test_editor_writes_and_publishes_a_story_read_by_the_public(
    page, live_server, screenshot
):
    SectionFactory(name="World news", slug="world")
    AuthorFactory(name="Ines Okafor")
    # Browser tests flush the database, house labels from migrations included.
    LeadIn.objects.get_or_create(label="The big picture:")
    UserFactory(
        username="editor",
        password="cupure-editor",
        is_staff=True,
        permissions=EDITOR_PERMISSIONS,
    )

    admin_login(page, "editor", "cupure-editor")
    page.goto("/admin/articles/article/add/")

    fill_story_top(
        page,
        '"Not yet": Harbour talks end without a deal',
        "Negotiators will meet again in the spring.",
    )

    editor = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    editor.click()
    page.locator(".prose-menubar__selected", has_text="Lead-in").click()
    page.locator(".prose-menubar__option", has_text="The big picture:").click()
    page.keyboard.type("Ferries will keep running while the talks go on. ")
    dialog = type_and_link(page, "Background")
    dialog.locator("input[name=href]").fill("https://example.com/background")
    dialog.locator("button[type=submit]").click()
    page.fill("#id_tags", "harbour summit, veltria")
    screenshot(page, "publish-journey-1-editor")

    confirm_and_press(page, "_publish")

    page.locator(".messagelist", has_text="The story is live.").wait_for()
    article = Article.objects.get()
    assert article.status == Status.PUBLISHED
    assert '<strong class="lead-in">The big picture:</strong>' in article.body
    assert 'href="https://example.com/background"' in article.body

    page.goto(article.get_absolute_url())
    assert (
        page.locator("h1").inner_text() == '"Not yet": Harbour talks end without a deal'
    )
    lead_in = page.locator(".story__body strong.lead-in")
    assert lead_in.inner_text() == "The big picture:"
    assert lead_in.evaluate("e => getComputedStyle(e).fontWeight") == "700"
    link = page.locator(".story__body a", has_text="Background")
    assert link.get_attribute("href") == "https://example.com/background"
    assert page.locator(".byline").inner_text() == "By Ines Okafor"
    assert page.locator(".story__tags").inner_text().split() == [
        "harbour",
        "summit",
        "veltria",
    ]
    screenshot(page, "publish-journey-2-story-page")

    page.goto("/")
    assert "Not yet" in page.locator(".front__lead").inner_text()


def test_journalist_cannot_publish_even_with_a_crafted_button(page, live_server):
    SectionFactory(name="World news", slug="world")
    journalist = UserFactory(
        username="journalist", password="pw-journalist-1", is_staff=True
    )
    journalist.user_permissions.set(
        Permission.objects.filter(
            codename__in=[p.split(".")[1] for p in EDITOR_PERMISSIONS]
        ).exclude(codename="publish_article")
    )

    admin_login(page, "journalist", "pw-journalist-1")
    page.goto("/admin/articles/article/add/")
    assert page.locator("input[name=_publish]").count() == 0

    page.fill("#id_headline", "A journalist's draft")
    choose_autocomplete(page, "id_section", "World news")
    # Add the publish button the server never offered, and press it.
    press_crafted_button(page, "_publish")

    page.locator(".messagelist", has_text="Only editors can publish").wait_for()
    assert Article.objects.get().status == Status.DRAFT
