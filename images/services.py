"""Changes to the image library that have consequences. The admin, the demo
loader and the renditions job call these."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from images import imaging
from images.models import Image
from images.signals import image_will_change


def _rendition_name(image: Image, spec: dict) -> str:
    ratio = spec["ratio"].replace(":", "x")
    return f"images/renditions/{image.pk}/{ratio}-{spec['width']}.{spec['format']}"


def image_generate_renditions(*, image: Image) -> Image:
    """Cut and store every rendition once; templates only read `renditions`."""
    with image.file.open("rb") as original:
        content = original.read()
    stored = []
    old_names = [spec["name"] for spec in image.renditions]
    for spec, data in imaging.renditions(content, (image.focal_x, image.focal_y)):
        name = _rendition_name(image, spec)
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(data))
        stored.append(
            spec
            | {"name": saved, "url": default_storage.url(saved), "bytes": len(data)}
        )
    for name in set(old_names) - {spec["name"] for spec in stored}:
        default_storage.delete(name)
    image.renditions = stored
    Image.objects.filter(pk=image.pk).update(renditions=stored)
    return image


def _renditions_enqueue(image: Image) -> None:
    """Leave the cutting to the task worker; until it is done, pages show the
    cleaned original. Enqueued inside the transaction: with the database
    backend the job is stored in the same commit as the picture."""
    from images.tasks import generate_renditions

    generate_renditions.enqueue(image_id=image.pk)
    # The immediate backend has already cut them, on its own copy of the row.
    image.refresh_from_db(fields=["renditions"])


@transaction.atomic
def image_create(*, upload: imaging.Upload, by: AbstractBaseUser, **fields) -> Image:
    """Store a checked, cleaned upload and queue its renditions. Caption and
    credit the editor left empty come from the file."""
    if not by.has_perm("images.add_image"):
        raise PermissionDenied(_("You cannot add images."))
    fields.setdefault("caption", "")
    fields.setdefault("credit", "")
    image = Image(
        width=upload.width,
        height=upload.height,
        format=upload.format,
        uploaded_by=by,
        **fields,
    )
    image.caption = image.caption or upload.caption
    image.credit = image.credit or upload.credit
    image.file.save(
        f"upload{upload.extension}", ContentFile(upload.content), save=False
    )
    image.full_clean()
    image.save()
    _renditions_enqueue(image)
    return image


def image_check_edit(*, image: Image, by: AbstractBaseUser) -> None:
    """Refuse a change to a picture the person may not make, with what to do
    instead (PermissionDenied). The apps using pictures add their own rules
    through `image_will_change` (a picture on a published story is part of
    it: see articles/workflow.py)."""
    if not by.has_perm("images.change_image"):
        raise PermissionDenied(_("You cannot change images."))
    if image.pk is None:
        return
    image_will_change.send(sender=Image, image=image, by=by)


@transaction.atomic
def image_update(*, image: Image, by: AbstractBaseUser, focal_changed: bool) -> Image:
    image_check_edit(image=image, by=by)
    image.full_clean()
    image.save()
    if focal_changed or not image.renditions:
        _renditions_enqueue(image)
    return image
