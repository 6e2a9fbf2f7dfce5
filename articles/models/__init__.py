"""The articles app's models, one module per concern; everything is imported
from here (`from articles.models import Article`), as migrations do.

addresses.py  listing_reverse(), unique_slug()
sections.py   Section, Author (and the slugs a section may not take)
stories.py    Article and its querysets, Byline, RelatedLink, Correction, LeadIn,
              Status, CommentsMode
trail.py      ArticleEvent (audit trail), ArticleSlugHistory, EditPresence
curation.py   FrontPageSlot
"""

import reversion

from articles.models.addresses import listing_reverse, unique_slug
from articles.models.curation import FrontPageSlot, FrontPageSlotQuerySet
from articles.models.sections import (
    RESERVED_SECTION_SLUGS,
    Author,
    Section,
    validate_section_slug,
)
from articles.models.stories import (
    Article,
    ArticleQuerySet,
    Byline,
    CommentsMode,
    Correction,
    LeadIn,
    RelatedLink,
    Status,
)
from articles.models.trail import ArticleEvent, ArticleSlugHistory, EditPresence
from tags.models import TaggedArticle

__all__ = [
    "RESERVED_SECTION_SLUGS",
    "Article",
    "ArticleEvent",
    "ArticleQuerySet",
    "ArticleSlugHistory",
    "Author",
    "Byline",
    "CommentsMode",
    "Correction",
    "EditPresence",
    "FrontPageSlot",
    "FrontPageSlotQuerySet",
    "LeadIn",
    "RelatedLink",
    "Section",
    "Status",
    "listing_reverse",
    "unique_slug",
    "validate_section_slug",
]

# Every save keeps a revision of the story with its bylines, tags and "Go
# deeper" links. The edit counter is left out so restoring an old revision is
# a new edit, not a stale one.
reversion.register(Byline)
reversion.register(RelatedLink)
reversion.register(TaggedArticle)
reversion.register(
    Article,
    follow=("bylines", "tagged_items", "related_links"),
    exclude=("edit_version", "comment_count"),
)
