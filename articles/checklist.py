"""The story's health before it goes out: the pre-publish checklist.

Each check is a plain function of a `Story` (what the form holds, or what was
saved) returning a `Result`. They warn by default; the names listed in
NEWSROOM_PUBLISH_BLOCKING_CHECKS refuse publishing, in the form and on the
server alike (`blocking_failures`).
"""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.richtext import LEAD_IN_CLASS
from tags.similarity import group_near_duplicates

HEADLINE_MAX = 90
_WORDS = re.compile(r"\w+(?:['’-]\w+)*")


@dataclass(frozen=True)
class Story:
    headline: str = ""
    dek: str = ""
    body: str = ""
    hero_image: object = None  # an images.Image, or None
    tags: list[str] = field(default_factory=list)
    go_deeper: int = 0
    source_name: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class Result:
    name: str
    label: str
    ok: bool
    message: str
    blocking: bool = False


class _Anchors(HTMLParser):
    """Collects every link's href (None when it has none) and lead-in texts."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str | None] = []
        self.lead_ins: list[str] = []
        self._in_lead_in = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a":
            self.hrefs.append(attributes.get("href"))
        if tag == "strong" and LEAD_IN_CLASS in (attributes.get("class") or "").split():
            self._in_lead_in = True
            self.lead_ins.append("")

    def handle_endtag(self, tag):
        if tag == "strong":
            self._in_lead_in = False

    def handle_data(self, data):
        if self._in_lead_in:
            self.lead_ins[-1] += data


def _parse(body: str) -> _Anchors:
    parser = _Anchors()
    parser.feed(body or "")
    parser.close()
    return parser


def word_count(body: str) -> int:
    return len(_WORDS.findall(html.unescape(strip_tags(body or ""))))


def headline_length(story: Story) -> Result:
    length = len(story.headline.strip())
    ok = 0 < length <= HEADLINE_MAX
    return Result(
        "headline_length",
        _("Headline length"),
        ok,
        _("%(n)d characters (at most %(max)d).") % {"n": length, "max": HEADLINE_MAX}
        if length
        else _("Write a headline."),
    )


def dek_present(story: Story) -> Result:
    ok = bool(story.dek.strip())
    return Result(
        "dek_present",
        _("Dek"),
        ok,
        _("Present.") if ok else _("Add a dek: one sentence on why it matters."),
    )


def lead_in_present(story: Story) -> Result:
    count = sum(1 for text in _parse(story.body).lead_ins if text.strip())
    return Result(
        "lead_in",
        _("Bold lead-in"),
        count > 0,
        ngettext("%(n)d lead-in.", "%(n)d lead-ins.", count) % {"n": count}
        if count
        else _("Open a paragraph with a lead-in (“The big picture:”)."),
    )


def word_budget(story: Story) -> Result:
    budget = settings.NEWSROOM_WORD_BUDGET
    words = word_count(story.body)
    ok = 0 < words <= budget
    return Result(
        "word_budget",
        _("Word budget"),
        ok,
        _("%(n)d of %(budget)d words.") % {"n": words, "budget": budget},
    )


def hero_image_described(story: Story) -> Result:
    image = story.hero_image
    if image is None:
        message = _("Choose a hero image.")
    elif not (image.alt_text.strip() or image.is_decorative):
        message = _("Describe the hero image in its alt text, or mark it decorative.")
    elif not (image.credit.strip() or image.is_decorative):
        message = _("Credit the hero image (photographer or agency).")
    else:
        return Result("hero_image", _("Hero image"), True, _("Alt text and credit."))
    return Result("hero_image", _("Hero image"), False, message)


def tags_distinct(story: Story) -> Result:
    names = [name for name in story.tags if name.strip()]
    if not names:
        return Result("tags", _("Tags"), False, _("Add at least one tag."))
    groups = group_near_duplicates(names)
    if groups:
        alike = "; ".join(" ~ ".join(group) for group in groups)
        return Result(
            "tags",
            _("Tags"),
            False,
            _("Near-duplicate tags: %(groups)s. Keep one of each.") % {"groups": alike},
        )
    return Result(
        "tags",
        _("Tags"),
        True,
        ngettext("%(n)d tag.", "%(n)d tags.", len(names)) % {"n": len(names)},
    )


def _well_formed(href: str | None) -> bool:
    if not href or href != href.strip() or any(ch.isspace() for ch in href):
        return False
    parts = urlsplit(href)
    if parts.scheme == "mailto":
        return "@" in parts.path
    return parts.scheme in {"http", "https"} and "." in (parts.hostname or "")


def links_well_formed(story: Story) -> Result:
    hrefs = _parse(story.body).hrefs
    broken = [href or _("(empty)") for href in hrefs if not _well_formed(href)]
    if broken:
        return Result(
            "links",
            _("Links"),
            False,
            _("Fix these links: %(links)s.") % {"links": ", ".join(broken)},
        )
    return Result(
        "links",
        _("Links"),
        True,
        ngettext("%(n)d link.", "%(n)d links.", len(hrefs)) % {"n": len(hrefs)},
    )


def go_deeper_present(story: Story) -> Result:
    ok = story.go_deeper > 0
    return Result(
        "go_deeper",
        _("Go deeper"),
        ok,
        _("Present.") if ok else _("Link at least one “Go deeper” story."),
    )


def source_attributed(story: Story) -> Result:
    name, url = story.source_name.strip(), story.source_url.strip()
    if not (name or url):
        return Result("source", _("Source"), True, _("Not syndicated."))
    if name and url:
        return Result("source", _("Source"), True, _("Credited to %s.") % name)
    return Result(
        "source",
        _("Source"),
        False,
        _("A syndicated story needs both the source's name and its address."),
    )


CHECKS = [
    headline_length,
    dek_present,
    lead_in_present,
    word_budget,
    hero_image_described,
    tags_distinct,
    links_well_formed,
    go_deeper_present,
    source_attributed,
]
# The names the setting may list (a test keeps them in step with CHECKS).
CHECK_NAMES = [
    "headline_length",
    "dek_present",
    "lead_in",
    "word_budget",
    "hero_image",
    "tags",
    "links",
    "go_deeper",
    "source",
]


def blocking_names() -> set[str]:
    """The checks the setting makes refuse publishing; a misspelt name is an
    error, not a silently ignored safety net."""
    names = set(settings.NEWSROOM_PUBLISH_BLOCKING_CHECKS)
    unknown = names - set(CHECK_NAMES)
    if unknown:
        raise ImproperlyConfigured(
            f"NEWSROOM_PUBLISH_BLOCKING_CHECKS: unknown {sorted(unknown)}; "
            f"choose from {CHECK_NAMES}"
        )
    return names


def run(story: Story) -> list[Result]:
    """Every check, each marked blocking when the setting says so."""
    blocking = blocking_names()
    results = []
    for check in CHECKS:
        result = check(story)
        if result.name in blocking:
            result = Result(**{**result.__dict__, "blocking": True})
        results.append(result)
    return results


def blocking_failures(story: Story) -> list[Result]:
    return [result for result in run(story) if result.blocking and not result.ok]


def refusal_message(failures: list[Result]) -> str:
    return _("Not published: %(problems)s") % {
        "problems": " ".join(f"{r.label}: {r.message}" for r in failures)
    }


def story_from_article(article) -> Story:
    """The checklist's view of a saved story (tags and links are prefetched
    or queried once each)."""
    if article.pk is None:
        return Story()
    return Story(
        headline=article.headline,
        dek=article.dek,
        body=article.body,
        hero_image=article.hero_image,
        tags=list(article.tags.names()),
        go_deeper=article.related_links.count(),
        source_name=article.source_name,
        source_url=article.source_url,
    )
