"""When a change to comments is one readers may see, sent on as
comments/signals.py's `thread_changed`. Connected from CommentsConfig.ready()."""

from django.db.models.signals import post_delete, post_save, pre_save

from accounts.models import ReaderProfile
from comments.models import Comment, CommentStatus
from comments.signals import comment_approved, thread_changed
from core.stored import remember_stored

# Readers see approved comments, and a placeholder for deleted ones with
# replies.
SHOWN = {CommentStatus.APPROVED, CommentStatus.DELETED}


def _comment_before_save(sender, instance, **kwargs):
    remember_stored(sender, instance, ("status", "body"))


def _comment_saved(sender, instance, **kwargs):
    """A change to or from a shown status changes the story's pages."""
    stored = instance._stored or {}
    if stored.get("status") in SHOWN or instance.status in SHOWN:
        thread_changed.send(
            Comment, story_ids=[instance.article_id], comment_ids=[instance.pk]
        )
    if (
        instance.status == CommentStatus.APPROVED
        and stored.get("status") != CommentStatus.APPROVED
    ):
        comment_approved.send(
            Comment, comment_id=instance.pk, story_id=instance.article_id
        )


def _comment_deleted(sender, instance, **kwargs):
    thread_changed.send(
        Comment, story_ids=[instance.article_id], comment_ids=[instance.pk]
    )


def _reader_renamed(sender, instance, **kwargs):
    """Display names show on every comment the reader wrote."""
    story_ids = (
        Comment.objects.filter(author_id=instance.user_id)
        .values_list("article_id", flat=True)
        .distinct()
    )
    thread_changed.send(
        Comment, story_ids=list(story_ids), reader_ids=[instance.user_id]
    )


def connect() -> None:
    uid = "comments.changes"
    pre_save.connect(_comment_before_save, sender=Comment, dispatch_uid=uid)
    post_save.connect(_comment_saved, sender=Comment, dispatch_uid=uid)
    post_delete.connect(_comment_deleted, sender=Comment, dispatch_uid=uid)
    post_save.connect(_reader_renamed, sender=ReaderProfile, dispatch_uid=uid)
