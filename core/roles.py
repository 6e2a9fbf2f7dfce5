"""The newsroom's roles and their exact permissions.

A data migration creates them; run `roles_sync()` again (from a new
migration) whenever these lists change.
"""

from django.db.models import Q

JOURNALISTS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "add_byline"),
    ("articles", "change_byline"),
    ("articles", "delete_byline"),
    ("articles", "view_byline"),
    ("articles", "add_relatedlink"),
    ("articles", "change_relatedlink"),
    ("articles", "delete_relatedlink"),
    ("articles", "view_relatedlink"),
    ("articles", "view_correction"),
    ("articles", "view_section"),
    ("articles", "view_author"),
    ("articles", "view_leadin"),
    ("images", "add_image"),
    ("images", "change_image"),
    ("images", "view_image"),
    ("tags", "add_tag"),
    ("tags", "view_tag"),
    # Newsletter editions: journalists compose them; only editors send.
    ("newsletters", "add_edition"),
    ("newsletters", "change_edition"),
    ("newsletters", "view_edition"),
    ("newsletters", "add_editionitem"),
    ("newsletters", "change_editionitem"),
    ("newsletters", "delete_editionitem"),
    ("newsletters", "view_editionitem"),
]

EDITORS = JOURNALISTS + [
    ("articles", "delete_article"),
    ("images", "delete_image"),
    ("articles", "publish_article"),
    ("articles", "add_correction"),
    ("articles", "change_correction"),
    ("articles", "view_articleevent"),
    ("articles", "add_section"),
    ("articles", "change_section"),
    ("articles", "add_author"),
    ("articles", "change_author"),
    ("articles", "add_leadin"),
    ("articles", "change_leadin"),
    ("articles", "delete_leadin"),
    ("articles", "add_frontpageslot"),
    ("articles", "change_frontpageslot"),
    ("articles", "delete_frontpageslot"),
    ("articles", "view_frontpageslot"),
    ("tags", "change_tag"),
    ("tags", "delete_tag"),
    ("tags", "add_tagalias"),
    ("tags", "change_tagalias"),
    ("tags", "delete_tagalias"),
    ("tags", "view_tagalias"),
    ("tags", "view_tagredirect"),
    # Newsletters: editors set them up and see who subscribed; nobody deletes
    # one (its subscriptions hang off it) or edits a reader's subscription.
    ("newsletters", "add_newsletter"),
    ("newsletters", "change_newsletter"),
    ("newsletters", "view_newsletter"),
    ("newsletters", "view_subscription"),
    ("newsletters", "view_suppression"),
    ("newsletters", "send_edition"),
    ("newsletters", "view_delivery"),
    # Webhooks: editors register endpoints (and see their secrets) and read
    # the delivery log; journalists have no access.
    ("webhooks", "add_webhookendpoint"),
    ("webhooks", "change_webhookendpoint"),
    ("webhooks", "delete_webhookendpoint"),
    ("webhooks", "view_webhookendpoint"),
    ("webhooks", "view_webhookdelivery"),
]

# Comments and nothing else: moderators cannot touch stories.
MODERATORS = [
    ("comments", "view_comment"),
    ("comments", "change_comment"),
    ("comments", "view_commentreport"),
    ("comments", "view_moderationlog"),
    ("accounts", "view_readerprofile"),
    ("accounts", "change_readerprofile"),
    ("comments", "add_bannedphrase"),
    ("comments", "change_bannedphrase"),
    ("comments", "delete_bannedphrase"),
    ("comments", "view_bannedphrase"),
]

ROLES = {"Journalists": JOURNALISTS, "Editors": EDITORS, "Moderators": MODERATORS}


def roles_sync(group_model, permission_model) -> None:
    """Create or update the groups to have exactly these permissions.

    In an early migration some models (and so permissions) don't exist yet;
    the migration that adds them runs this again.
    """
    for name, codenames in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        wanted = Q()
        for app, codename in codenames:
            wanted |= Q(content_type__app_label=app, codename=codename)
        group.permissions.set(permission_model.objects.filter(wanted))


def roles_migrate(apps, schema_editor) -> None:
    """For data migrations: bring the roles up to date with the lists above."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    roles_sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
