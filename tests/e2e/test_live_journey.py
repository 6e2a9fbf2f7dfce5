"""Live coverage in a real browser: an editor posts three entries from the
live desk; a reader's page, open in another browser, offers them as "new
updates" within 20 seconds without a reload, adds them without moving the
reader's place, and the key events box lists the key one; with JavaScript
off the page shows the entries after a reload and pages back with plain
links. Both pages fit a laptop's and a phone's width."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.e2e.admin_pages import admin_login, choose_autocomplete, staff
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.journey_checks import assert_fits, keep_shots
from tests.factories import ArticleFactory
from tests.live.factories import LiveCoverageFactory, LiveEntryFactory, library_image

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("roles")]

EDITOR_BOX = ".live-desk__post .prose-editor .ProseMirror[contenteditable=true]"
SHOTS = "/work/notes/shots"


def post_entry(page, text: str, *, key=False, with_keys=False) -> None:
    page.locator(EDITOR_BOX).click()
    page.keyboard.type(text)
    if key:
        page.check("#id_is_key_event")
    if with_keys:
        page.keyboard.press("Control+Enter")
    else:
        page.click("button[name=action][value=post]")
    page.locator(".messagelist .success", has_text="Entry posted.").wait_for()


def stream_texts(page) -> list[str]:
    return page.locator(".live-entries--stream .live-entry__body").all_inner_texts()


def test_an_editor_posts_and_a_reader_sees_new_updates_in_place(
    browser, live_server, screenshot
):
    shots = keep_shots(screenshot, SHOTS)
    staff("desk-editor", "pw-desk-editor-1", "Editors")
    story = ArticleFactory(
        published=True,
        headline="Storm surge reaches the harbour",
        body="<p>The harbour wall is under strain as the tide rises.</p>" * 6,
    )
    coverage = LiveCoverageFactory(story=story)
    # Enough entries that the reader scrolls, and "Show older" has a page.
    for n in range(24):
        LiveEntryFactory(
            coverage=coverage, body=f"<p>Earlier update {n}: sandbags arrive.</p>"
        )
    url = story.get_absolute_url()

    # The reader opens the live page and scrolls into the updates.
    reader_ctx = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 800}
    )
    reader = reader_ctx.new_page()
    errors = []
    reader.on("pageerror", lambda error: errors.append(str(error)))
    reader.goto(url)
    assert reader.locator(".live-badge").text_content() == "Live"
    reader.locator(".live-entries--stream .live-entry").nth(
        4
    ).scroll_into_view_if_needed()
    reader.evaluate("window.scrollBy(0, 200)")
    scrolled = reader.evaluate("window.scrollY")
    assert scrolled > 0

    # The editor opens the story, then its live desk, and posts three entries.
    desk_ctx = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 1000}
    )
    page = desk_ctx.new_page()
    admin_login(page, "desk-editor", "pw-desk-editor-1")
    page.goto(reverse("admin:articles_article_change", args=[story.pk]))
    page.click("text=Live coverage")
    page.locator(".live-desk__badge").wait_for()
    post_entry(page, "Evacuation ordered for the seafront.", key=True)
    post_entry(page, "Ferries suspended until morning.", with_keys=True)
    post_entry(page, "Wall holds as the tide turns.")
    desk_entries = page.locator(".live-desk__entry .live-desk__body").all_inner_texts()
    assert desk_entries[:3] == [
        "Wall holds as the tide turns.",
        "Ferries suspended until morning.",
        "Evacuation ordered for the seafront.",
    ]
    assert_fits(page)
    shots(page, "live-journey-1-desk")

    # Within one poll (15 s) the reader is offered them, and has not moved.
    # The entry the reader is looking at, by its anchor (not by position:
    # new entries come before it).
    anchor = (
        reader.locator(".live-entries--stream .live-entry").nth(6).get_attribute("id")
    )
    reference = reader.locator(f"#{anchor}")
    seen = reference.evaluate("element => element.getBoundingClientRect().top")
    button = reader.locator(".live-new__button")
    button.wait_for(state="visible", timeout=20_000)
    assert "new update" in button.inner_text()
    assert reader.evaluate("window.scrollY") == scrolled
    offered = int(button.inner_text().split()[0])
    button.click()
    if offered < 3:  # the poll came between two posts: the next one has the rest
        button.wait_for(state="visible", timeout=20_000)
        button.click()
    assert stream_texts(reader)[:3] == [
        "Wall holds as the tide turns.",
        "Ferries suspended until morning.",
        "Evacuation ordered for the seafront.",
    ]
    after = reference.evaluate("element => element.getBoundingClientRect().top")
    assert abs(after - seen) <= 1, (seen, after)
    assert reader.locator(".live-new").is_hidden()
    assert not errors, errors

    # After a reload, the key events box lists the key entry and links to it.
    reader.reload()
    key_events = reader.locator(".live-key-events a")
    assert key_events.count() == 1
    assert "Evacuation ordered for the seafront." in key_events.inner_text()
    key_events.click()
    assert reader.url.endswith(
        "#entry-" + coverage.entries.get(is_key_event=True).pk.__str__()
    )
    reader.evaluate("window.scrollTo(0, 0)")
    assert_fits(reader)
    shots(reader, "live-journey-2-reader")
    reader_ctx.close()
    desk_ctx.close()


def test_without_javascript_the_live_page_works_by_reloading(browser, live_server):
    coverage = LiveCoverageFactory()
    for n in range(25):
        LiveEntryFactory(coverage=coverage, body=f"<p>Update {n} from the quay.</p>")
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 800},
        java_script_enabled=False,
    )
    page = context.new_page()
    url = coverage.story.get_absolute_url()
    page.goto(url)
    assert stream_texts(page)[0] == "Update 24 from the quay."
    assert len(stream_texts(page)) == 20

    LiveEntryFactory(coverage=coverage, body="<p>Posted while the page was open.</p>")
    page.reload()
    assert stream_texts(page)[0] == "Posted while the page was open."

    page.click("text=Show older")
    older = stream_texts(page)
    assert (
        older[0] == "Update 5 from the quay." and older[-1] == "Update 0 from the quay."
    )
    page.click("text=Newest updates")
    assert stream_texts(page)[0] == "Posted while the page was open."
    assert_fits(page, widths=(375, 1280))
    context.close()


def test_the_headlines_show_the_live_badge_and_an_entry_shows_its_picture(
    browser, live_server, screenshot
):
    shots = keep_shots(screenshot, SHOTS)
    picture_desk = get_user_model().objects.create_superuser("pictures", "", "pw")
    ArticleFactory.create_batch(3, published=True)
    story = ArticleFactory(
        published=True, headline="Storm surge reaches the harbour tonight"
    )
    coverage = LiveCoverageFactory(story=story)
    LiveEntryFactory(coverage=coverage, body="<p>Sandbags arrive on the quay.</p>")
    library_image(picture_desk, title="Quay at dawn", caption="Volunteers at dawn.")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The editor posts an entry with a picture picked from the library.
    admin_login(page, "pictures", "pw")
    page.goto(reverse("admin:live_livecoverage_desk", args=[story.pk]))
    page.locator(EDITOR_BOX).click()
    page.keyboard.type(
        "Quay: volunteers fill sandbags along the whole seafront as the water "
        "keeps rising past the old harbour wall."
    )
    choose_autocomplete(page, "id_image", "Quay at dawn")
    assert_fits(page)
    both_widths(page, "live-desk-picture")
    page.click("button[name=action][value=post]")
    page.locator(".messagelist .success", has_text="Entry posted.").wait_for()
    entry = coverage.entries.first()
    assert entry.image is not None and entry.image.title == "Quay at dawn"
    assert not errors, errors

    page.goto("/")
    links = f"a[href='{story.get_absolute_url()}']"
    card = page.locator("article.card", has=page.locator(links)).first
    assert card.locator(".card__live").inner_text().strip().lower() == "live"
    assert "volunteers fill sandbags" in card.locator(".card__latest").inner_text()
    # Only the live story's cards (the lead, its section's list) carry it.
    assert (
        page.locator("article.card--live").count()
        == page.locator(f"article.card:has({links})").count()
    )
    assert_fits(page)
    shots(page, "live-journey-3-headlines")
    both_widths(page, "live-cards-headlines")

    page.goto(story.get_absolute_url() + f"#{entry.anchor}")
    image = page.locator(f"#{entry.anchor} .live-entry__image img")
    assert image.get_attribute("alt") == "Volunteers fill sandbags on the quay"
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_fits(page)
    both_widths(page, "live-entry-picture")
    context.close()


def both_widths(page, name: str) -> None:
    """Screenshots at a laptop's and a phone's width, under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = page.viewport_size["height"]
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": height})
