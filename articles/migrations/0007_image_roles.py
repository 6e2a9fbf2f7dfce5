"""The image library's permissions join the roles."""

from django.db import migrations

from core.roles import roles_migrate


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_images")]

    operations = [migrations.RunPython(roles_migrate, migrations.RunPython.noop)]
