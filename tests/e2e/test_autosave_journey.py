"""Autosave in a real browser: a killed tab, two people, a lost connection."""

from pathlib import Path

import pytest
import reversion
from django.contrib.auth.models import Group

from articles.models import Article
from drafts.models import AutosaveDraft
from tests.e2e.admin_pages import admin_login
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("roles")]

SHOTS = Path("/work/notes/shots/i15-autosave")
EDITOR_BOX = ".prose-editor .ProseMirror[contenteditable=true]"
SAVED = "Saved a few seconds ago"


def staff(username, password, group):
    user = UserFactory(username=username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def desk(browser, live_server, width=1280):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def assert_fits(page, name):
    """No horizontal scrolling at 1280 and 375 px; a screenshot at each."""
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{name} at {width}px scrolls sideways by {overflow}px"
        shot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def status(page):
    return page.locator(".autosave-status")


def type_in_body(page, text):
    page.locator(EDITOR_BOX).click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


@pytest.fixture
def story(db):
    journalist = staff("jo", "pw-journalist-1", "Journalists")
    AuthorFactory(name="Ines Okafor", user=journalist)
    with reversion.create_revision():
        story = ArticleFactory(
            headline="Ferry crews return to work",
            body="<p>The strike is over.</p>",
            dek="The first sailing is on Monday.",
            created_by=journalist,
            section=SectionFactory(name="World news", slug="world"),
        )
    return story


def test_a_killed_tab_is_recovered_restored_and_saved(browser, live_server, story):
    context, page, errors = desk(browser, live_server)
    admin_login(page, "jo", "pw-journalist-1")
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    type_in_body(page, " Pilots say the first crossing will be full, and the")
    status(page).filter(has_text=SAVED).wait_for(timeout=10_000)
    shot(page, "1-typing-saved")
    assert Article.objects.get(pk=story.pk).body == "<p>The strike is over.</p>"
    # Killed mid-sentence: the context goes without Save, pagehide or goodbye.
    context.close()
    assert not errors

    context, page, errors = desk(browser, live_server)
    admin_login(page, "jo", "pw-journalist-1")
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    offer = page.locator(".autosave-offer")
    offer.get_by_text("You have autosaved changes that were never saved").wait_for()
    added = " ".join(offer.locator("ins").all_inner_texts())
    assert "first crossing will be full" in added
    assert offer.get_by_role("button", name="Restore").is_visible()
    assert offer.get_by_role("button", name="Discard").is_visible()
    assert "Autosave paused" in status(page).inner_text()
    assert_fits(page, "2-offer-after-killed-tab")

    offer.get_by_role("button", name="Restore").click()
    offer.get_by_text("Restored your autosaved copy").wait_for()
    restored = page.locator(EDITOR_BOX).inner_text()
    assert "first crossing will be full, and the" in restored
    type_in_body(page, " crew is ready.")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    body = Article.objects.get(pk=story.pk).body
    assert "first crossing will be full, and the crew is ready." in body
    assert not AutosaveDraft.objects.exists()
    assert page.locator(".autosave-offer").count() == 0
    shot(page, "3-restored-and-saved")
    context.close()
    assert not errors


def test_someone_saving_in_between_gives_a_side_by_side_choice(
    browser, live_server, story
):
    staff("ed", "pw-editor-1", "Editors")
    # A types a new dek; the autosave has it; A's laptop dies.
    context, page, errors = desk(browser, live_server)
    admin_login(page, "jo", "pw-journalist-1")
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    page.fill("#id_dek", "Sailings resume on Monday with a full crew.")
    status(page).filter(has_text=SAVED).wait_for(timeout=10_000)
    context.close()

    # B, an editor, saves another dek in between.
    context, page, b_errors = desk(browser, live_server)
    admin_login(page, "ed", "pw-editor-1")
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    page.fill("#id_dek", "Ferries sail again from Monday.")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    context.close()
    story.refresh_from_db()
    # The autosave never overwrote the story: B's save is what it holds.
    assert story.dek == "Ferries sail again from Monday."

    context, page, errors = desk(browser, live_server)
    admin_login(page, "jo", "pw-journalist-1")
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    offer = page.locator(".autosave-offer--conflict")
    offer.get_by_text("Someone saved this story after your autosave").wait_for()
    assert "ed saved it at" in offer.inner_text()
    row = offer.locator("tr", has_text="Dek")
    assert row.locator(".autosave-mine").inner_text() == (
        "Sailings resume on Monday with a full crew."
    )
    assert row.locator(".autosave-saved").inner_text() == (
        "Ferries sail again from Monday."
    )
    assert page.locator("#id_dek").input_value() == "Ferries sail again from Monday."
    assert_fits(page, "4-side-by-side-choice")

    offer.get_by_role("button", name="Use my autosaved copy").click()
    page.get_by_text("Restored your autosaved copy").wait_for()
    assert page.locator("#id_dek").input_value() == (
        "Sailings resume on Monday with a full crew."
    )
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    story.refresh_from_db()
    assert story.dek == "Sailings resume on Monday with a full crew."
    context.close()
    assert not errors and not b_errors


def test_a_lost_connection_retries_and_the_browser_keeps_the_copy(
    browser, live_server, story
):
    context, page, errors = desk(browser, live_server)
    admin_login(page, "jo", "pw-journalist-1")
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    context.set_offline(True)
    type_in_body(page, " Offline words one.")
    status(page).filter(has_text="Not saved — retrying").wait_for(timeout=10_000)
    shot(page, "5-offline-retrying")
    assert not AutosaveDraft.objects.exists()
    context.set_offline(False)
    status(page).filter(has_text=SAVED).wait_for(timeout=10_000)
    assert "Offline words one." in AutosaveDraft.objects.get().fields["body"]

    # Offline again, and the tab is closed before the server has the words:
    # the browser's copy is sent when the story is opened again.
    context.set_offline(True)
    type_in_body(page, " Words the server never got.")
    status(page).filter(has_text="Not saved — retrying").wait_for(timeout=10_000)
    page.close()
    context.set_offline(False)
    assert "never got" not in AutosaveDraft.objects.get().fields["body"]

    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    offer = page.locator(".autosave-offer")
    offer.get_by_text("You have autosaved changes that were never saved").wait_for()
    assert "Words the server never got." in " ".join(
        offer.locator("ins").all_inner_texts()
    )
    assert "never got" in AutosaveDraft.objects.get().fields["body"]
    assert_fits(page, "6-offer-from-browser-copy")
    offer.get_by_role("button", name="Discard").click()
    page.get_by_text("Discarded the autosaved copy.").wait_for()
    assert not AutosaveDraft.objects.exists()
    context.close()
    assert not errors


def test_a_signed_out_session_is_not_reported_as_saved(browser, live_server, story):
    context, page, errors = desk(browser, live_server)
    admin_login(page, "jo", "pw-journalist-1")
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    context.clear_cookies(name="sessionid")
    type_in_body(page, " Typed after the session ended.")
    status(page).filter(has_text="Not saved: you are signed out").wait_for(
        timeout=10_000
    )
    assert "Saved a few seconds ago" not in status(page).inner_text()
    assert not AutosaveDraft.objects.exists()
    kept = page.evaluate("JSON.stringify(localStorage)")
    assert "Typed after the session ended." in kept
    shot(page, "7-signed-out")
    context.close()
    assert not errors
