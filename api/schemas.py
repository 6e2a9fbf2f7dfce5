"""What the content API answers with: these types are its OpenAPI schema."""

import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field


class ErrorItem(Schema):
    loc: list[str | int] = Field(description="Where the problem is: `query`, name.")
    msg: str


class Error(Schema):
    detail: str = Field(description="What went wrong, in a sentence.")
    errors: list[ErrorItem] = Field(default_factory=list)


class SectionRef(Schema):
    id: int
    name: str
    slug: str
    url: str = Field(description="The section's public page (absolute).")


class Section(SectionRef):
    description: str
    story_count: int = Field(description="Stories readers can see in the section.")


class TagRef(Schema):
    id: int
    name: str
    slug: str
    url: str


class Tag(TagRef):
    description: str
    story_count: int
    aliases: list[str] = Field(
        description="Names merged into this tag: stories tagged so are filed here."
    )


class AuthorRef(Schema):
    id: int
    name: str
    slug: str
    url: str


class Author(AuthorRef):
    bio: str
    story_count: int


class Rendition(Schema):
    url: str
    ratio: str = Field(description="Crop: `16:9`, `1:1`, … or `original`.")
    format: str
    width: int
    height: int


class HeroImage(Schema):
    alt: str = Field(description="Empty only for a decorative picture.")
    is_decorative: bool
    caption: str
    credit: str
    width: int
    height: int
    renditions: list[Rendition]


class Correction(Schema):
    kind: Literal["correction", "update"]
    text: str
    created_at: datetime


class StoryLink(Schema):
    id: int
    headline: str
    url: str
    api_url: str


class Source(Schema):
    name: str
    url: str


class ParagraphBlock(Schema):
    type: Literal["paragraph"]
    lead_in: str | None = Field(
        description="The bold opening label (“Why it matters:”), apart from the text."
    )
    text: str = Field(description="Plain text, without the lead-in.")
    html: str = Field(description="The same, with its links and emphasis.")


class HeadingBlock(Schema):
    type: Literal["heading"]
    level: Literal[2, 3]
    text: str


class ListItem(Schema):
    text: str
    html: str


class ListBlock(Schema):
    type: Literal["list"]
    ordered: bool
    items: list[ListItem]


class QuoteBlock(Schema):
    type: Literal["quote"]
    text: str
    html: str


class ImageBlock(Schema):
    type: Literal["image"]
    src: str
    alt: str
    caption: str


class RuleBlock(Schema):
    type: Literal["rule"]


Block = Annotated[
    ParagraphBlock | HeadingBlock | ListBlock | QuoteBlock | ImageBlock | RuleBlock,
    Field(discriminator="type"),
]


class Story(Schema):
    id: int
    headline: str
    dek: str
    url: str = Field(description="The story's canonical public address (absolute).")
    api_url: str
    section: SectionRef
    bylines: list[AuthorRef]
    tags: list[TagRef]
    hero_image: HeroImage | None
    body_html: str = Field(description="The body as sanitised HTML, as stored.")
    blocks: list[Block] = Field(description="The body as typed blocks.")
    corrections: list[Correction] = Field(description="Oldest first.")
    go_deeper: list[StoryLink]
    source: Source | None = Field(description="For syndicated stories.")
    published_at: datetime
    updated_at: datetime
    comment_count: int


class StoryPage(Schema):
    items: list[Story]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last."
    )


class TagPage(Schema):
    items: list[Tag]
    next_cursor: str | None


class AuthorPage(Schema):
    items: list[Author]
    next_cursor: str | None


class SectionList(Schema):
    items: list[Section]


# --- Query parameters ---------------------------------------------------------------

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
SLUG = r"^[-a-zA-Z0-9_]+$"
# Nobody searches with more than a paragraph (articles/search.py).
MAX_QUERY_LENGTH = 1000


_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
)


def _rfc3339(value):
    """Only what the schema says (`date-time`): pydantic alone would also take
    a date, a time without an offset, or seconds since 1970."""
    if not isinstance(value, str) or not _RFC3339.fullmatch(value):
        raise ValueError("Give a time with its offset, e.g. 2026-12-02T09:00:00Z")
    return value


def _in_range(value: datetime) -> datetime:
    """Every database compares times in UTC; one past year 9999 there is none."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("This time is out of range") from None


Moment = Annotated[AwareDatetime, BeforeValidator(_rfc3339), AfterValidator(_in_range)]


class PageQuery(Schema):
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}."
    )
    cursor: str | None = Field(
        None, max_length=1000, description="The `next_cursor` of the page before."
    )


class StoryQuery(PageQuery):
    section: str | None = Field(
        None, pattern=SLUG, max_length=100, description="A section's slug."
    )
    tag: str | None = Field(
        None, pattern=SLUG, max_length=100, description="A tag's slug."
    )
    author: str | None = Field(
        None, pattern=SLUG, max_length=100, description="An author's slug."
    )
    updated_since: Moment | None = Field(
        None, description="Updated at or after this time."
    )
    published_after: Moment | None = Field(
        None, description="Published at or after this time."
    )
    published_before: Moment | None = Field(
        None, description="Published before this time."
    )
    q: str | None = Field(
        None,
        max_length=MAX_QUERY_LENGTH,
        description="Words to search for, as on the site's search page.",
    )
    ordering: Literal["published", "-published", "updated", "-updated"] = Field(
        "-published", description="By publication or last update; `-` for newest first."
    )


class PathQuery(Schema):
    path: str = Field(
        max_length=2000,
        description="The story's address on the site, `/section/yyyy/mm/dd/slug/` "
        "(a full URL works too).",
    )


# --- Staff API (api/staff.py) -------------------------------------------------------

StaffStatus = Literal["draft", "in_review", "published", "unpublished"]
StaffAction = Literal["submit", "return", "publish", "schedule", "unpublish"]
# A long-read is a few thousand words; ten times that is not a story.
MAX_BODY_LENGTH = 200_000
MAX_TAGS = 20


class StaffStory(Schema):
    id: int
    headline: str
    slug: str
    dek: str
    body_html: str = Field(description="The body as sanitised HTML, as stored.")
    section: SectionRef
    bylines: list[AuthorRef]
    tags: list[TagRef]
    status: StaffStatus
    state: str = Field(
        description="The state in the newsroom's words: Draft, In review, "
        "Scheduled, Live, Unpublished."
    )
    published_at: datetime | None = Field(
        description="When it went, or goes, live; null if it never was."
    )
    created_at: datetime
    updated_at: datetime
    version: int = Field(
        description="Send it back as `version` with a change: a story saved by "
        "someone else since is refused with 409."
    )
    url: str = Field(description="The story's public address (once it is live).")
    api_url: str
    can_edit: bool = Field(description="Whether this token may change the story.")
    actions: list[StaffAction] = Field(
        description="The workflow steps this token may take on the story now."
    )


class StaffStoryPage(Schema):
    items: list[StaffStory]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last."
    )


class StaffStoryQuery(PageQuery):
    state: Literal["draft", "in_review", "scheduled", "live", "unpublished"] | None = (
        Field(None, description="Only stories in this state, as the admin's filter.")
    )


def _storable(value: str) -> str:
    """Text the database can keep: PostgreSQL refuses NUL, and a lone
    surrogate (valid in JSON) is no UTF-8."""
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode") from None
    return value


def _headline(value: str) -> str:
    """Trimmed, as the admin's form trims it; blank is no headline."""
    value = value.strip()
    if not value:
        raise ValueError("Write a headline")
    return value


Text = Annotated[str, AfterValidator(_storable)]
Headline = Annotated[Text, AfterValidator(_headline)]
Slug = Annotated[str, Field(pattern=SLUG, min_length=1, max_length=120)]
TagName = Annotated[Text, Field(min_length=1, max_length=100)]


class StaffStoryFields(Schema):
    """What the story form holds, for the API (bylines by author slug)."""

    model_config = {"extra": "forbid"}

    dek: Text = Field("", max_length=300)
    body: Text = Field(
        "",
        max_length=MAX_BODY_LENGTH,
        description="HTML; cleaned to what the story editor allows, as in the admin.",
    )
    tags: list[TagName] = Field(default_factory=list, max_length=MAX_TAGS)
    authors: list[Slug] = Field(
        default_factory=list,
        max_length=10,
        description="Bylines, by author slug, in the order printed.",
    )


class StaffStoryCreate(StaffStoryFields):
    headline: Headline = Field(min_length=1, max_length=200)
    section: Slug = Field(description="The section's slug.")
    slug: str | None = Field(
        None,
        pattern=SLUG,
        max_length=80,
        description="Made from the headline when left out.",
    )


class StaffStoryPatch(Schema):
    """Only the fields sent are changed."""

    model_config = {"extra": "forbid"}

    version: int = Field(
        ge=1, le=2**31 - 1, description="The `version` of the story as you read it."
    )
    headline: Headline | None = Field(None, min_length=1, max_length=200)
    slug: str | None = Field(None, pattern=SLUG, max_length=80)
    dek: Text | None = Field(None, max_length=300)
    body: Text | None = Field(None, max_length=MAX_BODY_LENGTH)
    section: Slug | None = None
    tags: list[TagName] | None = Field(None, max_length=MAX_TAGS)
    authors: list[Slug] | None = Field(None, max_length=10)


class StaffPublish(Schema):
    model_config = {"extra": "forbid"}

    at: Moment | None = Field(
        None, description="Schedule for this time instead of publishing now."
    )
