"""The picture on a published story is part of the story: only those who may
edit the live story (editors) may change it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from images.models import Image
from images.services import image_update
from tests.articles.staff import member
from tests.factories import ArticleFactory
from tests.images.test_images import make_image

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]

ALT = "Boats in the harbour"
NEW_ALT = "An empty quay at night"


def image_form(image: Image, **changes) -> dict:
    return {
        "title": image.title,
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "focal_x": str(image.focal_x),
        "focal_y": str(image.focal_y),
    } | changes


def as_member(group: str, username: str) -> Client:
    client = Client()
    client.force_login(member(group, username))
    return client


@pytest.fixture
def lead_picture(admin_user):
    image = make_image(admin_user, caption="Boats at dawn.", credit="Ana Ruiz")
    story = ArticleFactory(published=True, hero_image=image)
    return image, story


def row(image: Image) -> dict:
    return Image.objects.filter(pk=image.pk).values().get()


@pytest.mark.parametrize(
    "changes",
    [
        {"alt_text": NEW_ALT},
        {"caption": "A quay at night."},
        {"credit": "Someone else"},
        {"focal_x": "0.1", "focal_y": "0.9"},
    ],
    ids=["alt text", "caption", "credit", "focal point"],
)
def test_journalist_cannot_change_the_picture_of_a_live_story(lead_picture, changes):
    image, story = lead_picture
    reader = Client()
    page_before = reader.get(story.get_absolute_url()).content.decode()
    before = row(image)
    journalist = as_member("Journalists", "jo")
    url = reverse("admin:images_image_change", args=[image.pk])
    warned = journalist.get(url).content.decode()
    assert "which is published: only an editor can change it" in warned

    response = journalist.post(
        reverse("admin:images_image_change", args=[image.pk]),
        image_form(image, **changes),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "which is published: only an editor can change it" in html
    assert "Nothing was changed." in html
    assert row(image) == before
    page_after = Client().get(story.get_absolute_url()).content.decode()
    assert f'alt="{ALT}"' in page_after and "Boats at dawn." in page_after
    assert NEW_ALT not in page_after and "A quay at night." not in page_after
    assert page_after.count("Ana Ruiz") == page_before.count("Ana Ruiz")


def test_a_scheduled_story_s_picture_is_protected_too(admin_user):
    image = make_image(admin_user)
    ArticleFactory(scheduled=True, hero_image=image)
    before = row(image)
    response = as_member("Journalists", "jo").post(
        reverse("admin:images_image_change", args=[image.pk]),
        image_form(image, alt_text=NEW_ALT),
    )
    assert "only an editor can change it" in response.content.decode()
    assert row(image) == before


def test_editor_changes_the_picture_of_a_live_story(lead_picture):
    image, story = lead_picture
    response = as_member("Editors", "ed").post(
        reverse("admin:images_image_change", args=[image.pk]),
        image_form(image, alt_text=NEW_ALT, caption="A quay at night."),
        follow=True,
    )
    assert response.status_code == 200
    assert "was changed successfully" in response.content.decode()
    image.refresh_from_db()
    assert (image.alt_text, image.caption) == (NEW_ALT, "A quay at night.")
    page = Client().get(story.get_absolute_url()).content.decode()
    assert f'alt="{NEW_ALT}"' in page and "A quay at night." in page


def test_journalist_still_changes_pictures_of_drafts(admin_user):
    image = make_image(admin_user)
    ArticleFactory(hero_image=image)  # a draft
    response = as_member("Journalists", "jo").post(
        reverse("admin:images_image_change", args=[image.pk]),
        image_form(image, alt_text=NEW_ALT),
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == NEW_ALT


def test_the_service_refuses_too(lead_picture):
    image, _ = lead_picture
    journalist = member("Journalists", "jo")
    image.alt_text = NEW_ALT
    with pytest.raises(PermissionDenied, match="only an editor can change it"):
        image_update(image=image, by=journalist, focal_changed=False)
    assert Image.objects.get(pk=image.pk).alt_text == ALT
