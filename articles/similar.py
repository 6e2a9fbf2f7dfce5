"""Similar News: other stories sharing a story's tags, ranked by how rare the
shared tags are, how recent the stories and whether they share its section.

It reads the stories it is given (`ArticleQuerySet.similar_to`) and knows
their model only through them, so models.py can call it.
"""

import math
from datetime import timedelta

from django.db import connection, models
from django.db.models import Case, Count, F, FloatField, Q, Subquery, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from tags.models import Tag

# Similar News: small nudges that never outweigh one shared tag (weight >= 1).
RECENCY_BONUS = [
    (timedelta(days=1), 0.5),
    (timedelta(days=7), 0.3),
    (timedelta(days=30), 0.1),
]
SAME_SECTION_BONUS = 0.4
SIMILAR_CANDIDATES_PER_TAG = 100
# Past this many stories the planner's estimate of the table's size is close
# enough for a rarity weight; below it, counting exactly costs nothing.
ESTIMATED_TOTAL_FROM = 10_000


def tag_weights(story_model, tag_ids: list[int]) -> dict[int, float]:
    """Rarity weight of each tag: ln((N + 1) / (df + 1)) + 1, in one query.

    N is the number of published stories, df the number carrying the tag.
    On a large PostgreSQL archive N is the planner's row estimate for the
    stories table: a weight needs its order of magnitude, and counting
    100,000 stories took longer than the rest of the story page.
    """
    if not tag_ids:
        return {}
    published_total = Subquery(
        story_model.objects.published()
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(total=Count("pk"))
        .values("total")[:1]
    )
    if connection.vendor == "postgresql":
        estimate = RawSQL(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [story_model._meta.db_table],
            output_field=models.BigIntegerField(),
        )
        published_total = Case(
            When(GreaterThan(estimate, ESTIMATED_TOTAL_FROM), then=estimate),
            default=published_total,
        )
    rows = (
        Tag.objects.filter(pk__in=tag_ids)
        .with_story_counts()
        .annotate(published_total=published_total)
        .values_list("pk", "story_count", "published_total")
    )
    return {pk: math.log(((total or 0) + 1) / (df + 1)) + 1 for pk, df, total in rows}


def similar_to(stories, article, limit: int):
    """Stories of `stories` like `article`, best first, ranked by the database.

    Score: for each shared tag, its rarity (smoothed inverse document
    frequency over published stories, so sharing "veltria" counts more than
    sharing "politics"), plus a small bonus for recent stories and for the
    same section. Two queries: the tags' weights, then the ranking.

    Only the newest SIMILAR_CANDIDATES_PER_TAG stories of each shared tag
    are ranked: a common tag is on tens of thousands of stories, and
    summing all their weights cost a third of a second. A rare tag's
    stories all make the cut, so they still win.
    """
    weights = tag_weights(stories.model, [tag.pk for tag in article.tag_list])
    if not weights:
        return stories.none()
    others = stories.exclude(pk=article.pk)
    newest = [
        others.filter(tagged_items__tag_id=tag_id)
        .order_by("-published_at", "-pk")
        .values("pk")[:SIMILAR_CANDIDATES_PER_TAG]
        for tag_id in weights
    ]
    if connection.features.supports_slicing_ordering_in_compound:
        # One index walk per tag, then a lookup by key: OR-ing the
        # subqueries made PostgreSQL scan every story instead.
        candidates = Q(pk__in=newest[0].union(*newest[1:]))
    else:
        candidates = Q()
        for subquery in newest:
            candidates |= Q(pk__in=subquery)
    now = timezone.now()
    shared_tags = Sum(
        Case(
            *(
                When(tagged_items__tag_id=tag_id, then=Value(weight))
                for tag_id, weight in weights.items()
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
    recency = Case(
        *(
            When(published_at__gte=now - age, then=Value(bonus))
            for age, bonus in RECENCY_BONUS
        ),
        default=Value(0.0),
        output_field=FloatField(),
    )
    same_section = Case(
        When(section_id=article.section_id, then=Value(SAME_SECTION_BONUS)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return (
        others.filter(candidates)
        .filter(tagged_items__tag_id__in=weights)
        .annotate(shared_tags_score=shared_tags)
        .annotate(similarity=F("shared_tags_score") + recency + same_section)
        .order_by("-similarity", "-published_at", "-pk")[:limit]
    )
