import importlib

from django.db import migrations

# The purge job left newsroom/ for the pagecache app. A run queued, or failed
# and waiting for its retry, under either earlier path runs under the new one
# (0002 had already moved `newsroom.jobs.purge_cdn` to `newsroom.purge`; a
# database migrated past 0002 may still hold either).
MOVED = {
    "newsroom.jobs.purge_cdn": "pagecache.tasks.purge_cdn",
    "newsroom.purge.purge_cdn": "pagecache.tasks.purge_cdn",
}

repoint = importlib.import_module("jobs.migrations.0002_moved_job_paths").repoint


def forwards(apps, schema_editor):
    repoint(apps, schema_editor, MOVED)


def backwards(apps, schema_editor):
    back = {"pagecache.tasks.purge_cdn": "newsroom.purge.purge_cdn"}
    repoint(apps, schema_editor, back)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_moved_job_paths")]

    operations = [migrations.RunPython(forwards, backwards)]
