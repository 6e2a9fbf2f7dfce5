"""The library's content type follows the model from "articles" to "images",
so its permissions, the roles' grants, admin log entries and revisions keep
pointing at it. Then the roles are brought up to date (core/roles.py
names the image permissions under "images")."""

from django.contrib.contenttypes.models import ContentType
from django.db import migrations

from core.roles import roles_migrate

MOVED = ["image"]


def _relabel(apps, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        # Made empty by create_permissions before this ran (a database that
        # never had the old one): the old one, with its grants, wins.
        if content_type.objects.filter(app_label=old, model=model).exists():
            content_type.objects.filter(app_label=new, model=model).delete()
        content_type.objects.filter(app_label=old, model=model).update(app_label=new)
    content_type.objects.clear_cache()
    ContentType.objects.clear_cache()  # the running process's, too


def forwards(apps, schema_editor):
    _relabel(apps, "articles", "images")
    roles_migrate(apps, schema_editor)


def backwards(apps, schema_editor):
    _relabel(apps, "images", "articles")


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0001_initial"),
        ("articles", "0012_image_moves_to_images"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
