"""When a newsletter's own name, slug or description changes, its archive
pages show old words: sent on as newsletters/signals.py's `archive_changed`.
Connected from NewslettersConfig.ready()."""

from django.db.models.signals import post_delete, post_save

from newsletters.models import Newsletter
from newsletters.signals import archive_changed


def _newsletter_changed(sender, instance, **kwargs):
    archive_changed.send(Newsletter, newsletter_id=instance.pk)


def connect() -> None:
    uid = "newsletters.changes"
    post_save.connect(_newsletter_changed, sender=Newsletter, dispatch_uid=uid)
    post_delete.connect(_newsletter_changed, sender=Newsletter, dispatch_uid=uid)
