"""Tag changes with consequences, and the trending strip."""

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.search import TrigramSimilarity
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Greatest, Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.cache import is_reachable
from core.text import skeleton, skeleton_variants
from tags.managers import existing_tags
from tags.models import (
    Tag,
    TagAlias,
    TaggedArticle,
    TagRedirect,
    normalize_tag_name,
    stories,
)
from tags.signals import strip_changed, tags_merged
from tags.similarity import are_near_duplicates, group_near_duplicates, narrows

TRENDING_CACHE_KEY = "tags:trending-strip"
# How the strip read when a change last worked it out (see trending_invalidate).
STRIP_SIGNATURE_KEY = "tags:strip-signature"
MERGE_PERMISSION = "tags.change_tag"


# --- Merging and renaming -------------------------------------------------------


@transaction.atomic
def tag_merge(*, survivor: Tag, merged: list[Tag], by: AbstractBaseUser) -> int:
    """Fold `merged` tags into `survivor`; returns how many taggings moved.

    Every story keeps its tag (no duplicate taggings, none lost), the merged
    names become aliases of the survivor and their addresses redirect to it.
    """
    if not (by.has_perm(MERGE_PERMISSION) and by.has_perm("tags.delete_tag")):
        raise PermissionDenied(_("Only editors can merge tags."))
    merged = [tag for tag in merged if tag.pk != survivor.pk]
    if not merged:
        raise ValidationError(_("Choose at least one tag to merge into the survivor."))

    merged_ids = [tag.pk for tag in merged]
    _lock_for_merge(survivor_id=survivor.pk, merged_ids=merged_ids)
    retagged = TaggedArticle.objects.filter(tag_id__in=merged_ids).values_list(
        "content_object_id", flat=True
    )
    tags_merged.send(Tag, tag_ids=[survivor.pk, *merged_ids], story_ids=list(retagged))
    already_tagged = TaggedArticle.objects.filter(tag=survivor).values(
        "content_object_id"
    )
    # A story tagged with two of the merged tags gets the survivor once.
    moved = set(
        TaggedArticle.objects.filter(tag_id__in=merged_ids)
        .exclude(content_object_id__in=already_tagged)
        .values_list("content_object_id", flat=True)
    )
    # An editor may be tagging one of these stories with the survivor right
    # now: their tagging and this one are the same, whichever commits first.
    TaggedArticle.objects.bulk_create(
        [TaggedArticle(content_object_id=pk, tag=survivor) for pk in sorted(moved)],
        ignore_conflicts=True,
    )
    TaggedArticle.objects.filter(tag_id__in=merged_ids).delete()

    TagAlias.objects.filter(tag_id__in=merged_ids).update(tag=survivor)
    TagRedirect.objects.filter(tag_id__in=merged_ids).update(tag=survivor)
    TagAlias.objects.bulk_create(
        TagAlias(name=tag.name, name_skeleton=skeleton(tag.name), tag=survivor)
        for tag in merged
    )
    TagRedirect.objects.bulk_create(
        TagRedirect(old_slug=tag.slug, tag=survivor) for tag in merged
    )
    # An alias never shadows the survivor's own name.
    TagAlias.objects.filter(name__iexact=survivor.name).delete()
    names = ", ".join(f"“{tag.name}”" for tag in merged)
    Tag.objects.filter(pk__in=merged_ids).delete()

    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[survivor],
        action_flag=CHANGE,
        change_message=_("Merged %(names)s into this tag.") % {"names": names},
        single_object=True,
    )
    transaction.on_commit(trending_invalidate)
    return len(moved)


def _lock_for_merge(*, survivor_id: int, merged_ids: list[int]) -> None:
    """Lock the tags of a merge until it commits, in id order, so merges that
    share a tag wait for one another rather than deadlock.

    The merged tags are locked outright: a tagging made with one of them
    meanwhile waits, then fails (the tag is gone) rather than being lost. The
    survivor's lock still lets editors tag stories with it.
    """
    found = 0
    for pk in sorted([survivor_id, *merged_ids]):
        tag = Tag.objects.filter(pk=pk).select_for_update(no_key=pk == survivor_id)
        found += tag.exists()
    if found < 1 + len(merged_ids):
        raise ValidationError(
            _(
                "One of these tags was merged or deleted meanwhile. "
                "Reload the page and try again."
            )
        )


def tag_record_slug_change(*, tag: Tag, old_slug: str) -> None:
    """Keep `old_slug` answering 301 after an editor changes a tag's slug."""
    if old_slug and old_slug != tag.slug:
        TagRedirect.objects.update_or_create(old_slug=old_slug, defaults={"tag": tag})
    TagRedirect.objects.filter(old_slug=tag.slug).delete()


def alias_target(name: str) -> Tag | None:
    alias = TagAlias.objects.select_related("tag").filter(name__iexact=name).first()
    return alias.tag if alias else None


# --- Near-duplicates --------------------------------------------------------------

TRIGRAM_THRESHOLD = 0.3


def _trigram_pairs(names: list[str]) -> list[tuple[str, str]]:
    """Candidate pairs from PostgreSQL's pg_trgm: names with similar trigrams."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.name, b.name FROM tags_tag a JOIN tags_tag b "
            "ON a.id < b.id AND similarity(lower(a.name), lower(b.name)) > %s",
            [TRIGRAM_THRESHOLD],
        )
        return cursor.fetchall()


def near_duplicate_groups() -> list[list[Tag]]:
    """Groups of tags that look like one subject, most-used tag first."""
    tags = list(Tag.objects.with_story_counts().order_by(Lower("name")))
    names = [tag.name for tag in tags]
    pairs = None
    if connection.vendor == "postgresql":
        # Trigram pairs catch typos across the whole list; the skeleton pass
        # in group_near_duplicates still catches spacing and plurals.
        pairs = _trigram_pairs(names)
    by_name = {tag.name: tag for tag in tags}
    groups = [
        sorted(
            (by_name[name] for name in group),
            key=lambda tag: (-tag.story_count, tag.name.casefold()),
        )
        for group in group_near_duplicates(names, pairs)
    ]
    return sorted(groups, key=lambda group: -sum(tag.story_count for tag in group))


# --- Suggestions while typing ----------------------------------------------------


def tag_suggestions(*, query: str, limit: int = 8) -> list[dict]:
    """Existing tags for what an author is typing, most-used first.

    Names starting with the text come first; then tags the text is a
    near-duplicate of ("trumpputin" suggests "trump putin"); a merged name
    suggests its survivor.
    """
    query = normalize_tag_name(query)[:100]
    if not query:
        return []
    lowered = query.lower()
    look_alike = skeleton_variants(query)
    candidates = (
        Q(name__istartswith=query)
        | Q(aliases__name__iexact=query)
        | Q(name_skeleton__in=look_alike)
    )
    if connection.vendor == "postgresql":
        candidates |= Q(trigram__gt=TRIGRAM_THRESHOLD)
        tags = Tag.objects.annotate(trigram=TrigramSimilarity(Lower("name"), lowered))
    else:
        candidates |= Q(name__istartswith=query[:2])
        tags = Tag.objects.all()
    found = (
        tags.filter(candidates)
        .with_story_counts()
        .annotate(alias_match=Count("aliases", filter=Q(aliases__name__iexact=query)))
        .order_by("-story_count", "name")[:200]
    )
    ranked = []
    for tag in found:
        if tag.name.lower().startswith(lowered):
            reason, rank = "match", 0
        elif tag.alias_match:
            reason, rank = "alias", 1
        elif tag.name_skeleton in look_alike or are_near_duplicates(query, tag.name):
            reason, rank = "similar", 1
        else:
            continue
        ranked.append((rank, -tag.story_count, tag.name.lower(), tag, reason))
    ranked.sort(key=lambda row: row[:3])
    # One suggestion per near-duplicate group: its canonical tag (the most
    # used), at the best place any of its members earned.
    by_name = {row[3].name: row for row in ranked}
    for group in group_near_duplicates(by_name):
        members = [by_name[name] for name in group]
        canonical = min(members, key=lambda row: (row[1], row[2]))
        best = min(members, key=lambda row: row[:3])
        for row in members:
            by_name.pop(row[3].name)
        by_name[canonical[3].name] = (*best[:3], canonical[3], best[4])
    ranked = sorted(by_name.values(), key=lambda row: row[:3])
    return [
        {"name": tag.name, "story_count": tag.story_count, "reason": reason}
        for *_, tag, reason in ranked[:limit]
    ]


# --- Tags typed on one story -----------------------------------------------------

MAX_CHECKED_NAMES = 50


@dataclass(frozen=True)
class TypedTagWarning:
    """A tag typed on a story that should be another: `use` is the tag to
    take instead. A blocking one stops the story being saved."""

    name: str
    use: str
    message: str
    blocking: bool = True

    def as_dict(self) -> dict:
        return asdict(self)


def _near_duplicate_candidates(names: list[str]) -> tuple[list[Tag], list[TagAlias]]:
    """Existing tags (most used first) and merged names that could be
    near-duplicates of `names`: two queries whatever the number of names."""
    starts = Q()
    for name in names:
        starts |= Q(name__istartswith=name[:2])
    tags, candidates = Tag.objects.all(), starts
    if connection.vendor == "postgresql":
        # Trigrams catch typos in the first letters too.
        scores = [TrigramSimilarity(Lower("name"), name.lower()) for name in names]
        tags = tags.annotate(
            trigram=Greatest(*scores) if len(scores) > 1 else scores[0]
        )
        candidates |= Q(trigram__gt=TRIGRAM_THRESHOLD)
    found = tags.filter(candidates).with_story_counts()
    aliases = TagAlias.objects.filter(starts).select_related("tag")
    return (
        list(found.order_by("-story_count", "pk")[:500]),
        list(aliases.order_by("pk")[:500]),
    )


_FILED_UNDER = _lazy(
    "“%(name)s” was merged into “%(use)s”, or looks just like it: the story "
    "gets “%(use)s”."
)
_LESS_USED = _lazy("“%(name)s” looks like “%(use)s”, the tag most stories use.")
_LOOKS_EXISTING = _lazy("“%(name)s” looks like the existing tag “%(use)s”.")
_LOOKS_MERGED = _lazy(
    "“%(name)s” looks like “%(alias)s”, which was merged into “%(use)s”."
)
_LOOKS_TYPED = _lazy("“%(name)s” looks like “%(use)s”, also on this story.")
_NARROWS = _lazy(
    "“%(name)s” is “%(broader)s” with more words, and “%(broader)s” is on this "
    "story too: one tag may do."
)
_NARROWS_FURTHER = _lazy(
    "“%(name)s” is “%(broader)s” with more words, itself “%(use)s” with more "
    "words, and both are on this story: one tag may do."
)


def tag_typed_warnings(names: list[str]) -> list[TypedTagWarning]:
    """What is wrong with the tags typed on one story, before it is saved.

    A new name that is a near-duplicate of an existing tag or of a merged
    name ("trumps" beside "Trump"), or of another name typed with it
    ("trumpputin" with "trump putin"), blocks: five spellings of one subject
    never become five tags. A name that files under another tag by itself
    (a merged name, a look-alike), or an existing tag less used than its
    near-duplicate, only gets a notice. Six queries, however many names.
    """
    typed: dict[str, str] = {}
    for raw in names[:MAX_CHECKED_NAMES]:
        if name := normalize_tag_name(raw):
            typed.setdefault(name.lower(), name)
    if not typed:
        return []
    names = list(typed.values())
    resolved = existing_tags(set(typed))
    tags, aliases = _near_duplicate_candidates(names)
    warnings: list[TypedTagWarning] = []
    stands_for: dict[str, str] = {}  # typed name -> the tag the story gets

    def warn(name, use, message, blocking=True, **extra):
        text = message % {"name": name, "use": use, **extra}
        warnings.append(TypedTagWarning(name, use, text, blocking))
        stands_for[name] = use

    for name in names:
        tag = resolved.get(name.lower())
        twin = next(
            (
                other
                for other in tags
                if other.name.lower() != name.lower()
                and are_near_duplicates(name, other.name)
            ),
            None,
        )
        merged = next((a for a in aliases if are_near_duplicates(name, a.name)), None)
        if tag is not None and tag.name.lower() != name.lower():
            warn(name, tag.name, _FILED_UNDER, blocking=False)
        elif tag is not None:
            own = next((other for other in tags if other.pk == tag.pk), None)
            used = own.story_count if own is not None else 0
            if twin is not None and twin.story_count > used:
                warn(name, twin.name, _LESS_USED, blocking=False)
            else:
                stands_for[name] = tag.name
        elif twin is not None:
            warn(name, twin.name, _LOOKS_EXISTING)
        elif merged is not None:
            warn(name, merged.tag.name, _LOOKS_MERGED, alias=merged.name)
        else:
            stands_for[name] = name
    # Near-duplicates among what the story is left with: an existing tag, or
    # else the first typed, stays.
    existing_names = {tag.name for tag in resolved.values()}
    for group in group_near_duplicates(dict.fromkeys(stands_for.values())):
        keep = next((name for name in group if name in existing_names), group[0])
        for name in names:
            if stands_for[name] in group and stands_for[name] != keep:
                warn(name, keep, _LOOKS_TYPED)
    # "trump putin" beside "trump": a hint only, the story may need both.
    flagged = {warning.name for warning in warnings}
    left = list(dict.fromkeys(stands_for.values()))

    def broader_than(name: str) -> str | None:
        return next((other for other in left if narrows(name, other)), None)

    for name in names:
        broader = None if name in flagged else broader_than(name)
        if broader is None:
            continue
        # "Use" offers the broadest tag of the chain, so one click is enough.
        broadest, seen = broader, {name, broader}
        while (wider := broader_than(broadest)) is not None and wider not in seen:
            broadest = wider
            seen.add(wider)
        message = _NARROWS if broadest == broader else _NARROWS_FURTHER
        warn(name, broadest, message, blocking=False, broader=broader)
    return warnings


# --- Trending strip ---------------------------------------------------------------


def trending_tags() -> list[Tag]:
    """The strip: pinned tags, then tags of the moment; cached.

    Pages call this while they are built, so it never invalidates anything:
    a GET writes nothing but the strip itself. Changes that may move the
    strip call trending_invalidate()."""
    strip = cache.get(TRENDING_CACHE_KEY)
    if strip is None:
        strip = _compute_and_keep()
        # The first strip pages show is the one later changes compare with;
        # a strip already noted is left for trending_invalidate to compare.
        cache.add(STRIP_SIGNATURE_KEY, _signature(strip), timeout=None)
    return strip


def _compute_and_keep() -> list[Tag]:
    strip, timeout = _compute_trending()
    cache.set(TRENDING_CACHE_KEY, strip, timeout)
    return strip


def _signature(strip: list[Tag]) -> list[tuple]:
    return [(tag.pk, tag.name, tag.slug) for tag in strip]


def trending_invalidate() -> bool:
    """After a change that may move the strip (a story published, a tag
    pinned or merged), and from `manage.py refresh_trending_strip` as time
    moves the window on: work it out again now and, if it reads differently
    from the last one noted, say so (`strip_changed`), so cached pages
    showing the old strip go stale at once. True when it changed."""
    strip = _compute_and_keep()
    # With the cache unreachable there is no last strip to compare with, and
    # no page kept to go stale.
    if not is_reachable(cache):
        return False
    signature = _signature(strip)
    if cache.get(STRIP_SIGNATURE_KEY) == signature:
        return False
    cache.set(STRIP_SIGNATURE_KEY, signature, timeout=None)
    strip_changed.send(Tag)
    return True


def _trending_candidates(*, exclude, days: int, limit: int):
    """Tags of stories published in the last `days`, best first, one query.

    Read from the window's stories (an index range), never from every
    tagging (as Tag.objects.trending_candidates() does): `trend_score` weighs
    each story by how recent it is (linear decay
    over the window: a story published now counts fully, one at the start of
    the window not at all).
    """
    since = timezone.now() - timedelta(days=days)
    recent = stories().published().filter(published_at__gt=since)
    freshness = ExpressionWrapper(
        F("tagged_articles__content_object__published_at") - Value(since),
        output_field=DurationField(),
    )
    return (
        Tag.objects.filter(
            is_hidden_from_strip=False, tagged_articles__content_object__in=recent
        )
        .exclude(pk__in=exclude)
        .annotate(trend_score=Sum(freshness))
        .order_by("-trend_score", "name")[:limit]
    )


def _compute_trending() -> tuple[list[Tag], int]:
    """Three queries: the pins, the candidates, the stories still scheduled."""
    size = settings.NEWSROOM_TRENDING_TAGS
    pinned = _one_per_group(
        list(Tag.objects.pinned().order_by("strip_position", "name")[:size])
    )
    candidates = list(
        _trending_candidates(
            exclude=[tag.pk for tag in pinned],
            days=settings.NEWSROOM_TRENDING_DAYS,
            limit=size * 3,
        )
    )
    # The stories still scheduled: their tags are counted in published_count
    # but not yet seen by readers, and the first of them ends the cache.
    scheduled = list(
        stories().scheduled().values_list("published_at", "tagged_items__tag")
    )
    not_yet_live = Counter(tag_id for _at, tag_id in scheduled)
    for tag in candidates:
        tag.story_count = tag.published_count - not_yet_live[tag.pk]
    # Until an editor merges them, a near-duplicate group shows only its
    # most-used tag.
    shown = {tag.name for tag in pinned}
    by_name = {tag.name: tag for tag in candidates}
    for group in group_near_duplicates([*shown, *by_name]):
        members = [by_name[name] for name in group if name in by_name]
        if any(name in shown for name in group):
            keep = None
        else:
            keep = max(members, key=lambda tag: (tag.story_count, tag.trend_score))
        for tag in members:
            if tag is not keep:
                by_name.pop(tag.name)
    strip = pinned + [tag for tag in candidates if tag.name in by_name]
    next_live = min((at for at, _tag_id in scheduled), default=None)
    return strip[:size], _seconds_until(next_live)


def _one_per_group(pinned: list[Tag]) -> list[Tag]:
    """Pins in order, leaving out a pin whose near-duplicate is pinned
    earlier: two spellings of one subject never sit side by side."""
    later = {
        name
        for group in group_near_duplicates(tag.name for tag in pinned)
        for name in group[1:]
    }
    return [tag for tag in pinned if tag.name not in later]


def tag_pin_conflicts(*, tag: Tag) -> list[Tag]:
    """Tags on the trending strip, or pinned, that are near-duplicates of
    `tag`: pinning it beside them shows only one of the group."""
    if tag.strip_position is None:
        return []
    shown = {other.pk: other for other in Tag.objects.pinned().exclude(pk=tag.pk)}
    shown |= {other.pk: other for other in trending_tags() if other.pk != tag.pk}
    return [
        other for other in shown.values() if are_near_duplicates(tag.name, other.name)
    ]


def _seconds_until(next_live) -> int:
    """Cache the strip no longer than the next scheduled story's go-live."""
    longest = settings.NEWSROOM_TRENDING_CACHE_SECONDS
    if next_live is None:
        return longest
    return max(1, min(longest, int((next_live - timezone.now()).total_seconds()) + 1))
