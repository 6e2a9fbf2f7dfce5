import pytest
from django.contrib.auth.models import Group

from articles.models import Article
from images.models import Image
from tests.e2e.admin_pages import admin_login, choose_autocomplete, confirm_and_press
from tests.factories import AuthorFactory, SectionFactory, UserFactory
from tests.images import picture_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("roles")]


def test_journalist_uploads_sets_focal_point_and_uses_a_hero_image(
    browser, live_server, tmp_path, screenshot
):
    SectionFactory(name="World news", slug="world")
    journalist = UserFactory(username="jo", password="pw-journalist-1", is_staff=True)
    journalist.groups.add(Group.objects.get(name="Journalists"))
    AuthorFactory(name="Ines Okafor", user=journalist)
    editor = UserFactory(username="ed", password="pw-editor-1", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    photo = tmp_path / "quay.jpg"
    photo.write_bytes(picture_bytes((1800, 1200), color=(70, 110, 150)))

    desk = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 1000}
    )
    page = desk.new_page()
    admin_login(page, "jo", "pw-journalist-1")
    page.goto("/admin/images/image/add/")
    page.set_input_files("#id_upload", str(photo))
    page.fill("#id_title", "Ferry at the quay")
    page.fill("#id_alt_text", "A white ferry tied up at the quay in the morning")
    page.fill("#id_credit", "Ana Ruiz / Cupure")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()

    # Click near the top-left third of the picture to set the focal point.
    picker = page.locator(".focal-picker img")
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.3})
    assert float(page.input_value("#id_focal_x")) == pytest.approx(0.25, abs=0.02)
    screenshot(page, "images-journey-1-focal-point")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    image = Image.objects.get()
    assert image.focal_x == pytest.approx(0.25, abs=0.02)
    assert image.focal_y == pytest.approx(0.3, abs=0.02)

    page.goto("/admin/articles/article/add/")
    page.fill("#id_headline", "Ferries run again after the storm")
    choose_autocomplete(page, "id_section", "World news")
    choose_autocomplete(page, "id_bylines-0-author", "Ines Okafor")
    page.locator(".prose-editor .ProseMirror[contenteditable=true]").click()
    page.keyboard.type("The first crossing left at seven.")
    choose_autocomplete(page, "id_hero_image", "Ferry at the quay")
    page.locator(".hero-preview img").wait_for()
    screenshot(page, "images-journey-2-hero-chosen")
    page.click("input[name=_submit]")
    page.locator(".messagelist", has_text="Submitted for review").wait_for()
    story = Article.objects.get()
    assert story.hero_image == image
    desk.close()

    # An editor publishes; a reader sees the picture.
    desk = browser.new_context(base_url=live_server.url)
    page = desk.new_page()
    admin_login(page, "ed", "pw-editor-1")
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    confirm_and_press(page, "_publish")
    page.locator(".messagelist", has_text="The story is live.").wait_for()
    desk.close()

    reader = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 1000}
    )
    page = reader.new_page()
    story.refresh_from_db()
    page.goto(story.get_absolute_url())
    hero = page.locator(".story__hero img")
    assert (
        hero.get_attribute("alt") == "A white ferry tied up at the quay in the morning"
    )
    assert "800w" in hero.get_attribute("srcset")
    assert "image/webp" in page.locator(".story__hero source").get_attribute("type")
    assert hero.evaluate("img => img.complete && img.naturalWidth > 0")
    assert (
        "Photo: Ana Ruiz / Cupure"
        in page.locator(".story__hero figcaption").inner_text()
    )
    screenshot(page, "images-journey-3-story")
    reader.close()
