"""Renditions are cut by a job; until then pages show the cleaned original."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from images.imaging import check_and_clean
from images.models import Image
from images.services import image_create, image_update
from tests.factories import ArticleFactory
from tests.images import picture_bytes


def make_image(user, size=(1600, 900)):
    upload = check_and_clean("photo.jpg", picture_bytes(size))
    return image_create(
        upload=upload, by=user, title="Harbour", alt_text="Boats in the harbour"
    )


@pytest.mark.django_db
def test_an_upload_enqueues_its_renditions_and_the_job_cuts_them(admin_user, enqueued):
    image = make_image(admin_user)

    assert enqueued == [("generate_renditions", {"image_id": image.pk})]
    assert {r["ratio"] for r in image.renditions} == {"16:9", "1:1", "original"}
    assert Image.objects.get().renditions == image.renditions


@pytest.mark.django_db
def test_moving_the_focal_point_enqueues_new_renditions(admin_user, enqueued):
    image = make_image(admin_user)
    image.focal_x = 0.9
    image_update(image=image, by=admin_user, focal_changed=True)
    assert [kwargs for _, kwargs in enqueued] == [{"image_id": image.pk}] * 2


@pytest.mark.django_db
def test_a_job_for_a_picture_deleted_meanwhile_has_nothing_to_do():
    from images.tasks import generate_renditions

    result = generate_renditions.enqueue(image_id=123456)
    assert (result.status, result.return_value) == ("SUCCESSFUL", 0)


# --- With the database backend, as in production -----------------------------------


def upload_through_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:images_image_add"),
        {
            "upload": SimpleUploadedFile("IMG_0001.JPG", picture_bytes((1600, 900))),
            "title": "Ferry at the quay",
            "alt_text": "A white ferry tied up at the quay",
        },
    )
    assert response.status_code == 302
    return Image.objects.get()


@pytest.mark.django_db
def test_until_the_worker_runs_pages_show_the_original(
    admin_client, database_tasks, client
):
    image = upload_through_the_admin(admin_client)
    assert image.renditions == []
    job = DBTaskResult.objects.get()
    assert (job.status, job.task_path) == (
        "READY",
        "images.tasks.generate_renditions",
    )
    story = ArticleFactory(published=True, hero_image=image)

    story_page = client.get(story.get_absolute_url()).content.decode()
    section_page = client.get(story.section.get_absolute_url()).content.decode()
    library = admin_client.get(reverse("admin:images_image_changelist"))

    for html in (story_page, section_page):
        assert f'src="{image.file.url}"' in html
        assert 'alt="A white ferry tied up at the quay"' in html
        assert "<picture" not in html
    assert library.status_code == 200
    assert image.file.url in library.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_cuts_the_renditions_and_pages_use_them(
    admin_client, database_tasks, run_worker, client
):
    image = upload_through_the_admin(admin_client)
    story = ArticleFactory(published=True, hero_image=image)

    run_worker()

    image.refresh_from_db()
    assert max(r["width"] for r in image.renditions) == 1600
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<picture class="story__hero-picture">' in html
    assert " 480w, " in html


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_under_the_old_path_still_cuts_the_renditions(
    admin_client, database_tasks, run_worker, client
):
    """Runs stored before the renditions job moved to images/ are named
    `articles.tasks.generate_renditions`; the worker still runs them."""
    from articles.tasks import generate_renditions

    image = upload_through_the_admin(admin_client)
    DBTaskResult.objects.all().delete()  # as if queued before the move:
    generate_renditions.enqueue(image_id=image.pk)
    story = ArticleFactory(published=True, hero_image=image)

    run_worker()

    job = DBTaskResult.objects.get()
    assert (job.status, job.task_path) == (
        "SUCCESSFUL",
        "articles.tasks.generate_renditions",
    )
    image.refresh_from_db()
    assert max(r["width"] for r in image.renditions) == 1600
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<picture class="story__hero-picture">' in html
