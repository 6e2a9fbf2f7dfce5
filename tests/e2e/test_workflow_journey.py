from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, Status
from tests.e2e.admin_pages import (
    add_correction,
    admin_login,
    choose_autocomplete,
    confirm_and_press,
    staff,
)
from tests.factories import AuthorFactory, SectionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("roles")]


def test_draft_review_schedule_go_live_and_correct(browser, live_server, screenshot):
    SectionFactory(name="World news", slug="world")
    journalist = staff("jo", "pw-journalist-1", "Journalists")
    AuthorFactory(name="Ines Okafor", user=journalist)
    staff("ed", "pw-editor-1", "Editors")

    # The journalist drafts a story, then improves the dek and submits it.
    desk = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 1000}
    )
    page = desk.new_page()
    admin_login(page, "jo", "pw-journalist-1")
    page.goto("/admin/articles/article/add/")
    page.fill("#id_headline", "Strait pilots agree to a new rota")
    page.fill("#id_dek", "A first draft of the dek.")
    choose_autocomplete(page, "id_section", "World news")
    choose_autocomplete(page, "id_bylines-0-author", "Ines Okafor")
    page.locator(".prose-editor .ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Pilots on the Amber Strait will work shorter shifts.")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    assert page.locator("input[name=_publish]").count() == 0
    page.fill("#id_dek", "Shorter shifts start in the spring.")
    page.click("input[name=_submit]")
    page.locator(".messagelist", has_text="Submitted for review").wait_for()
    story = Article.objects.get()
    assert story.status == Status.IN_REVIEW
    desk.close()

    # The editor reads what changed and schedules the story.
    desk = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 1000}
    )
    page = desk.new_page()
    admin_login(page, "ed", "pw-editor-1")
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    page.click("text=Compare revisions")
    versions = page.locator(".revision-picker tbody tr")
    versions.last.locator("input[name=a]").check()
    versions.first.locator("input[name=b]").check()
    page.click(".revision-picker-form input[type=submit]")
    dek_row = page.locator(".revision-diff tr", has_text="Dek")
    removed = "".join(dek_row.locator("del").all_inner_texts())
    added = "".join(dek_row.locator("ins").all_inner_texts())
    assert removed.startswith("A first draft of")
    assert added.startswith("Shorter shifts start in")
    screenshot(page, "workflow-journey-1-diff")

    go_live = timezone.localtime() + timedelta(hours=2)
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    page.fill("#id_go_live_at_0", go_live.strftime("%Y-%m-%d"))
    page.fill("#id_go_live_at_1", go_live.strftime("%H:%M:%S"))
    confirm_and_press(page, "_schedule")
    page.locator(
        ".messagelist", has_text="Scheduled: the story goes live at"
    ).wait_for()
    story.refresh_from_db()
    assert story.is_scheduled

    reader = browser.new_context(base_url=live_server.url)
    reader_page = reader.new_page()
    url = story.get_absolute_url()
    assert reader_page.goto(url).status == 404

    with time_machine.travel(go_live + timedelta(minutes=1), tick=True):
        response = reader_page.goto(url)
        assert response.status == 200
        assert (
            reader_page.locator("h1").inner_text()
            == "Strait pilots agree to a new rota"
        )
        reader_page.goto("/")
        assert "Strait pilots agree" in reader_page.locator(".front").inner_text()

        # The editor appends a correction; readers see it with the time.
        page.goto(f"/admin/articles/article/{story.pk}/change/")
        add_correction(page, "An earlier version misnamed the strait.")

        reader_page.goto(url)
        notes = reader_page.locator(".story__notes")
        assert "An earlier version misnamed the strait." in notes.inner_text()
        assert "Updated" in reader_page.locator(".story__meta").inner_text()
        screenshot(reader_page, "workflow-journey-2-corrected-story")

    trail = list(story.events.order_by("at").values_list("action", "actor__username"))
    assert trail == [
        ("created", "jo"),
        ("submitted", "jo"),
        ("scheduled", "ed"),
        ("corrected", "ed"),
    ]
    reader.close()
    desk.close()
