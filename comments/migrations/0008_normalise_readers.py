"""Readers' addresses and display names in the form sign-up now stores.

Usernames and emails of reader accounts: NFKC, no invisible characters, lower
case, IDNA domain (core.text.normalize_email). Display names: NFKC, one
space (core.text.visible_text), plus every name's skeleton. A row whose
normal form another row already has keeps its old spelling: two accounts
cannot be merged here. Uses core.text as it is today (pure helpers).
"""

from django.conf import settings
from django.db import IntegrityError, migrations, transaction

from core.text import normalize_email, skeleton, visible_text

DISPLAY_NAME_LENGTH = 60


def _update_where_free(model, pk, **values) -> bool:
    try:
        with transaction.atomic():
            model.objects.filter(pk=pk).update(**values)
    except IntegrityError:
        return False  # another row has the normal form already
    return True


def _normal_email(address: str) -> str:
    try:
        return normalize_email(address)
    except ValueError:
        return address  # a domain IDNA cannot write: left as it is


def normalise_readers(apps, schema_editor):
    ReaderProfile = apps.get_model("comments", "ReaderProfile")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    profiles = list(ReaderProfile.objects.select_related("user").order_by("pk"))
    for profile in profiles:
        user = profile.user
        if "@" in user.username:
            username = _normal_email(user.username)
            email = _normal_email(user.email) if user.email else ""
            if (username, email) != (user.username, user.email):
                _update_where_free(User, user.pk, username=username, email=email)
        name = visible_text(profile.display_name)[:DISPLAY_NAME_LENGTH].strip()
        if name and name != profile.display_name:
            if _update_where_free(ReaderProfile, profile.pk, display_name=name):
                profile.display_name = name
        profile.display_name_skeleton = skeleton(profile.display_name)
    ReaderProfile.objects.bulk_update(
        profiles, ["display_name_skeleton"], batch_size=500
    )


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("comments", "0007_lookalike_skeletons"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(normalise_readers, migrations.RunPython.noop),
    ]
