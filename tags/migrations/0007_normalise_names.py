"""Tag names in their NFKC form, and every name's and slug's skeleton.

A name whose normal form another tag already has keeps its old spelling (the
near-duplicates page lists the pair for an editor to merge); its skeleton is
the same either way. Uses core.text as it is today: the helpers are pure,
and a change to them that changes stored forms gets a migration of its own.
"""

from django.db import IntegrityError, migrations, transaction

from core.text import skeleton, visible_text

MAX_NAME_LENGTH = 100


def _normal_name(name: str) -> str:
    return visible_text(visible_text(name)[:MAX_NAME_LENGTH])


def _rename_where_free(model, row, name: str) -> None:
    if name == row.name or not name:
        return
    try:
        with transaction.atomic():
            model.objects.filter(pk=row.pk).update(name=name)
    except IntegrityError:
        pass  # the normal form is another row's name: left for a merge


def normalise_tags(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    TagAlias = apps.get_model("tags", "TagAlias")
    tags = list(Tag.objects.order_by("pk"))
    for tag in tags:
        _rename_where_free(Tag, tag, _normal_name(tag.name))
        tag.name_skeleton = skeleton(tag.name)
        tag.slug_skeleton = skeleton(tag.slug)
    Tag.objects.bulk_update(tags, ["name_skeleton", "slug_skeleton"], batch_size=500)
    aliases = list(TagAlias.objects.order_by("pk"))
    for alias in aliases:
        _rename_where_free(TagAlias, alias, _normal_name(alias.name))
        alias.name_skeleton = skeleton(alias.name)
    TagAlias.objects.bulk_update(aliases, ["name_skeleton"], batch_size=500)


class Migration(migrations.Migration):
    atomic = True

    dependencies = [("tags", "0006_lookalike_skeletons")]

    operations = [
        migrations.RunPython(normalise_tags, migrations.RunPython.noop),
    ]
