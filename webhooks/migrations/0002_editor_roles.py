"""The Editors' webhook permissions, now that the models exist."""

from django.db import migrations

from core.roles import roles_migrate


class Migration(migrations.Migration):
    # After every app whose permissions the roles list: roles_sync sets each
    # group to exactly the permissions that exist when it runs.
    dependencies = [
        ("webhooks", "0001_initial"),
        ("newsletters", "0003_editions"),
        ("articles", "0012_image_moves_to_images"),
        ("images", "0002_content_types"),
        ("tags", "0007_normalise_names"),
        ("comments", "0009_readerprofile_to_accounts"),
        ("accounts", "0003_readerprofile_banned_until"),
    ]

    operations = [migrations.RunPython(roles_migrate, migrations.RunPython.noop)]
