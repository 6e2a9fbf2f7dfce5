"""A hostile crawl: every URL pattern of the project, admin and included
URLconfs too, requested with hostile path parameters and query strings, by a
stranger and (for the admin and previews) by a superuser. Nothing may answer
with a server error, and nothing hostile may come back as live markup."""

import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone

from articles.services import article_preview_link
from comments.models import BannedPhrase
from tests.comments.factories import CommentFactory
from tests.factories import (
    EDITOR_PERMISSIONS,
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)

# --- What the crawler sends -------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# Markup that must never come back unescaped. (Template syntax may come back
# as text: nothing renders a reader's input as a template.)
REFLECTED = [SCRIPT, "<img src=x onerror=alert(1)>"]

# Path segments, already percent-encoded as a client would send them.
HOSTILE_SEGMENTS = [
    "a" * 5000,
    "9" * 5000,
    "99999999999999999999",
    "0",
    "%00",
    "a%00b",
    "%01%08%1B%7F",
    "%0D%0ASet-Cookie:%20hostile=1",
    "%C3%28",
    "%FF",
    "%ED%A0%80",  # a lone surrogate, as UTF-8 bytes
    quote("' OR 1=1--"),
    quote("{{7*7}}"),
    quote("{% debug %}"),
    quote(SCRIPT, safe=""),
    quote(IMG, safe=""),
    "..%2F..%2Fetc%2Fpasswd",
    "../../etc/passwd",
    quote("é\u202eexe.txt"),
]
# Query values, percent-encoded.
HOSTILE_VALUES = [
    "99999999999999999999",
    "9999",
    "0",
    "-1",
    "9" * 5000,
    quote(SCRIPT, safe=""),
    quote(IMG, safe=""),
    "%00%01%1B",
    "%C3%28%FF",
    quote("' OR 1=1--{{7*7}}{% debug %}"),
    quote("²"),
    "..%2F..%2Fetc%2Fpasswd",
]
# Every parameter a view of ours reads, and the admin's own.
PUBLIC_PARAMETERS = [
    "page",
    "cpage",
    "corder",
    "q",
    "section",
    "since",
    "until",
    "next",
    "ids",
    "a",
    "b",
]
# The admin stops at the first parameter it refuses (an unknown filter is
# "?e=1", a bad _to_field is 400), so each group holds parameters that one
# kind of admin page reads; the model's own filters are added for changelists.
CHANGELIST_PARAMETERS = [["p", "o", "q", "all", "_popup"], ["_to_field"]]
ADMIN_OBJECT_PARAMETERS = [["_changelist_filters", "_popup"], ["_to_field"]]
ADMIN_OTHER_PARAMETERS = [["ids", "a", "b", "next", "q", "p"]]
_ADMIN_OBJECT_VIEWS = ("_add", "_change", "_delete", "_history")


# --- Every pattern of the project ---------------------------------------------


@dataclass
class Slot:
    name: str
    converter: object | None = None  # a path converter
    choices: list[str] | None = None  # a regex alternation (admin app labels)


@dataclass
class Pattern:
    """One URL pattern with its prefixes, as text with `{n}` for parameters."""

    template: str
    slots: list[Slot]
    callback: object
    name: str | None

    @property
    def is_admin(self) -> bool:
        return self.template.startswith("/admin/")

    def path(self, values: list[str]) -> str:
        return self.template.format(*values)


_ROUTE_SLOT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_SLOT = re.compile(r"\((?:\?P<(?P<name>\w+)>)?(?P<body>[^()]*)\)")


def _part(pattern, slots: list[Slot]) -> str:
    if isinstance(pattern, RoutePattern):

        def slot(match):
            slots.append(
                Slot(match["name"], converter=pattern.converters[match["name"]])
            )
            return f"{{{len(slots) - 1}}}"

        route = str(pattern).replace("{", "{{").replace("}", "}}")
        return _ROUTE_SLOT.sub(slot, route)
    assert isinstance(pattern, RegexPattern), pattern

    def group(match):
        body = match["body"]
        alternatives = body.split("|") if re.fullmatch(r"[\w|]+", body) else None
        slots.append(Slot(match["name"] or "group", choices=alternatives))
        return f"{{{len(slots) - 1}}}"

    regex = pattern._regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    return re.sub(r"\\(.)", r"\1", _REGEX_SLOT.sub(group, regex))


def _walk(patterns, prefix=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, (*prefix, entry.pattern))
        else:
            assert isinstance(entry, URLPattern)
            yield (*prefix, entry.pattern), entry


def every_pattern() -> list[Pattern]:
    found = []
    for parts, entry in _walk(get_resolver().url_patterns):
        slots: list[Slot] = []
        template = "/" + "".join(_part(part, slots) for part in parts)
        found.append(Pattern(template, slots, entry.callback, entry.name))
    return found


PATTERNS = every_pattern()


# --- A small site to crawl ------------------------------------------------------


@pytest.fixture
def site(db):
    """One of everything, so that real addresses reach the views' insides."""
    section = SectionFactory(slug="news")
    author = AuthorFactory(slug="ada")
    tag = TagFactory(name="harbour")
    article = ArticleFactory(
        published=True, section=section, authors=[author], tags=[tag]
    )
    comment = CommentFactory(article=article)
    editor = UserFactory(
        username="editor", is_staff=True, permissions=EDITOR_PERMISSIONS
    )
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    Group.objects.create(name="Desk")
    BannedPhrase.objects.create(phrase="spam")
    preview_url, _ = article_preview_link(article=article, by=editor)
    return {
        "section": section,
        "author": author,
        "tag": tag,
        "article": article,
        "comment": comment,
        "superuser": superuser,
        "preview_token": preview_url.rstrip("/").rsplit("/", 1)[-1],
    }


def _admin_model(pattern: Pattern):
    for model in admin.site._registry:
        opts = model._meta
        if pattern.template.startswith(f"/admin/{opts.app_label}/{opts.model_name}/"):
            return model
    return None


def real_value(pattern: Pattern, slot: Slot, site) -> str:
    """A value for `slot` that names something that exists."""
    article, published = (
        site["article"],
        timezone.localtime(site["article"].published_at),
    )
    if slot.choices:
        return slot.choices[0]
    if slot.name == "object_id":
        model = _admin_model(pattern)
        existing = model._default_manager.order_by("pk").first() if model else None
        return str(existing.pk) if existing else "1"
    if pattern.template.startswith("/comments/") and slot.name == "pk":
        return str(site["comment"].pk)
    by_name = {
        "pk": article.pk,
        "article_pk": article.pk,
        "year": published.year,
        "month": published.month,
        "day": published.day,
        "section": "stories" if "sitemap" in pattern.template else "news",
        "token": site["preview_token"],
        "uidb64": "MQ",
        "id": site["superuser"].pk,
        "url": "nowhere/",
    }
    if slot.name == "slug":
        if "/tag" in pattern.template:
            return site["tag"].slug
        if "/author" in pattern.template:
            return site["author"].slug
        if "/section/" in pattern.template:
            return site["section"].slug
        return article.slug
    return str(by_name.get(slot.name, "1"))


# --- The crawl --------------------------------------------------------------------


class Crawler:
    """Requests pages and notes each server error or reflected markup."""

    def __init__(self):
        self.problems: list[str] = []

    def get(self, path: str, clients: dict[str, Client]) -> None:
        for who, client in clients.items():
            shown = f"{who} GET {path[:150]}{'…' if len(path) > 150 else ''}"
            try:
                # A failed query must not poison the test's transaction.
                with transaction.atomic():
                    response = client.get(path)
            except Exception as error:
                self.problems.append(f"{shown}: raised {error!r:.300}")
                continue
            if response.status_code >= 500:
                self.problems.append(f"{shown}: answered {response.status_code}")
            if response.streaming:
                continue
            body = response.content.decode("utf-8", errors="replace")
            for markup in REFLECTED:
                if markup in body:
                    self.problems.append(f"{shown}: reflected {markup!r} unescaped")
            if "hostile" in response.cookies:
                self.problems.append(f"{shown}: a header was injected")


def _parameter_groups(pattern: Pattern) -> list[list[str]]:
    if not pattern.is_admin:
        return [PUBLIC_PARAMETERS]
    name = pattern.name or "_change"  # the unnamed one redirects to "change"
    model = _admin_model(pattern)
    if model is None or not name.endswith(("_changelist", *_ADMIN_OBJECT_VIEWS)):
        return ADMIN_OTHER_PARAMETERS
    if name.endswith(_ADMIN_OBJECT_VIEWS):
        return ADMIN_OBJECT_PARAMETERS
    groups = list(CHANGELIST_PARAMETERS)
    model_admin = admin.site._registry[model]
    filters = [
        f"{field}__exact" for field in model_admin.list_filter if isinstance(field, str)
    ]
    if model_admin.date_hierarchy:
        filters += [
            f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")
        ]
    groups.append(filters)
    return [group for group in groups if group]


@pytest.mark.parametrize(
    "pattern", PATTERNS, ids=[pattern.template[:80] for pattern in PATTERNS]
)
def test_hostile_requests_never_fail_or_reflect_markup(pattern, site, settings):
    settings.DEBUG = False
    anonymous, superuser = Client(), Client()
    superuser.force_login(site["superuser"])
    everyone = {"anonymous": anonymous, "superuser": superuser}
    # The admin shows a stranger its login page whatever the query; previews
    # differ for staff. Public pages are crawled as a stranger.
    if pattern.is_admin:
        path_clients, query_clients = everyone, {"superuser": superuser}
    elif "/preview/" in pattern.template:
        path_clients = query_clients = everyone
    else:
        path_clients = query_clients = {"anonymous": anonymous}
    crawler = Crawler()
    real = [real_value(pattern, slot, site) for slot in pattern.slots]
    # Hostile values in each parameter in turn, the others real.
    for index in range(len(pattern.slots)):
        for segment in HOSTILE_SEGMENTS:
            path = pattern.path([*real[:index], segment, *real[index + 1 :]])
            crawler.get(path, path_clients)
    # Hostile query strings on the real page.
    for group in _parameter_groups(pattern):
        for value in HOSTILE_VALUES:
            query = "&".join(f"{name}={value}" for name in group)
            crawler.get(f"{pattern.path(real)}?{query}", query_clients)
    assert not crawler.problems, "\n".join(crawler.problems)


def test_the_crawl_covers_the_whole_site():
    templates = {pattern.template for pattern in PATTERNS}
    for expected in [
        "/",
        "/search/",
        "/tags/{0}/",
        "/comments/{0}/edit/",
        "/feeds/latest/rss/",
        "/admin/",
        "/admin/articles/article/{0}/change/",
        "/admin/tags/tag/merge/",
        "/accounts/reset/{0}/{1}/",
        "/healthz",
    ]:
        assert expected in templates
    assert len(PATTERNS) > 100
