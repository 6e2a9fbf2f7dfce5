"""A database made before the image library had its own app migrates forward
with every picture, rendition file, permission and grant intact."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from articles.models import Article
from images.models import Image
from tests.images import picture_bytes

# The leaf migrations of the apps the move touches, as on main before it.
BEFORE_THE_MOVE = [
    ("articles", "0011_article_published_index"),
    ("images", None),
]
IMAGE_PERMISSIONS = ["add_image", "change_image", "view_image"]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    state = executor.migrate(targets)
    ContentType.objects.clear_cache()
    return state


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def old_layout_world(apps):
    """What today's main holds: an image with its files and renditions, a
    story leading with it, a group granted the image permissions, a member,
    and an admin log entry about the image."""
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")
    user_model = apps.get_model("auth", "User")
    old_image = apps.get_model("articles", "Image")

    original = default_storage.save(
        "images/2026/11/harbour.jpg", ContentFile(picture_bytes((640, 360)))
    )
    renditions = []
    for ratio, width, height in [("16:9", 480, 270), ("1:1", 160, 160)]:
        data = picture_bytes((width, height))
        name = default_storage.save(
            f"images/renditions/old/{ratio.replace(':', 'x')}-{width}.jpeg",
            ContentFile(data),
        )
        renditions.append(
            {
                "ratio": ratio,
                "width": width,
                "height": height,
                "format": "jpeg",
                "name": name,
                "url": default_storage.url(name),
                "bytes": len(data),
            }
        )
    image = old_image.objects.create(
        file=original,
        title="Harbour at dawn",
        alt_text="Fishing boats moored three deep in the harbour",
        caption="Boats at dawn.",
        credit="Ana Ruiz",
        width=640,
        height=360,
        format="JPEG",
        focal_x=0.25,
        focal_y=0.75,
        renditions=renditions,
    )
    section = apps.get_model("articles", "Section").objects.create(
        name="Harbour", slug="harbour"
    )
    story = apps.get_model("articles", "Article").objects.create(
        headline="Boats come home",
        slug="boats-come-home",
        section=section,
        hero_image=image,
    )

    image_type, _ = content_type.objects.get_or_create(
        app_label="articles", model="image"
    )
    grants = []
    for codename in IMAGE_PERMISSIONS:
        grant, _ = permission.objects.get_or_create(
            content_type=image_type,
            codename=codename,
            defaults={"name": codename.replace("_", " ")},
        )
        grants.append(grant)
    desk = group_model.objects.create(name="Picture desk")
    desk.permissions.set(grants)
    member = user_model.objects.create(username="pia", is_staff=True)
    member.groups.add(desk)
    apps.get_model("admin", "LogEntry").objects.create(
        user=member,
        content_type=image_type,
        object_id=str(image.pk),
        object_repr=image.title,
        action_flag=2,
        change_message="Changed the focal point.",
    )
    return {
        "image": old_image.objects.filter(pk=image.pk).values().get(),
        "files": {
            name: default_storage.open(name).read()
            for name in [original, *(r["name"] for r in renditions)]
        },
        "story": story.pk,
        "permissions": sorted(grant.pk for grant in grants),
        "content_type": image_type.pk,
        "member": member.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_a_database_at_the_old_layout_migrates_with_its_images_intact():
    try:
        old_apps = migrate(BEFORE_THE_MOVE).apps
        before = old_layout_world(old_apps)

        migrate_to_latest()

        image = Image.objects.get()
        assert Image.objects.filter(pk=image.pk).values().get() == before["image"]
        for name, content in before["files"].items():
            with default_storage.open(name) as stored:
                assert stored.read() == content, name
        assert image.rendition("16:9", 480)["name"] in before["files"]
        assert Article.objects.get(pk=before["story"]).hero_image == image

        image_type = ContentType.objects.get_for_model(Image)
        assert image_type.pk == before["content_type"]
        assert (image_type.app_label, image_type.model) == ("images", "image")
        assert not ContentType.objects.filter(app_label="articles", model="image")
        kept = set(image_type.permission_set.values_list("pk", flat=True))
        assert set(before["permissions"]) <= kept
        assert not Permission.objects.filter(
            content_type__app_label="articles", codename__endswith="_image"
        )

        member = get_user_model().objects.get(pk=before["member"])
        for codename in IMAGE_PERMISSIONS:
            assert member.has_perm(f"images.{codename}")
            assert not member.has_perm(f"articles.{codename}")
        journalist = get_user_model().objects.create(username="jo", is_staff=True)
        journalist.groups.add(Group.objects.get(name="Journalists"))
        assert journalist.has_perm("images.change_image")
        assert not journalist.has_perm("images.delete_image")

        log = member.logentry_set.get()
        assert log.get_admin_url() == reverse(
            "admin:images_image_change", args=[image.pk]
        )
        assert log.get_edited_object() == image

        client = Client()
        client.force_login(member)
        page = client.get(reverse("admin:images_image_change", args=[image.pk]))
        assert page.status_code == 200
        assert "Fishing boats moored three deep in the harbour" in page.text
        library = client.get(reverse("admin:images_image_changelist"))
        assert library.status_code == 200
        assert "Harbour at dawn" in library.text
    finally:
        migrate_to_latest()
