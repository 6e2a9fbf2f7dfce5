"""The newsroom's roles."""

from django.db import migrations

from core.roles import roles_migrate


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_workflow"),
        ("tags", "0003_trigram_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(roles_migrate, migrations.RunPython.noop)]
