"""A database made before ReaderProfile moved to the accounts app migrates
forward with every reader, ban and permission as it was.

The test database is taken back to the last migrations before the move
(ReaderProfile in "comments"), given a reader and a group of moderators the
old way, and migrated forward; it ends at the latest migrations whatever
happens.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from accounts.models import ReaderProfile

BEFORE_THE_MOVE = [("comments", "0008_normalise_readers"), ("accounts", None)]
CODENAMES = ["view_readerprofile", "change_readerprofile"]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor


def _table_rows():
    """The reader table as the database has it, whatever Django thinks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM comments_readerprofile ORDER BY id")
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_readers_bans_and_permissions_survive_the_move(client):
    try:
        executor = _migrate(BEFORE_THE_MOVE)
        old = executor.loader.project_state(
            [("comments", "0008_normalise_readers")]
        ).apps

        # The old layout's rows, written with the old layout's models.
        OldUser = old.get_model("auth", "User")
        OldProfile = old.get_model("comments", "ReaderProfile")
        OldContentType = old.get_model("contenttypes", "ContentType")
        OldPermission = old.get_model("auth", "Permission")
        OldGroup = old.get_model("auth", "Group")
        banned_at = timezone.now().replace(microsecond=0)
        reader = OldUser.objects.create(
            username="marta@cupure.example", email="marta@cupure.example"
        )
        OldProfile.objects.create(
            user=reader,
            display_name="Marta",
            display_name_skeleton="marta",
            banned_at=banned_at,
            ban_reason="Spam about ferries",
        )
        quiet = OldUser.objects.create(username="quiet@cupure.example")
        OldProfile.objects.create(
            user=quiet, display_name="Quiet One", display_name_skeleton="quiet one"
        )
        old_type, _ = OldContentType.objects.get_or_create(
            app_label="comments", model="readerprofile"
        )
        assert not OldContentType.objects.filter(
            app_label="accounts", model="readerprofile"
        ).exists()
        old_permissions = {
            codename: OldPermission.objects.get_or_create(
                content_type=old_type,
                codename=codename,
                defaults={"name": f"Can {codename.split('_')[0]} reader"},
            )[0].pk
            for codename in CODENAMES
        }
        night_shift = OldGroup.objects.create(name="Night moderators")
        night_shift.permissions.set(old_permissions.values())
        moderator = OldUser.objects.create(
            username="nightmod", is_staff=True, password="!"
        )
        moderator.groups.add(night_shift)
        # A reader given the right directly, not through a group.
        helper = OldUser.objects.create(username="helper", is_staff=True)
        helper.user_permissions.add(old_permissions["view_readerprofile"])
        rows_before = _table_rows()

        _migrate(_latest())

        # Every row and column as it was; the one column added since the move
        # (banned_until, accounts 0003) is empty: old bans were permanent.
        rows_after = _table_rows()
        assert [{name: row[name] for name in rows_before[0]} for row in rows_after] == (
            rows_before
        )
        assert set(rows_after[0]) - set(rows_before[0]) == {"banned_until"}
        assert all(row["banned_until"] is None for row in rows_after)
        profile = ReaderProfile.objects.get(user__username="marta@cupure.example")
        assert (profile.display_name, profile.display_name_skeleton) == (
            "Marta",
            "marta",
        )
        assert profile.is_banned and profile.banned_at == banned_at
        assert profile.ban_reason == "Spam about ferries"
        assert ReaderProfile.objects.count() == 2

        # The content type row itself moved, so every permission kept its id.
        new_type = ContentType.objects.get_for_model(ReaderProfile)
        assert (new_type.pk, new_type.app_label) == (old_type.pk, "accounts")
        assert not ContentType.objects.filter(
            app_label="comments", model="readerprofile"
        ).exists()
        assert {
            permission.codename: permission.pk
            for permission in Permission.objects.filter(
                content_type=new_type, codename__in=CODENAMES
            )
        } == old_permissions
        assert set(
            Group.objects.get(name="Night moderators").permissions.values_list(
                "codename", flat=True
            )
        ) == set(CODENAMES)

        users = get_user_model().objects
        moderator = users.get(username="nightmod")
        assert moderator.has_perm("accounts.change_readerprofile")
        assert moderator.has_perm("accounts.view_readerprofile")
        assert not moderator.has_perm("comments.change_readerprofile")
        helper = users.get(username="helper")
        assert helper.has_perm("accounts.view_readerprofile")
        assert not helper.has_perm("accounts.change_readerprofile")

        client.force_login(moderator)
        page = client.get(
            reverse("admin:accounts_readerprofile_change", args=[profile.pk])
        )
        assert page.status_code == 200
        text = page.content.decode()
        assert "Marta" in text and "Spam about ferries" in text
        listing = client.get(reverse("admin:accounts_readerprofile_changelist"))
        assert listing.status_code == 200 and "Quiet One" in listing.content.decode()
    finally:
        _migrate(_latest())


@pytest.mark.django_db(transaction=True)
def test_a_database_made_from_scratch_gives_moderators_the_reader_permissions():
    """comments/0002 made the Moderators group when the roles already named
    the reader permissions under "accounts"; accounts/0002 adds them."""
    try:
        executor = _migrate(BEFORE_THE_MOVE)
        old = executor.loader.project_state(
            [("comments", "0008_normalise_readers")]
        ).apps
        # The group as comments/0002 leaves it: moderating, no reader rights.
        group, _ = old.get_model("auth", "Group").objects.get_or_create(
            name="Moderators"
        )
        group.permissions.set(
            old.get_model("auth", "Permission").objects.filter(
                content_type__app_label="comments", codename="change_comment"
            )
        )

        _migrate(_latest())

        moderators = Group.objects.get(name="Moderators")
        held = moderators.permissions.filter(content_type__app_label="accounts")
        assert set(held.values_list("codename", flat=True)) == set(CODENAMES)
        assert moderators.permissions.filter(codename="change_comment").exists()
    finally:
        _migrate(_latest())
