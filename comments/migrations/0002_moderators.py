"""The Moderators' permissions, now that comment models exist."""

from django.db import migrations

from core.roles import roles_migrate


class Migration(migrations.Migration):
    dependencies = [("comments", "0001_initial"), ("articles", "0008_article_comments_mode")]

    operations = [migrations.RunPython(roles_migrate, migrations.RunPython.noop)]
