"""ReaderProfile's content type follows the model from "comments" to
"accounts", so its permissions (and the groups and users holding them) and
its admin log entries follow too."""

from django.db import migrations

# The moderators' permissions on readers (core/roles.py), written out: a
# database made from scratch gave the group none, since the roles already
# named them under "accounts" when comments/0002 ran.
MODERATORS = "Moderators"
MODERATOR_CODENAMES = ["view_readerprofile", "change_readerprofile"]


def _relabel(apps, old_label, new_label):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    old = content_type_model.objects.filter(
        app_label=old_label, model="readerprofile"
    ).first()
    if old is None:
        return
    new = content_type_model.objects.filter(
        app_label=new_label, model="readerprofile"
    ).first()
    if new is None:
        old.app_label = new_label
        old.save(update_fields=["app_label"])
        return
    # Both exist (the new one made by a run of the site in between): the old
    # permissions' holders get the new ones, then the old type goes.
    for permission in permission_model.objects.filter(content_type=old):
        twin = permission_model.objects.filter(
            content_type=new, codename=permission.codename
        ).first()
        if twin is None:
            permission.content_type = new
            permission.save(update_fields=["content_type"])
            continue
        twin.group_set.add(*permission.group_set.all())
        twin.user_set.add(*permission.user_set.all())
        permission.delete()
    apps.get_model("admin", "LogEntry").objects.filter(content_type=old).update(
        content_type=new
    )
    old.delete()


def forward(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    _relabel(apps, "comments", "accounts")
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name=MODERATORS).first()
    if group is not None:
        group.permissions.add(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="accounts",
                codename__in=MODERATOR_CODENAMES,
            )
        )


def backward(apps, schema_editor):
    _relabel(apps, "accounts", "comments")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("comments", "0009_readerprofile_to_accounts"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(forward, backward)]
