"""When a change to the articles app's models is one readers may see: the
models' save and delete signals, turned into the app's own signals
(articles/signals.py). What goes stale is pagecache's business, not ours.

Connected once, from ArticlesConfig.ready().
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from articles import signals
from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    FrontPageSlot,
    RelatedLink,
    Section,
    Status,
)
from core.stored import remember_stored
from tags.models import TaggedArticle

# What readers see of a story's place in listings: if one of these changes,
# the story may enter or leave the front page, its section, feeds...
PLACEMENT_FIELDS = ("status", "published_at", "section_id")


def _public(status) -> bool:
    # Published, live or scheduled: either way, its pages matter.
    return status == Status.PUBLISHED


def _listings(article: Article, section_ids) -> dict:
    """The ids of the listings a story is shown in (or was, before a move)."""
    return {
        "section_ids": sorted(pk for pk in section_ids if pk),
        "author_ids": list(
            Byline.objects.filter(article=article).values_list("author_id", flat=True)
        ),
        "tag_ids": list(
            TaggedArticle.objects.filter(content_object_id=article.pk).values_list(
                "tag_id", flat=True
            )
        ),
    }


def next_go_live():
    """When the next scheduled story goes live, as a query (pagecache keeps
    no page past it, and reads it with the other apps' in one query;
    registered in apps.py)."""
    return (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)[:1]
    )


def _article_before_save(sender, instance, **kwargs):
    remember_stored(sender, instance, PLACEMENT_FIELDS)


def _article_saved(sender, instance, created, **kwargs):
    stored = instance._stored or {}
    was_public, is_public = _public(stored.get("status")), _public(instance.status)
    if not (was_public or is_public):
        signals.draft_saved.send(Article, story_id=instance.pk)
        return
    moved = any(
        stored.get(field) != getattr(instance, field) for field in PLACEMENT_FIELDS
    )
    if not moved:
        signals.story_changed.send(Article, story_id=instance.pk, live=True)
        return
    listings = _listings(instance, {stored.get("section_id"), instance.section_id})
    if not was_public:
        signals.story_published.send(Article, story_id=instance.pk, **listings)
    elif not is_public:
        signals.story_unpublished.send(Article, story_id=instance.pk, **listings)
    else:
        signals.story_changed.send(
            Article, story_id=instance.pk, live=True, moved=True, **listings
        )


def _article_deleted(sender, instance, **kwargs):
    if _public(instance.status):
        listings = _listings(instance, {instance.section_id})
        signals.story_unpublished.send(Article, story_id=instance.pk, **listings)


def _story_part_changed(sender, instance, **kwargs):
    """A correction, a Go deeper link: shown on the story page only."""
    signals.story_changed.send(sender, story_id=instance.article_id)


def _byline_changed(sender, instance, **kwargs):
    signals.story_changed.send(
        sender, story_id=instance.article_id, author_ids=[instance.author_id]
    )


def _tags_of_story_changed(sender, instance, action, pk_set, **kwargs):
    if not isinstance(instance, Article):
        return
    if action == "pre_clear":
        instance._cleared_tags = set(instance.tags.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove", "post_clear"}:
        tag_ids = pk_set or getattr(instance, "_cleared_tags", set())
        signals.story_changed.send(
            Article, story_id=instance.pk, tag_ids=sorted(tag_ids)
        )


def _author_changed(sender, instance, **kwargs):
    story_ids = Byline.objects.filter(author=instance).values_list(
        "article_id", flat=True
    )
    signals.author_changed.send(
        Author, author_id=instance.pk, story_ids=list(story_ids)
    )


def _section_changed(sender, instance, **kwargs):
    signals.section_changed.send(Section, section_id=instance.pk)


def _curation_changed(sender, instance, **kwargs):
    signals.front_page_changed.send(FrontPageSlot)


def connect() -> None:
    uid = "articles.changes"
    pre_save.connect(_article_before_save, sender=Article, dispatch_uid=uid)
    post_save.connect(_article_saved, sender=Article, dispatch_uid=uid)
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid=uid)
    for model in (Correction, RelatedLink):
        post_save.connect(_story_part_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_story_part_changed, sender=model, dispatch_uid=uid)
    post_save.connect(_byline_changed, sender=Byline, dispatch_uid=uid)
    post_delete.connect(_byline_changed, sender=Byline, dispatch_uid=uid)
    m2m_changed.connect(_tags_of_story_changed, sender=TaggedArticle, dispatch_uid=uid)
    post_save.connect(_author_changed, sender=Author, dispatch_uid=uid)
    post_delete.connect(_author_changed, sender=Author, dispatch_uid=uid)
    post_save.connect(_section_changed, sender=Section, dispatch_uid=uid)
    post_delete.connect(_section_changed, sender=Section, dispatch_uid=uid)
    post_save.connect(_curation_changed, sender=FrontPageSlot, dispatch_uid=uid)
    post_delete.connect(_curation_changed, sender=FrontPageSlot, dispatch_uid=uid)
