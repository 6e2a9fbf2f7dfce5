"""A journalist types five spellings of one subject on a story: the tag
field flags each near-duplicate before saving, "Use …" puts the tag to use
in its place, and the story is saved with one tag."""

import re

import pytest

from articles.models import Article
from tags.models import Tag
from tests.e2e.admin_pages import admin_login, choose_autocomplete
from tests.e2e.journey_checks import assert_fits, keep_shots
from tests.factories import (
    ARTICLE_AUTHORING,
    ArticleFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

SHOTS = "/work/notes/shots/i15-tags-site"
TAGS_LABEL = re.compile(r"^Tags:?$")


def flag_texts(page):
    return page.get_by_role("listitem").filter(
        has=page.get_by_role("button", name="Use")
    )


def test_journalist_resolves_near_duplicate_tags_before_saving(
    page, live_server, screenshot
):
    shot = keep_shots(screenshot, SHOTS)
    section = SectionFactory(name="World news", slug="world")
    for _ in range(2):
        ArticleFactory(published=True, section=section, tags=["Trump"])
    UserFactory(
        username="journalist",
        password="pw-journalist-1",
        is_staff=True,
        permissions=[*ARTICLE_AUTHORING, "tags.view_tag", "tags.add_tag"],
    )

    admin_login(page, "journalist", "pw-journalist-1")
    page.goto("/admin/articles/article/add/")
    page.get_by_label(re.compile(r"^Headline")).fill("Leaders meet again on the strait")
    choose_autocomplete(page, "id_section", "World news")
    tags = page.get_by_label(TAGS_LABEL)
    tags.fill("trumps, trump putin, trumpputin, trumpputin summit")
    tags.blur()

    flags = flag_texts(page)
    flags.filter(has_text="“trumpputin” looks like").wait_for()
    assert flags.all_inner_texts() == [
        "“trumps” looks like the existing tag “Trump”. Use “Trump”",
        "“trumpputin” looks like “trump putin”, also on this story. Use “trump putin”",
        "“trump putin” is “Trump” with more words, and “Trump” is on this story "
        "too: one tag may do. Use “Trump”",
        "“trumpputin summit” is “trump putin” with more words, itself “Trump” "
        "with more words, and both are on this story: one tag may do. "
        "Use “Trump”",
    ]
    assert_fits(page)
    shot(page, "tags-writing-1-flags")

    # Saving as typed is refused, naming the tags to use; nothing is made.
    page.locator("[name=_continue]").click()
    errors = page.locator(".errorlist").filter(has_text="looks like")
    errors.first.wait_for()
    assert (
        "“trumps” looks like the existing tag “Trump”. Use “Trump”."
        in (errors.all_inner_texts()[0])
    )
    assert not Tag.objects.filter(name__in=["trumps", "trumpputin"]).exists()
    shot(page, "tags-writing-2-refused")

    # One click per flag until one tag is left (notices included).
    tags = page.get_by_label(TAGS_LABEL)
    for _ in range(6):
        flags = flag_texts(page)
        try:
            flags.first.wait_for(timeout=3_000)
        except Exception:  # noqa: BLE001 - no flag left
            break
        flags.first.get_by_role("button").click()
        page.wait_for_timeout(400)
    assert tags.input_value() == "Trump, "
    assert flag_texts(page).count() == 0
    shot(page, "tags-writing-3-resolved")

    page.locator("[name=_continue]").click()
    page.locator(".messagelist .success").wait_for()
    story = Article.objects.get(headline="Leaders meet again on the strait")
    assert list(story.tags.names()) == ["Trump"]
    assert Tag.objects.count() == 1
