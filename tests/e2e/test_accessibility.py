"""axe-core (shipped inside axe-playwright-python) on every public page type:
no serious or critical violations, at phone and desktop widths."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.comments.factories import CommentFactory, ReaderFactory
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.e2e

WIDTHS = (375, 1280)


@pytest.fixture
def newsroom(db):
    world = SectionFactory(name="World news", slug="world")
    author = AuthorFactory(
        name="Ines Okafor", slug="ines-okafor", bio="Covers the strait."
    )
    stories = [
        ArticleFactory(
            published=True,
            section=world,
            authors=[author],
            headline=f"Harbour talks, day {n}",
            tags=["harbour summit", "veltria"],
        )
        for n in range(1, 6)
    ]
    CommentFactory(
        article=stories[-1], body="A comment with a link https://example.org"
    )
    reader = ReaderFactory(password="reader-pass-123")
    return {"story": stories[-1], "author": author, "section": world, "reader": reader}


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_the_check_catches_a_real_violation(browser):
    page = browser.new_page()
    page.set_content(
        '<html lang="en"><body><main><img src="x.png"></main></body></html>'
    )
    assert any(v.startswith("image-alt") for v in serious_violations(page))
    page.close()


def test_public_pages_pass_axe(browser, live_server, newsroom, screenshot):
    story = newsroom["story"]
    pages = {
        "headlines": "/",
        "section": newsroom["section"].get_absolute_url(),
        "tag": "/tags/harbour-summit/",
        "author": newsroom["author"].get_absolute_url(),
        "story": story.get_absolute_url(),
        "search": "/search/?q=harbour",
        "not-found": "/no-such-page/",
    }
    found = {}
    for width in WIDTHS:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        for name, url in pages.items():
            page.goto(url)
            found[f"{name}@{width}"] = serious_violations(page)
            screenshot(page, f"a11y-{name}-{width}")
        # The story page with the comment form, as a logged-in reader sees it.
        page.goto("/accounts/login/")
        page.fill("#id_username", newsroom["reader"].username)
        page.fill("#id_password", "reader-pass-123")
        page.click(".stacked-form button[type=submit]")
        page.goto(story.get_absolute_url())
        page.locator("#id_body").wait_for()
        found[f"story-with-form@{width}"] = serious_violations(page)
        screenshot(page, f"a11y-story-with-form-{width}")
        # The reader's own account page (data download, closing the account).
        page.click(".account-nav__name")
        page.locator("#id_password").wait_for()
        found[f"account@{width}"] = serious_violations(page)
        screenshot(page, f"a11y-account-{width}")
        context.close()
    assert not any(found.values()), {k: v for k, v in found.items() if v}


def test_skip_link_and_keyboard_focus(page, newsroom):
    page.goto(newsroom["story"].get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"
    outline = page.evaluate(
        "() => { const a = document.querySelector('.sections-nav a'); a.focus();"
        " return getComputedStyle(a).outlineStyle; }"
    )
    assert outline != "none"
