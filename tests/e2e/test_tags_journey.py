import pytest

from articles.models import Article
from tags.models import Tag, TagAlias
from tests.e2e.admin_pages import admin_login, choose_autocomplete
from tests.factories import (
    ARTICLE_AUTHORING,
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e


def test_journalist_accepts_a_suggested_existing_tag(page, live_server, screenshot):
    section = SectionFactory(name="World news", slug="world")
    AuthorFactory(name="Ines Okafor")
    ArticleFactory(published=True, section=section, tags=["trump putin"])
    ArticleFactory(published=True, section=section, tags=["trump putin", "alaska"])
    UserFactory(
        username="journalist",
        password="pw-journalist-1",
        is_staff=True,
        permissions=[*ARTICLE_AUTHORING, "tags.view_tag", "tags.add_tag"],
    )

    admin_login(page, "journalist", "pw-journalist-1")
    page.goto("/admin/articles/article/add/")
    page.fill("#id_headline", "Leaders meet again on the strait")
    choose_autocomplete(page, "id_section", "World news")
    tags = page.locator("#id_tags")
    tags.click()
    tags.press_sequentially("alas")
    page.locator("#id_tags-suggestions [role=option]", has_text="alaska").wait_for()
    page.keyboard.press("Enter")
    # A near-duplicate of an existing tag: the existing one is offered.
    tags.press_sequentially("trumpputin")
    suggestion = page.locator("#id_tags-suggestions [role=option]").first
    suggestion.wait_for()
    assert suggestion.inner_text().split("\n")[0] == "trump putin"
    assert "2 stories" in suggestion.inner_text()
    screenshot(page, "tags-journey-1-suggestion")
    suggestion.click()
    assert tags.input_value() == "alaska, trump putin, "
    page.click("input[name=_continue]")

    page.locator(".messagelist .success").wait_for()
    story = Article.objects.get(headline="Leaders meet again on the strait")
    assert sorted(story.tags.names()) == ["alaska", "trump putin"]
    assert not Tag.objects.filter(name__iexact="trumpputin").exists()


def test_editor_merges_duplicates_and_readers_follow_the_strip(
    page, live_server, screenshot
):
    survivor, duplicate = (
        TagFactory(name="harbour summit"),
        TagFactory(name="harboursummit"),
    )
    first = ArticleFactory(published=True, tags=[survivor], headline="Talks open")
    second = ArticleFactory(published=True, tags=[duplicate], headline="Talks close")
    UserFactory(
        username="editor",
        password="pw-editor-1",
        is_staff=True,
        permissions=["tags.view_tag", "tags.change_tag", "tags.delete_tag"],
    )

    admin_login(page, "editor", "pw-editor-1")
    page.goto("/admin/tags/tag/")
    page.click("text=Near-duplicates")
    group = page.locator("table.tag-duplicates tbody tr")
    assert group.count() == 1
    assert "harbour summit" in group.inner_text()
    screenshot(page, "tags-journey-2-duplicates")
    group.locator("a.button", has_text="Merge").click()
    page.check(f"input[name=survivor][value='{survivor.pk}']")
    page.click("input[type=submit][value='Merge tags']")
    page.locator(".messagelist .success", has_text="Merged 1 tag").wait_for()

    assert list(second.tags.all()) == [survivor]
    assert TagAlias.objects.filter(tag=survivor, name="harboursummit").exists()

    # A reader follows the trending strip to the tag page.
    page.context.clear_cookies()
    page.goto("/")
    page.locator(".trending a", has_text="harbour summit").click()
    page.wait_for_url(f"**{survivor.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "harbour summit"
    headlines = page.locator(".story-list .card__headline").all_inner_texts()
    assert sorted(headlines) == sorted([first.headline, second.headline])
    page.goto(f"/tags/{duplicate.slug}/")
    assert page.url.endswith(survivor.get_absolute_url())
    screenshot(page, "tags-journey-3-tag-page")
