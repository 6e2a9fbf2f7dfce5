from django.db import migrations

# Jobs whose function moved to another module. A run queued, or failed and
# waiting for its retry, under the old path runs under the new one.
MOVED = {
    "newsroom.jobs.purge_cdn": "newsroom.purge.purge_cdn",
}


def repoint(apps, schema_editor, moves):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in moves.items():
        DBTaskResult.objects.filter(task_path=old).exclude(
            status__in=("SUCCESSFUL", "FAILED")
        ).update(task_path=new)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_lease")]

    operations = [
        migrations.RunPython(
            lambda apps, editor: repoint(apps, editor, MOVED),
            lambda apps, editor: repoint(
                apps, editor, {new: old for old, new in MOVED.items()}
            ),
        )
    ]
