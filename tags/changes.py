"""When a change to a tag is one readers may see: the model's save and
delete signals, sent on as tags/signals.py's `tag_changed`. Connected from
TagsConfig.ready()."""

from django.db.models.signals import post_delete, post_save, pre_save

from core.stored import remember_stored
from tags.models import Tag, TaggedArticle
from tags.signals import tag_changed


def _tag_before_save(sender, instance, **kwargs):
    remember_stored(sender, instance, ("name", "slug"))


def _tag_saved(sender, instance, **kwargs):
    stored = instance._stored
    story_ids = []
    if stored and (stored["name"], stored["slug"]) != (instance.name, instance.slug):
        # Every story page lists its tags by name.
        story_ids = list(
            TaggedArticle.objects.filter(tag=instance).values_list(
                "content_object_id", flat=True
            )
        )
    tag_changed.send(Tag, tag_id=instance.pk, story_ids=story_ids)


def _tag_deleted(sender, instance, **kwargs):
    tag_changed.send(Tag, tag_id=instance.pk, story_ids=[])


def connect() -> None:
    uid = "tags.changes"
    pre_save.connect(_tag_before_save, sender=Tag, dispatch_uid=uid)
    post_save.connect(_tag_saved, sender=Tag, dispatch_uid=uid)
    post_delete.connect(_tag_deleted, sender=Tag, dispatch_uid=uid)
