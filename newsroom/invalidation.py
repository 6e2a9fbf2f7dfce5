"""What each change makes stale: signal receivers that name the surrogate keys
(see newsroom/pagecache.py) of every page showing what changed.

Keys: `story-<pk>` (the story page, its thread pages, and every listing that
shows the story), `section-<pk>`, `tag-<pk>`, `author-<pk>` (their pages, and
story pages whose Similar News draws on the tag), `front`, `feeds`,
`sitemaps`, `search`, `nav` (sections in the masthead), `strip`.

Connected once, from ArticlesConfig.ready(). Bulk changes that skip signals
(a tag merge) name their keys themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from accounts.models import ReaderProfile
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
from comments.models import Comment, CommentStatus
from images.models import Image
from newsroom.pagecache import SCHEDULE, invalidate
from tags.models import Tag, TaggedArticle

# What readers see of a story's place in listings: if one of these changes,
# the story may enter or leave the front page, its section, feeds...
PLACEMENT_FIELDS = ("status", "published_at", "section_id")


def _public(status) -> bool:
    # Published, live or scheduled: either way, its pages matter.
    return status == Status.PUBLISHED


def _remember(sender, instance, fields, **kwargs):
    """Keep the stored values of `fields` to compare with after the save."""
    if instance.pk is None:
        instance._stored = None
    else:
        instance._stored = sender.objects.filter(pk=instance.pk).values(*fields).first()


def _story_placement_keys(article: Article, section_ids) -> set[str]:
    return {
        "front",
        "feeds",
        "sitemaps",
        "search",
        *(f"section-{pk}" for pk in section_ids if pk),
        *(
            f"author-{pk}"
            for pk in Byline.objects.filter(article=article).values_list(
                "author_id", flat=True
            )
        ),
        *(
            f"tag-{pk}"
            for pk in TaggedArticle.objects.filter(
                content_object_id=article.pk
            ).values_list("tag_id", flat=True)
        ),
    }


def _article_before_save(sender, instance, **kwargs):
    _remember(sender, instance, PLACEMENT_FIELDS)


def _article_saved(sender, instance, created, **kwargs):
    stored = instance._stored or {}
    was_public = _public(stored.get("status"))
    if not (was_public or _public(instance.status)):
        # A draft: nothing public shows it, but its go-live time may have gone.
        invalidate(SCHEDULE)
        return
    keys = {f"story-{instance.pk}", "feeds", "sitemaps", "search", SCHEDULE}
    if any(stored.get(field) != getattr(instance, field) for field in PLACEMENT_FIELDS):
        keys |= _story_placement_keys(
            instance, {stored.get("section_id"), instance.section_id}
        )
    invalidate(*keys)


def _article_deleted(sender, instance, **kwargs):
    if _public(instance.status):
        invalidate(
            f"story-{instance.pk}",
            SCHEDULE,
            *_story_placement_keys(instance, {instance.section_id}),
        )


def _story_changed(article_id) -> None:
    invalidate(f"story-{article_id}")


def _story_part_changed(sender, instance, **kwargs):
    """A correction, a Go deeper link: shown on the story page only."""
    _story_changed(instance.article_id)


def _byline_changed(sender, instance, **kwargs):
    invalidate(f"story-{instance.article_id}", f"author-{instance.author_id}")


def _tags_of_story_changed(sender, instance, action, pk_set, **kwargs):
    if not isinstance(instance, Article):
        return
    if action == "pre_clear":
        instance._cleared_tags = set(instance.tags.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove", "post_clear"}:
        tag_ids = pk_set or getattr(instance, "_cleared_tags", set())
        invalidate(f"story-{instance.pk}", *(f"tag-{pk}" for pk in tag_ids))


def _tag_before_save(sender, instance, **kwargs):
    _remember(sender, instance, ("name", "slug"))


def _tag_saved(sender, instance, **kwargs):
    keys = {f"tag-{instance.pk}", "sitemaps"}
    stored = instance._stored
    if stored and (stored["name"], stored["slug"]) != (instance.name, instance.slug):
        # Every story page lists its tags by name.
        keys |= {
            f"story-{pk}"
            for pk in TaggedArticle.objects.filter(tag=instance).values_list(
                "content_object_id", flat=True
            )
        }
    invalidate(*keys)


def _tag_deleted(sender, instance, **kwargs):
    invalidate(f"tag-{instance.pk}", "sitemaps")


def _author_changed(sender, instance, **kwargs):
    invalidate(
        f"author-{instance.pk}",
        "sitemaps",
        *(
            f"story-{pk}"
            for pk in Byline.objects.filter(author=instance).values_list(
                "article_id", flat=True
            )
        ),
    )


def _section_changed(sender, instance, **kwargs):
    invalidate("nav", "sitemaps", f"section-{instance.pk}")


def _image_changed(sender, instance, **kwargs):
    invalidate(
        *(
            f"story-{pk}"
            for pk in Article.objects.filter(hero_image=instance).values_list(
                "pk", flat=True
            )
        )
    )


def _curation_changed(sender, instance, **kwargs):
    invalidate("front")


def _comment_before_save(sender, instance, **kwargs):
    _remember(sender, instance, ("status", "body"))


def _comment_saved(sender, instance, **kwargs):
    """Readers see approved comments (and a placeholder for deleted ones
    with replies): a change to or from approved changes the story's pages."""
    stored = instance._stored or {}
    shown = {CommentStatus.APPROVED, CommentStatus.DELETED}
    if stored.get("status") in shown or instance.status in shown:
        _story_changed(instance.article_id)


def _comment_deleted(sender, instance, **kwargs):
    _story_changed(instance.article_id)


def _reader_renamed(sender, instance, **kwargs):
    """Display names show on every comment the reader wrote."""
    invalidate(
        *(
            f"story-{pk}"
            for pk in Comment.objects.filter(author_id=instance.user_id)
            .values_list("article_id", flat=True)
            .distinct()
        )
    )


def connect() -> None:
    uid = "newsroom.invalidation"
    pre_save.connect(_article_before_save, sender=Article, dispatch_uid=uid)
    post_save.connect(_article_saved, sender=Article, dispatch_uid=uid)
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid=uid)
    for model in (Correction, RelatedLink):
        post_save.connect(_story_part_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_story_part_changed, sender=model, dispatch_uid=uid)
    post_save.connect(_byline_changed, sender=Byline, dispatch_uid=uid)
    post_delete.connect(_byline_changed, sender=Byline, dispatch_uid=uid)
    m2m_changed.connect(_tags_of_story_changed, sender=TaggedArticle, dispatch_uid=uid)
    pre_save.connect(_tag_before_save, sender=Tag, dispatch_uid=uid)
    post_save.connect(_tag_saved, sender=Tag, dispatch_uid=uid)
    post_delete.connect(_tag_deleted, sender=Tag, dispatch_uid=uid)
    post_save.connect(_author_changed, sender=Author, dispatch_uid=uid)
    post_delete.connect(_author_changed, sender=Author, dispatch_uid=uid)
    post_save.connect(_section_changed, sender=Section, dispatch_uid=uid)
    post_delete.connect(_section_changed, sender=Section, dispatch_uid=uid)
    post_save.connect(_image_changed, sender=Image, dispatch_uid=uid)
    post_save.connect(_curation_changed, sender=FrontPageSlot, dispatch_uid=uid)
    post_delete.connect(_curation_changed, sender=FrontPageSlot, dispatch_uid=uid)
    pre_save.connect(_comment_before_save, sender=Comment, dispatch_uid=uid)
    post_save.connect(_comment_saved, sender=Comment, dispatch_uid=uid)
    post_delete.connect(_comment_deleted, sender=Comment, dispatch_uid=uid)
    post_save.connect(_reader_renamed, sender=ReaderProfile, dispatch_uid=uid)
