"""The story form as journalists and editors meet it: verbs on the buttons,
the publishing panel in view, the link dialog, the checklist, the
confirmation step, the explicit "Schedule for …" button."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django.utils.dateformat import format as date_format

from articles.buttons import SCHEDULE_FORMAT
from articles.models import Article, LeadIn, Status
from images.imaging import check_and_clean
from images.services import image_create
from tests.e2e.admin_pages import (
    add_correction,
    admin_login,
    assert_no_horizontal_overflow,
    choose_autocomplete,
    confirm_and_press,
    fill_story_top,
    press_crafted_button,
    staff,
    type_and_link,
)
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.images import picture_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("roles")]


def desk(browser, live_server, width=1280):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    return context, context.new_page()


def labels(page) -> list[str]:
    return [
        b.get_attribute("value")
        for b in page.locator(".publishing-panel .submit-row input").all()
    ]


def check_widths(browser, live_server, login, path, screenshot, name):
    """The same screen at 375 px: nothing scrolls sideways."""
    context, narrow = desk(browser, live_server, width=375)
    admin_login(narrow, *login)
    narrow.goto(path)
    assert_no_horizontal_overflow(narrow)
    screenshot(narrow, f"{name}-375")
    context.close()


def test_journalist_writes_a_reference_story_and_cannot_publish(
    browser, live_server, screenshot
):
    SectionFactory(name="World news", slug="world")
    journalist = staff("jo", "pw-journalist-1", "Journalists")
    AuthorFactory(name="Ines Okafor", user=journalist)
    LeadIn.objects.get_or_create(label="The big picture:")
    LeadIn.objects.get_or_create(label="Go deeper:")
    image_create(
        upload=check_and_clean("quay.jpg", picture_bytes()),
        by=staff("ed", "pw-editor-1", "Editors"),
        title="Ferry at the quay",
        alt_text="A white ferry tied up at the quay in the morning",
        credit="Ana Ruiz / Cupure",
    )
    ArticleFactory(published=True, headline="How the strait rota began")

    context, page = desk(browser, live_server)
    admin_login(page, "jo", "pw-journalist-1")
    page.goto("/admin/articles/article/add/")
    assert labels(page) == ["Save draft", "Submit for review"]
    panel = page.locator(".publishing-panel")
    assert panel.is_visible()
    assert_no_horizontal_overflow(page)

    fill_story_top(
        page, "Strait pilots agree to a new rota", "Shorter shifts start in the spring."
    )

    body = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    body.click()
    # The dropdowns' arrows are a glyph every system font has (not "⏷").
    arrows = page.eval_on_selector_all(
        ".prose-menubar__selected",
        "els => els.map(e => getComputedStyle(e, '::after').content)",
    )
    assert arrows and set(arrows) == {'"▾"'}
    page.locator(".prose-menubar__selected", has_text="Lead-in").click()
    options = page.locator(".prose-menubar__option").all_inner_texts()
    assert "The big picture:" in options
    assert "Go deeper:" not in options  # one way only: the inline below
    page.locator(".prose-menubar__option", has_text="The big picture:").click()
    page.keyboard.type("Pilots will work shorter shifts. Read the ")
    dialog = type_and_link(page, "background")
    assert dialog.locator(".prose-editor-dialog-title").inner_text() == "Insert link"
    assert dialog.locator("button[type=submit]").inner_text() == "Insert"
    screenshot(page, "story-form-1-insert-link")
    dialog.locator("input[name=href]").fill("https://example.com/background")
    dialog.locator("button[type=submit]").click()
    page.keyboard.press("End")
    page.keyboard.type(" today.")
    assert body.locator("a").inner_text() == "background"
    body.locator("a").click()
    page.locator(".prose-menubar button[data-name=link]").click()
    dialog = page.locator("dialog[open]")
    assert dialog.locator(".prose-editor-dialog-title").inner_text() == "Edit link"
    assert dialog.locator("button[type=submit]").inner_text() == "Update"
    dialog.locator("button[value=cancel]").click()

    page.fill("#id_tags", "strait pilots, shipping")
    choose_autocomplete(page, "id_hero_image", "Ferry at the quay")
    page.locator("summary", has_text="Syndication").click()
    page.fill("#id_source_name", "Strait Gazette")
    page.fill("#id_source_url", "https://gazette.example/rota")
    page.click("text=Add another “Go deeper” story")
    choose_autocomplete(page, "id_related_links-0-target", "How the strait rota")
    assert panel.is_visible()  # still in view with the page scrolled down
    assert panel.bounding_box()["y"] < 900
    screenshot(page, "story-form-2-journalist-writing")

    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    story = Article.objects.get(headline="Strait pilots agree to a new rota")
    assert '<strong class="lead-in">The big picture:</strong>' in story.body
    assert '<a href="https://example.com/background"' in story.body
    assert "background</a> today." in story.body
    checklist = page.locator(".publishing-panel .story-checklist")
    assert checklist.locator(".story-checklist__item--warn").count() == 0, (
        checklist.inner_text()
    )
    assert labels(page) == ["Save draft", "Submit for review"]
    assert_no_horizontal_overflow(page)
    screenshot(page, "story-form-3-journalist-saved")
    check_widths(
        browser,
        live_server,
        ("jo", "pw-journalist-1"),
        f"/admin/articles/article/{story.pk}/change/",
        screenshot,
        "story-form-3-journalist-saved",
    )

    page.click("input[name=_submit]")
    page.locator(".messagelist", has_text="Submitted for review").wait_for()
    assert labels(page) == ["Save draft", "Return to draft"]

    # A crafted publish button is refused by the server.
    press_crafted_button(page, "_publish", ".story-actions")
    page.locator(".messagelist", has_text="Only editors can publish").wait_for()
    story.refresh_from_db()
    assert story.status == Status.IN_REVIEW and story.published_at is None
    context.close()


def select_in_editor(page, text):
    """Select the first occurrence of `text` in the body editor.

    Through the editor's own selection command (Tiptap keeps the editor on
    its element): key presses sent while the editor was still settling
    after a save were sometimes dropped, and a half-made selection timed
    out. The page's selection is then checked, as a reader of the screen
    would see it."""
    page.evaluate(
        """text => {
            const editor = document.querySelector(
                '.prose-editor .ProseMirror[contenteditable=true]').editor
            let from = null
            editor.state.doc.descendants((node, pos) => {
                if (from === null && node.isText && node.text.includes(text)) {
                    from = pos + node.text.indexOf(text)
                }
            })
            editor.chain().focus().setTextSelection(
                {from, to: from + text.length}).run()
        }""",
        text,
    )
    page.wait_for_function(
        "expected => window.getSelection().toString() === expected", arg=text
    )


def test_editor_reads_the_diff_checks_schedules_and_corrects(
    browser, live_server, screenshot
):
    section = SectionFactory(name="World news", slug="world")
    staff("ed", "pw-editor-1", "Editors")
    story = ArticleFactory(
        section=section,
        headline="Strait pilots agree to a new rota",
        dek="",
        body="<p>The big picture: pilots will work shorter shifts.</p>",
    )
    context, page = desk(browser, live_server)
    admin_login(page, "ed", "pw-editor-1")
    change = f"/admin/articles/article/{story.pk}/change/"

    # Three saves: the first revision, one that changes nothing, one that
    # adds a lead-in.
    page.goto(change)
    for _ in range(2):
        page.click("input[name=_continue]")
        page.locator(".messagelist .success").wait_for()
    select_in_editor(page, "The big picture:")
    page.locator(".prose-menubar__selected", has_text="Lead-in").click()
    page.locator(".prose-menubar__option", has_text="Mark selection").click()
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()

    page.click("text=Compare revisions")
    assert "1 save that changed nothing shown here is hidden." in page.inner_text(
        "#content-main"
    )
    assert "No fields changed" not in page.inner_text(".revision-picker")
    body_row = page.locator(".revision-diff tr", has_text="Body")
    assert "changed" in body_row.get_attribute("class")
    assert body_row.locator("ins strong.lead-in").inner_text() == "The big picture:"
    assert_no_horizontal_overflow(page)
    screenshot(page, "story-form-4-editor-diff")
    check_widths(
        browser,
        live_server,
        ("ed", "pw-editor-1"),
        f"/admin/articles/article/{story.pk}/compare/",
        screenshot,
        "story-form-4-editor-diff",
    )

    # The checklist names what is missing; the schedule button names its time.
    page.goto(change)
    checklist = page.locator(".publishing-panel .story-checklist")
    assert "Add a dek" in checklist.inner_text()
    schedule = page.locator("input[name=_schedule]")
    assert schedule.get_attribute("value") == "Schedule (choose a time)"
    assert schedule.is_disabled()
    go_live = (timezone.localtime() + timedelta(hours=2)).replace(
        second=0, microsecond=0
    )
    page.fill("#id_go_live_at_0", go_live.strftime("%d/%m/%Y"))
    page.fill("#id_go_live_at_1", go_live.strftime("%H:%M"))
    expected = f"Schedule for {date_format(go_live, SCHEDULE_FORMAT)}"
    page.wait_for_function(
        "label => document.querySelector('input[name=_schedule]').value === label",
        arg=expected,
    )
    assert labels(page)[:4] == [
        "Save draft",
        "Submit for review",
        "Publish now",
        expected,
    ]
    assert_no_horizontal_overflow(page)
    screenshot(page, "story-form-5-editor-schedule")
    check_widths(
        browser,
        live_server,
        ("ed", "pw-editor-1"),
        change,
        screenshot,
        "story-form-5-editor-form",
    )

    page.click("input[name=_schedule]")
    dialog = page.locator("dialog.publish-confirm[open]")
    dialog.wait_for()
    assert dialog.locator(".publish-confirm__title").inner_text() == expected
    assert "Readers will see this story" in dialog.inner_text()
    assert "Add a dek" in dialog.locator(".story-checklist").inner_text()
    screenshot(page, "story-form-6-editor-confirm")
    dialog.locator(".publish-confirm__cancel").click()
    story.refresh_from_db()
    assert story.status == Status.DRAFT  # cancelling changes nothing

    readers = confirm_and_press(page, "_schedule")
    assert readers.startswith("Readers will see this story")
    page.locator(
        ".messagelist", has_text="Scheduled: the story goes live at"
    ).wait_for()
    story.refresh_from_db()
    assert story.is_scheduled
    assert timezone.localtime(story.published_at) == go_live

    reader = browser.new_context(base_url=live_server.url)
    reader_page = reader.new_page()
    url = story.get_absolute_url()
    assert reader_page.goto(url).status == 404
    with time_machine.travel(go_live + timedelta(minutes=1), tick=True):
        assert reader_page.goto(url).status == 200
        page.goto(change)
        assert labels(page)[:1] == ["Save changes"]
        assert "Unpublish" in labels(page)
        add_correction(page, "An earlier version misnamed the strait.")
        reader_page.goto(url)
        notes = reader_page.locator(".story__notes")
        assert "An earlier version misnamed the strait." in notes.inner_text()

        page.goto("/admin/articles/article/")
        row = page.locator("#result_list tbody tr", has_text="Strait pilots")
        assert "Live" in row.inner_text()
        assert "World news" in row.inner_text()
        # Every column shows within the list: nothing cut, no sideways scroll.
        results = page.locator("#changelist .results")
        assert results.evaluate("e => e.scrollWidth <= e.clientWidth")
        edge = results.bounding_box()
        updated = page.locator("#result_list th.column-updated_at").bounding_box()
        assert updated["x"] + updated["width"] <= edge["x"] + edge["width"]
        header = page.locator("#result_list th.column-updated_at").text_content()
        assert header.strip().lower() == "updated at"
        headline = page.locator("#result_list th.column-story").bounding_box()
        assert headline["width"] >= 250
        filters = page.locator("#changelist-filter").inner_text()
        assert "Live" in filters and "Published" not in filters
        assert_no_horizontal_overflow(page)
        screenshot(page, "story-form-7-story-list")
    reader.close()
    context.close()
