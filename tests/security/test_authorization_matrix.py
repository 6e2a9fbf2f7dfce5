"""Every admin address and staff-only page × every role × whose story it is.

The expectations come from POLICY below, written from the README ("How
publishing works", "Comments and moderation") and articles/workflow.py's
docstring, never from the permission code under test. A refused GET or POST
answers as Django's admin does and leaves every table as it was; an allowed
GET answers 200. An address the policy does not name fails the coverage test,
so a new view cannot go live without someone deciding who may use it.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from reversion.models import Version

from api.models import ApiToken
from articles.models import Article, FrontPageSlot, LeadIn, Status
from articles.services import article_preview_link
from comments.models import BannedPhrase, CommentStatus, ModerationLog
from core.roles import roles_sync
from images.imaging import check_and_clean
from images.services import image_create
from live.models import LiveCoverage
from newsletters.models import (
    Edition,
    EditionItem,
    Newsletter,
    Subscription,
    Suppression,
)
from tests.comments.factories import CommentFactory, ReaderFactory
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)
from tests.images import picture_bytes
from webhooks.models import WebhookDelivery, WebhookEndpoint

# --- Who is who ----------------------------------------------------------------

ANONYMOUS, READER = "anonymous", "reader"
JOURNALIST, EDITOR, MODERATOR = "journalist", "editor", "moderator"
ROLES = [ANONYMOUS, READER, JOURNALIST, EDITOR, MODERATOR]
ADMINISTRATOR = "administrator"  # a superuser: only to show the POSTs can bite
STAFF = {JOURNALIST, EDITOR, MODERATOR}
GROUP_OF = {JOURNALIST: "Journalists", EDITOR: "Editors", MODERATOR: "Moderators"}

# Whose story, at which stage, for the addresses of one story.
OWN_DRAFT, OTHERS_DRAFT = "own draft", "another journalist's draft"
OWN_LIVE, OTHERS_LIVE = "own live story", "another journalist's live story"
STORIES = [OWN_DRAFT, OTHERS_DRAFT, OWN_LIVE, OTHERS_LIVE]

# --- The policy, in the newsroom's words ------------------------------------------

ANY = "any"
OWN_UNPUBLISHED = "their own, while a draft or in review"

NOBODY: dict[str, str] = {}
ONLY_EDITORS = {EDITOR: ANY}
DESK = {JOURNALIST: ANY, EDITOR: ANY}
ONLY_MODERATORS = {MODERATOR: ANY}
EVERY_STAFF = {JOURNALIST: ANY, EDITOR: ANY, MODERATOR: ANY}
EVERYONE = dict.fromkeys(ROLES, ANY)

POLICY: dict[str, dict[str, dict[str, str]]] = {
    # Journalists write stories, read every story and edit their own (started
    # by them or under their byline) while draft or in review; editors do
    # everything, publishing and deleting included. Recovering a deleted
    # story from the admin is switched off for everyone.
    "story": {
        "list": DESK,
        "add": DESK,
        "read": DESK,
        "edit": {JOURNALIST: OWN_UNPUBLISHED, EDITOR: ANY},
        "delete": ONLY_EDITORS,
        "publish": ONLY_EDITORS,
        "share preview": ONLY_EDITORS,
        "recover deleted": NOBODY,
    },
    # Sections and authors: editors set them up; nobody deletes them (stories
    # hang off them).
    "section": {
        "list": DESK,
        "add": ONLY_EDITORS,
        "read": DESK,
        "edit": ONLY_EDITORS,
        "delete": NOBODY,
    },
    "author": {
        "list": DESK,
        "add": ONLY_EDITORS,
        "read": DESK,
        "edit": ONLY_EDITORS,
        "delete": NOBODY,
    },
    "lead-in label": {
        "list": DESK,
        "add": ONLY_EDITORS,
        "read": DESK,
        "edit": ONLY_EDITORS,
        "delete": ONLY_EDITORS,
    },
    "front-page slot": dict.fromkeys(
        ["list", "add", "read", "edit", "delete"], ONLY_EDITORS
    ),
    # The picture library: journalists upload and caption, editors also delete.
    "picture": {
        "list": DESK,
        "add": DESK,
        "read": DESK,
        "edit": DESK,
        "delete": ONLY_EDITORS,
    },
    # Journalists file stories under tags and make new ones; editors rename,
    # merge and delete them.
    "tag": {
        "list": DESK,
        "add": DESK,
        "read": DESK,
        "edit": ONLY_EDITORS,
        "delete": ONLY_EDITORS,
        "merge": ONLY_EDITORS,
    },
    # Moderators work comments only, and editors do not moderate.
    "comment": {
        "list": ONLY_MODERATORS,
        "add": NOBODY,
        "read": ONLY_MODERATORS,
        "edit": ONLY_MODERATORS,
        "delete": NOBODY,
        "moderate": ONLY_MODERATORS,
    },
    "reader": {
        "list": ONLY_MODERATORS,
        "add": NOBODY,
        "read": ONLY_MODERATORS,
        "edit": ONLY_MODERATORS,
        "delete": NOBODY,
        "moderate": ONLY_MODERATORS,
    },
    "held word": dict.fromkeys(
        ["list", "add", "read", "edit", "delete"], ONLY_MODERATORS
    ),
    "moderation log": {
        "list": ONLY_MODERATORS,
        "add": NOBODY,
        "read": ONLY_MODERATORS,
        "edit": NOBODY,
        "delete": NOBODY,
    },
    # Newsletters: editors set them up and see who subscribed and which
    # addresses bounced; readers' subscriptions change only through their own
    # signed links, and nobody deletes a newsletter.
    "newsletter": {
        "list": ONLY_EDITORS,
        "add": ONLY_EDITORS,
        "read": ONLY_EDITORS,
        "edit": ONLY_EDITORS,
        "delete": NOBODY,
    },
    # Editions: the desk composes them (stories, intro), previews them and
    # sends itself a test; only editors send or schedule one; nobody deletes
    # one (its deliveries are the record of who got what).
    "edition": {
        "list": DESK,
        "add": DESK,
        "read": DESK,
        "edit": DESK,
        "delete": NOBODY,
        "send a test": DESK,
        "send": ONLY_EDITORS,
    },
    "subscription": {
        "list": ONLY_EDITORS,
        "add": NOBODY,
        "read": ONLY_EDITORS,
        "edit": NOBODY,
        "delete": NOBODY,
    },
    "suppressed address": {
        "list": ONLY_EDITORS,
        "add": NOBODY,
        "read": ONLY_EDITORS,
        "edit": NOBODY,
        "delete": NOBODY,
    },
    # Live coverage: journalists and editors open a story's live desk; editors
    # mark stories live and post (a journalist posts only where an editor
    # allowed it, which no coverage in this newsroom does). The coverage list
    # itself is for administrators.
    "live coverage": {
        "list": NOBODY,
        "add": NOBODY,
        "read": NOBODY,
        "edit": NOBODY,
        "delete": NOBODY,
        "open desk": DESK,
        "post": ONLY_EDITORS,
    },
    # Webhooks: editors register endpoints (and rotate their secrets) and read
    # the delivery log; deliveries are made only by the site, never by hand,
    # and sent again only by editors.
    "webhook endpoint": {
        "list": ONLY_EDITORS,
        "add": ONLY_EDITORS,
        "read": ONLY_EDITORS,
        "edit": ONLY_EDITORS,
        "delete": ONLY_EDITORS,
    },
    "webhook delivery": {
        "list": ONLY_EDITORS,
        "add": NOBODY,
        "read": ONLY_EDITORS,
        "edit": NOBODY,
        "delete": NOBODY,
        "send again": ONLY_EDITORS,
    },
    # The admin itself: every member of staff has the index, their own
    # password and the admin's scripts; "view on site" is a plain redirect.
    "admin": {"use": EVERY_STAFF, "nothing": NOBODY},
    # A signed preview link works for whoever holds it, account or not.
    "shared preview": {"open": EVERYONE},
}
# Accounts, roles, background jobs, two-factor devices, login lockouts and
# staff API tokens are for administrators (superusers) only: no newsroom role
# touches them.
for _subject in [
    "API token",
    "account",
    "role",
    "background job",
    "two-factor device",
    "login lockout",
    "login log",
    "login failure log",
]:
    POLICY[_subject] = dict.fromkeys(
        ["list", "add", "read", "edit", "delete", "configure"], NOBODY
    )

# Each model's admin in the newsroom's words.
SUBJECTS = {
    "articles.article": "story",
    "articles.section": "section",
    "articles.author": "author",
    "articles.leadin": "lead-in label",
    "articles.frontpageslot": "front-page slot",
    "images.image": "picture",
    "tags.tag": "tag",
    "comments.comment": "comment",
    "accounts.readerprofile": "reader",
    "comments.bannedphrase": "held word",
    "comments.moderationlog": "moderation log",
    "newsletters.newsletter": "newsletter",
    "newsletters.subscription": "subscription",
    "newsletters.suppression": "suppressed address",
    "newsletters.edition": "edition",
    "live.livecoverage": "live coverage",
    "auth.user": "account",
    "auth.group": "role",
    "django_tasks_database.dbtaskresult": "background job",
    "otp_totp.totpdevice": "two-factor device",
    "axes.accessattempt": "login lockout",
    "axes.accesslog": "login log",
    "axes.accessfailurelog": "login failure log",
    "api.apitoken": "API token",
    "webhooks.webhookendpoint": "webhook endpoint",
    "webhooks.webhookdelivery": "webhook delivery",
}

# The bulk actions of each list, and what each one does in POLICY's words.
ACTIONS = {
    "story": {
        "publish_selected": "publish",
        "unpublish_selected": "publish",
        "delete_selected": "delete",
    },
    "comment": {
        "approve": "moderate",
        "reject": "moderate",
        "mark_spam": "moderate",
    },
    "reader": {"unban": "moderate", "delete_selected": "delete"},
    "tag": {"merge_selected": "merge", "delete_selected": "delete"},
    "API token": {"revoke_selected": "edit", "delete_selected": "delete"},
    "webhook endpoint": {"rotate_secret": "edit", "delete_selected": "delete"},
    "webhook delivery": {"redeliver": "send again"},
    "login lockout": {
        "cleanup_expired_attempts": "delete",
        "delete_selected": "delete",
    },
}
# The action each list's POST tries (with its confirmation, where it has one).
TRIED_ACTION = {
    "story": "publish_selected",
    "comment": "approve",
    "reader": "unban",
    "tag": "delete_selected",
}

# Addresses outside the admin that are not staff-only: the public site and the
# readers' own account and comments (their rules are tested in tests/comments).
PUBLIC_NAMES = {
    "healthz",
    "readyz",
    "csp-report",
    "robots",
    "sitemap-index",
    "sitemap-section",
    "news-sitemap",
    "tags:detail",
    "articles:headlines",
    "articles:search",
    "articles:author",
    "articles:section",
    "articles:detail",
    "comments:post",
    "comments:thread",
    "comments:edit",
    "comments:delete",
    "comments:report",
    "live:after",
    "live:feed",
    "accounts:signup",
    "accounts:signup_sent",
    "accounts:signup_confirm",
    "accounts:account",
    "accounts:account_data",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    # Readers' newsletter pages; their signed links are tested in
    # tests/newsletters.
    "newsletters:list",
    "newsletters:sent",
    "newsletters:confirm",
    "newsletters:preferences",
    "newsletters:unsubscribe",
    "newsletters:events",
    "newsletters:provider_tracking",  # behind anymail's secret (tests/newsletters)
    # The public archive: sent editions only (tests/newsletters/test_archive.py).
    "newsletters:archive",
    "newsletters:edition",
    *(f"feeds:{name}" for name in ["latest", "section", "tag", "author"]),
    *(f"feeds:{name}-atom" for name in ["latest", "section", "tag", "author"]),
    # The public, read-only content API (tests/api: only published stories).
    *(
        f"api:{name}"
        for name in [
            "api-root",
            "openapi-json",
            "openapi-view",
            "stories",
            "story",
            "story_by_path",
            "sections",
            "tags",
            "authors",
        ]
    ),
}
# The staff API answers a bearer token only, never a session: every role is
# tested there with its own token (tests/api/test_staff_*.py).
TOKEN_NAMES = {
    f"api:{name}"
    for name in [
        "staff_stories",
        "staff_story",
        "staff_story_create",
        "staff_story_update",
        "staff_story_submit",
        "staff_story_publish",
        "staff_story_unpublish",
    ]
}
# The admin's own doors, open to everyone by design.
ADMIN_DOORS = {"admin:login", "admin:logout"}
# Unnamed patterns: the favicon and (with DEBUG) media redirects, and the
# admin's catch-all (every unknown admin address).
UNNAMED_PUBLIC = {"favicon.ico", "media/<path:path>", "bench/ceiling/"}


# --- Every address of the admin, with what it does --------------------------------


@dataclass
class Entry:
    """One admin address or staff page, and which POLICY verbs its GET and POST
    need. `get_allowed`: what an allowed GET answers; `post_refused`: what a POST
    answers from someone who may GET but not do the POST's thing."""

    key: str
    subject: str
    get_verb: str
    post_verb: str
    kind: str  # how to build its address and POST body
    app_model: str = ""
    stories: bool = False
    get_allowed: int = 200
    post_refused: int = 403
    staff_refused: int = 403
    staff_post_refused: int | None = None  # when the view refuses the method first
    login: str = "/admin/login/"


STANDARD = re.compile(
    r"^(?P<app>.+)_(?P<model>[a-z]+)_(?P<view>changelist|add|change|delete|history)$"
)

CUSTOM = {
    "admin:index": Entry("admin:index", "admin", "use", "use", "plain"),
    "admin:password_change": Entry(
        "admin:password_change", "admin", "use", "use", "plain"
    ),
    "admin:password_change_done": Entry(
        "admin:password_change_done", "admin", "use", "use", "plain"
    ),
    "admin:jsi18n": Entry("admin:jsi18n", "admin", "use", "use", "plain"),
    "admin:view_on_site": Entry(
        "admin:view_on_site", "admin", "use", "use", "view_on_site", get_allowed=302
    ),
    "admin:autocomplete": Entry(
        "admin:autocomplete",
        "section",
        "read",
        "read",
        "autocomplete",
        staff_post_refused=405,  # a search is a GET, whoever asks
    ),
    "admin:images_image_preview": Entry(
        "admin:images_image_preview", "picture", "read", "read", "image_preview"
    ),
    "admin:articles_article_presence": Entry(
        "admin:articles_article_presence",
        "story",
        "read",
        "read",
        "story_pk",
        stories=True,
        get_allowed=403,  # a heartbeat is a POST
    ),
    "admin:articles_article_preview_link": Entry(
        "admin:articles_article_preview_link",
        "story",
        "share preview",
        "share preview",
        "story_pk",
        stories=True,
    ),
    "admin:articles_article_compare": Entry(
        "admin:articles_article_compare",
        "story",
        "read",
        "read",
        "story_pk",
        stories=True,
    ),
    "admin:articles_article_restore": Entry(
        "admin:articles_article_restore",
        "story",
        "read",
        "edit",
        "restore",
        stories=True,
        get_allowed=302,  # to the compare page
        post_refused=302,  # back to the compare page with the reason
    ),
    "admin:articles_article_revision": Entry(
        "admin:articles_article_revision",
        "story",
        "read",
        "read",
        "revision",
        stories=True,
        get_allowed=302,  # to the compare page
    ),
    # Autosave: the same right as saving the form (edit, or add for a new story).
    "admin:articles_article_autosave": Entry(
        "admin:articles_article_autosave",
        "story",
        "edit",
        "edit",
        "autosave",
        stories=True,
        get_allowed=405,  # an autosave is a POST
    ),
    "admin:articles_article_autosave_new": Entry(
        "admin:articles_article_autosave_new",
        "story",
        "add",
        "add",
        "autosave_new",
        get_allowed=405,  # an autosave is a POST
    ),
    "admin:articles_article_recoverlist": Entry(
        "admin:articles_article_recoverlist",
        "story",
        "recover deleted",
        "recover deleted",
        "plain",
    ),
    "admin:articles_article_recover": Entry(
        "admin:articles_article_recover",
        "story",
        "recover deleted",
        "recover deleted",
        "recover",
    ),
    "admin:tags_tag_merge": Entry(
        "admin:tags_tag_merge", "tag", "merge", "merge", "merge"
    ),
    "admin:tags_tag_duplicates": Entry(
        "admin:tags_tag_duplicates", "tag", "read", "read", "plain"
    ),
    "admin:tags_tag_suggest": Entry(
        "admin:tags_tag_suggest", "tag", "read", "read", "plain"
    ),
    "admin:tags_tag_check": Entry(
        "admin:tags_tag_check", "tag", "read", "read", "plain"
    ),
    "admin:otp_totp_totpdevice_config": Entry(
        "admin:otp_totp_totpdevice_config",
        "two-factor device",
        "configure",
        "configure",
        "device",
    ),
    "admin:otp_totp_totpdevice_qrcode": Entry(
        "admin:otp_totp_totpdevice_qrcode",
        "two-factor device",
        "configure",
        "configure",
        "device",
    ),
    "admin:auth_user_password_change": Entry(
        "admin:auth_user_password_change", "account", "edit", "edit", "user_password"
    ),
    # One comment's decision from its row or page (a POST), and a reader's ban
    # (a form, a confirmation, then the ban).
    "admin:comments_comment_moderate": Entry(
        "admin:comments_comment_moderate",
        "comment",
        "moderate",
        "moderate",
        "object_pk",
        app_model="comments.comment",
        get_allowed=405,  # a decision is a POST
    ),
    "admin:accounts_readerprofile_ban": Entry(
        "admin:accounts_readerprofile_ban",
        "reader",
        "moderate",
        "moderate",
        "object_pk",
        app_model="accounts.readerprofile",
    ),
    # An edition: previewed, filled from the front page and tested by the
    # desk; sent or scheduled (a confirmation, then the POST) by editors.
    **{
        f"admin:newsletters_edition_{name}": Entry(
            f"admin:newsletters_edition_{name}",
            "edition",
            get_verb,
            post_verb,
            "object_pk",
            app_model="newsletters.edition",
            get_allowed=get_allowed,
        )
        for name, get_verb, post_verb, get_allowed in [
            ("preview", "read", "read", 200),
            ("preview_email", "read", "read", 200),
            ("fill", "edit", "edit", 405),  # a POST
            ("send_test", "send a test", "send a test", 405),  # a POST
            ("send", "send", "send", 200),
        ]
    },
    # A story's live desk: opened by the desk, a button pressed (the POST).
    "admin:live_livecoverage_desk": Entry(
        "admin:live_livecoverage_desk",
        "live coverage",
        "open desk",
        "post",
        "story_pk",
        stories=True,
        post_refused=302,  # back to the desk with the reason
    ),
    # Staff-only pages outside the admin.
    "articles:preview": Entry(
        "articles:preview", "story", "read", "read", "story_pk", stories=True
    ),
    "articles:preview_link": Entry(
        "articles:preview_link", "shared preview", "open", "open", "shared_preview"
    ),
}
# Which app's page of the admin index each role sees (the others are 404).
APP_SUBJECT = {
    "articles": "story",
    "tags": "tag",
    "comments": "comment",
    "accounts": "reader",
    "newsletters": "edition",  # journalists see its editions only
    "auth": "account",
    "django_tasks_database": "background job",
    "webhooks": "webhook endpoint",
    "otp_totp": "two-factor device",
    "axes": "login lockout",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            assert isinstance(entry, URLPattern)
            route = prefix + str(entry.pattern)
            yield (f"{namespace}{entry.name}" if entry.name else None), route


def admin_entry(name: str, route: str) -> Entry | None:
    """The Entry for one admin address, or None if the policy doesn't know it."""
    if name is None:
        match = re.fullmatch(r"admin/(\w+)/(\w+)/<path:object_id>/", route)
        if match and f"{match[1]}.{match[2]}" in SUBJECTS:
            app_model = f"{match[1]}.{match[2]}"
            return Entry(
                f"admin:{match[1]}_{match[2]}_object",
                "admin",
                "use",
                "use",
                "object_redirect",
                app_model=app_model,
                stories=app_model == "articles.article",
                get_allowed=302,  # to the change page, which decides
            )
        return None
    if name in CUSTOM:
        return CUSTOM[name]
    match = STANDARD.match(name.removeprefix("admin:"))
    if not match:
        return None
    model = apps.all_models.get(match["app"], {}).get(match["model"])
    if model is None:
        return None
    app_model = model._meta.label_lower
    subject = SUBJECTS.get(app_model)
    if subject is None:
        return None
    view = match["view"]
    stories = app_model == "articles.article" and view != "add"
    if view == "changelist":
        return Entry(
            name,
            subject,
            "list",
            ACTIONS.get(subject, {}).get(TRIED_ACTION.get(subject), "delete"),
            "changelist",
            app_model=app_model,
        )
    verbs = {
        "add": ("add", "add"),
        "change": ("read", "edit"),
        "delete": ("delete", "delete"),
        "history": ("read", "read"),
    }[view]
    return Entry(name, subject, *verbs, view, app_model=app_model, stories=stories)


def every_address() -> tuple[list[Entry], list[str]]:
    """The matrix's rows, and the addresses nobody has written a policy for."""
    entries, unknown = [], []
    for name, route in _walk(get_resolver().url_patterns):
        if name is None and route in UNNAMED_PUBLIC:
            continue
        if name in PUBLIC_NAMES or name in ADMIN_DOORS or name in TOKEN_NAMES:
            continue
        if route.startswith("admin/"):
            if name == "admin:app_list":
                entries.extend(
                    Entry(
                        f"admin:app_list:{label}",
                        subject,
                        "list",
                        "list",
                        "app_list",
                        app_model=label,
                        staff_refused=404,
                    )
                    for label, subject in APP_SUBJECT.items()
                )
                continue
            if name is None and route == "admin/(?P<url>.*)$":
                entries.append(
                    Entry(
                        "admin:catch_all",
                        "admin",
                        "nothing",
                        "nothing",
                        "catch_all",
                        staff_refused=404,
                    )
                )
                continue
            entry = admin_entry(name, route)
        else:
            entry = CUSTOM.get(name)
        if entry is None:
            unknown.append(f"{name or '(unnamed)'} at /{route}")
        else:
            entries.append(entry)
    return entries, unknown


ENTRIES, UNKNOWN = every_address()


def allowed(entry: Entry, verb: str, role: str, story: str | None) -> bool:
    scope = POLICY[entry.subject][verb].get(role)
    if scope is None:
        return False
    if scope == OWN_UNPUBLISHED:
        return story == OWN_DRAFT  # of the four stories, the only one
    return True


def cells():
    for entry in ENTRIES:
        for role in ROLES:
            for story in STORIES if entry.stories else [None]:
                yield pytest.param(
                    entry, role, story, id=f"{entry.key}-{role}-{story or 'one'}"
                )


# --- The newsroom the matrix runs against ------------------------------------------


class FormFields(HTMLParser):
    """The fields a browser would send from the page's main admin form."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = attrs.get("id", "").endswith("_form")
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self.data.setdefault(self._select, []).append(value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.data.setdefault(self._select, []).append(self._select_first)
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def form_fields(html: str) -> dict[str, list[str]]:
    parser = FormFields()
    parser.feed(html)
    return parser.data


@dataclass
class World:
    users: dict[str, object]
    stories: dict[str, Article]
    objects: dict[str, object]
    versions: dict[str, Version]
    preview_url: str
    clients: dict[str, Client] = field(default_factory=dict)
    forms: dict[str, dict[str, list[str]]] = field(default_factory=dict)


# A POST that would do real harm if it went through: new text, a workflow button.
EDITS = {
    "articles.article": {
        "headline": ["Changed by someone who may not"],
        "_publish": ["1"],
    },
    "articles.section": {"name": ["Renamed section"]},
    "articles.author": {"name": ["Renamed author"]},
    "articles.leadin": {"label": ["Changed label:"]},
    "articles.frontpageslot": {"position": ["7"]},
    "images.image": {"title": ["Retitled picture"]},
    "tags.tag": {"name": ["renamed tag"]},
    "accounts.readerprofile": {"display_name": ["Renamed reader"], "ban_reason": ["x"]},
    "comments.bannedphrase": {"phrase": ["changed phrase"]},
    "newsletters.newsletter": {"name": ["Renamed newsletter"]},
    "newsletters.subscription": {"email": ["changed@example.org"]},
    "newsletters.suppression": {"email": ["changed@example.org"]},
    "newsletters.edition": {"subject": ["Rewritten edition"]},
    "api.apitoken": {"name": ["Renamed token"], "revoke": ["on"]},
    "webhooks.webhookendpoint": {
        "url": ["https://partner.example.org/changed"],
        "events": ["story.published"],
        "is_active": ["on"],
    },
}
ADDS = {
    "articles.article": {
        "headline": ["A story filed by someone who may not"],
        "slug": ["filed-by-someone-who-may-not"],
        "dek": ["It should never exist."],
        "body": ["<p>It should never exist.</p>"],
        "_publish": ["1"],
    },
    "articles.section": {"name": ["Rogue"], "slug": ["rogue"], "position": ["9"]},
    "articles.author": {"name": ["Rogue Writer"], "slug": ["rogue-writer"]},
    "articles.leadin": {"label": ["Rogue:"], "position": ["9"]},
    "articles.frontpageslot": {"position": ["5"]},
    "images.image": {"title": ["Rogue picture"], "alt_text": ["A rogue picture"]},
    "tags.tag": {"name": ["rogue tag"], "slug": ["rogue-tag"]},
    "comments.bannedphrase": {"phrase": ["rogue phrase"]},
    "newsletters.newsletter": {"name": ["Rogue letter"], "slug": ["rogue-letter"]},
    "newsletters.edition": {"subject": ["Rogue edition"]},
    "auth.user": {
        "username": ["rogue"],
        "password1": ["A-long-rogue-passphrase-1"],
        "password2": ["A-long-rogue-passphrase-1"],
    },
    "auth.group": {"name": ["Rogues"]},
    "webhooks.webhookendpoint": {
        "url": ["https://rogue.example.org/hook"],
        "events": ["story.published"],
        "is_active": ["on"],
    },
}

# The POSTs of the addresses that act on one object (kind "object_pk").
# The POSTs of the staff pages of one story (kind "story_pk").
STORY_POSTS = {"admin:live_livecoverage_desk": {"action": ["start"]}}
OBJECT_POSTS = {
    "admin:comments_comment_moderate": {"decision": ["approve"]},
    "admin:accounts_readerprofile_ban": {
        "reason": ["Abuse"],
        "length": ["7"],
        "confirm": ["yes"],
    },
    "admin:newsletters_edition_preview": {},
    "admin:newsletters_edition_preview_email": {},
    "admin:newsletters_edition_fill": {},
    "admin:newsletters_edition_send_test": {},
    "admin:newsletters_edition_send": {"confirm": ["yes"], "now": ["1"]},
}


def build_world() -> World:
    roles_sync(Group, Permission)
    now = timezone.now()
    users = {}
    for role in (JOURNALIST, EDITOR, MODERATOR):
        users[role] = UserFactory(username=f"matrix-{role}", is_staff=True)
        users[role].groups.add(Group.objects.get(name=GROUP_OF[role]))
    other = UserFactory(username="matrix-other-journalist", is_staff=True)
    other.groups.add(Group.objects.get(name=GROUP_OF[JOURNALIST]))
    users[READER] = ReaderFactory()
    root = UserFactory(username="matrix-root", is_staff=True, is_superuser=True)

    section = SectionFactory(slug="harbour")
    own_author = AuthorFactory(slug="own-byline", user=users[JOURNALIST])
    other_author = AuthorFactory(slug="other-byline", user=other)
    tag = TagFactory(name="ferries")
    second_tag = TagFactory(name="ferry")
    stories = {}
    for story, owner, author, live in [
        (OWN_DRAFT, users[JOURNALIST], own_author, False),
        (OTHERS_DRAFT, other, other_author, False),
        (OWN_LIVE, users[JOURNALIST], own_author, True),
        (OTHERS_LIVE, other, other_author, True),
    ]:
        article = ArticleFactory(
            section=section, authors=[author], tags=[tag], published=live
        )
        article.created_by = owner
        for headline in (f"First take: {story}", f"Second take: {story}"):
            with reversion.create_revision():
                article.headline = headline
                article.save()
                reversion.set_user(owner)
        stories[story] = article
    live = stories[OTHERS_LIVE]
    comment = CommentFactory(
        article=live, status=CommentStatus.PENDING, author=ReaderFactory()
    )
    image = image_create(
        upload=check_and_clean("harbour.jpg", picture_bytes()),
        by=root,
        title="Harbour at dawn",
        alt_text="Boats in the harbour at dawn",
    )
    newsletter = Newsletter.objects.create(name="Morning Brief", slug="brief")
    edition = Edition.objects.create(newsletter=newsletter, subject="Harbour vote")
    EditionItem.objects.create(edition=edition, story=live, position=1)
    endpoint = WebhookEndpoint.objects.create(
        url="https://partner.example.org/hook", events=["story.published"]
    )
    objects = {
        "articles.section": section,
        "articles.author": own_author,
        "articles.leadin": LeadIn.objects.create(label="Big picture:", position=1),
        "articles.frontpageslot": FrontPageSlot.objects.create(
            position=0, article=live
        ),
        "images.image": image,
        "tags.tag": tag,
        "tags.tag.second": second_tag,
        "comments.comment": comment,
        "accounts.readerprofile": users[READER].reader,
        "comments.bannedphrase": BannedPhrase.objects.create(phrase="scam"),
        "live.livecoverage": LiveCoverage.objects.create(story=live),
        "comments.moderationlog": ModerationLog.objects.create(
            comment=comment,
            moderator=users[MODERATOR],
            action=ModerationLog.Action.HOLD,
            old_status="",
            new_status=CommentStatus.PENDING,
        ),
        "newsletters.newsletter": newsletter,
        "newsletters.subscription": Subscription.objects.create(
            newsletter=newsletter, email="subscriber@example.org"
        ),
        "newsletters.suppression": Suppression.objects.create(
            email="bounced@example.org", reason="bounce"
        ),
        "newsletters.edition": edition,
        "auth.user": other,
        "auth.group": Group.objects.get(name="Editors"),
        "api.apitoken": ApiToken.objects.create(
            user=users[EDITOR], name="Importer", prefix="0a1b2c3d", secret_hash="0" * 64
        ),
        "otp_totp.totpdevice": TOTPDevice.objects.create(user=root, name="phone"),
        "webhooks.webhookendpoint": endpoint,
        "webhooks.webhookdelivery": WebhookDelivery.objects.create(
            endpoint=endpoint,
            event="story.published",
            payload={"id": "matrix", "event": "story.published", "data": {}},
            status="failed",
        ),
        "django_tasks_database.dbtaskresult": apps.get_model(
            "django_tasks_database", "DBTaskResult"
        ).objects.create(
            enqueued_at=now,
            run_after=now,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="articles.tasks.image_renditions",
            backend_name="default",
            exception_class_path="",
            traceback="",
        ),
        **{
            f"axes.{model.__name__.lower()}": model.objects.create(
                username="someone", ip_address="192.0.2.1", attempt_time=now, **extra
            )
            for model, extra in [
                (
                    AccessAttempt,
                    {"get_data": "", "post_data": "", "failures_since_start": 3},
                ),
                (AccessLog, {}),
                (AccessFailureLog, {}),
            ]
        },
    }
    preview_url, _ = article_preview_link(article=stories[OTHERS_DRAFT], by=root)
    world = World(
        users=users,
        stories=stories,
        objects=objects,
        versions={
            story: Version.objects.get_for_object(article).last()
            for story, article in stories.items()
        },
        preview_url=preview_url,
    )
    # One signed-in browser per role, for the whole module.
    users[ADMINISTRATOR] = root
    for role in [*ROLES, ADMINISTRATOR]:
        world.clients[role] = Client()
        if role != ANONYMOUS:
            world.clients[role].force_login(users[role])
    # The forms as an administrator sees them: the fields a real POST carries.
    browser = Client()
    browser.force_login(root)
    for entry in ENTRIES:
        if entry.kind not in {"add", "change"}:
            continue
        for story in STORIES if entry.stories else [None]:
            response = browser.get(address(world, entry, story))
            if response.status_code == 200:  # some admins have no add form
                world.forms[f"{entry.key}:{story}"] = form_fields(
                    response.content.decode()
                )
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One newsroom for the whole matrix, rolled back after the module; each
    test runs in a savepoint inside it."""
    media_root = tmp_path_factory.mktemp("matrix-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


# --- Addresses and bodies ------------------------------------------------------


def target(world: World, entry: Entry, story: str | None):
    if entry.stories:
        return world.stories[story]
    return world.objects.get(entry.app_model)


def address(world: World, entry: Entry, story: str | None) -> str:
    obj = target(world, entry, story) if entry.app_model or entry.stories else None
    pk = getattr(obj, "pk", None) or 999999
    kind = entry.kind
    if kind == "app_list":
        return reverse("admin:app_list", args=[entry.app_model])
    if kind == "catch_all":
        return "/admin/no-such-page/"
    if kind == "changelist":
        return reverse(entry.key)
    if kind == "add":
        return reverse(entry.key)
    if kind in {"change", "delete", "history"}:
        return reverse(entry.key, args=[pk])
    if kind == "object_redirect":
        app, model = entry.app_model.split(".")
        return f"/admin/{app}/{model}/{pk}/"
    if kind == "plain":
        return reverse(entry.key)
    if kind == "view_on_site":
        live = world.stories[OTHERS_LIVE]
        ct = ContentType.objects.get_for_model(Article)
        return reverse(entry.key, args=[ct.pk, live.pk])
    if kind == "autocomplete":
        return (
            reverse(entry.key)
            + "?app_label=articles&model_name=article&field_name=section&term=har"
        )
    if kind == "object_pk":
        return reverse(entry.key, args=[pk])
    if kind == "image_preview":
        return reverse(entry.key, args=[world.objects["images.image"].pk])
    if kind == "story_pk":
        return reverse(entry.key, args=[world.stories[story].pk])
    if kind == "restore":
        return reverse(
            entry.key, args=[world.stories[story].pk, world.versions[story].pk]
        )
    if kind == "revision":
        return reverse(
            entry.key, args=[world.stories[story].pk, world.versions[story].pk]
        )
    if kind == "recover":
        return reverse(entry.key, args=[world.versions[OWN_DRAFT].pk])
    if kind == "autosave":
        return reverse(entry.key, args=[world.stories[story].pk])
    if kind == "autosave_new":
        return reverse(entry.key, args=["5b0f3c1e-8d2a-4c55-9a57-1f2d3e4c5b6a"])
    if kind == "merge":
        tags = [world.objects["tags.tag"].pk, world.objects["tags.tag.second"].pk]
        return reverse(entry.key) + "?ids=" + ",".join(map(str, tags))
    if kind == "device":
        return reverse(entry.key, args=[world.objects["otp_totp.totpdevice"].pk])
    if kind == "user_password":
        return reverse(entry.key, args=[world.objects["auth.user"].pk])
    if kind == "shared_preview":
        return world.preview_url
    raise AssertionError(f"no address for {entry.key}")


def post_body(world: World, entry: Entry, story: str | None) -> dict:
    kind = entry.kind
    if kind == "changelist":
        obj = target(world, entry, story) if entry.subject != "story" else None
        pk = (obj or world.stories[OWN_DRAFT]).pk if entry.app_model else 999999
        action = TRIED_ACTION.get(entry.subject, "delete_selected")
        return {
            "action": action,
            "_selected_action": [str(pk)],
            "index": "0",
            "select_across": "0",
            "post": "yes",
        }
    if kind == "add":
        body = dict(world.forms.get(f"{entry.key}:{story}", {}))
        body |= ADDS.get(entry.app_model, {})
        if entry.app_model == "articles.article":
            body["section"] = [str(world.objects["articles.section"].pk)]
        if entry.app_model == "articles.frontpageslot":
            body["article"] = [str(world.stories[OWN_LIVE].pk)]
        return body
    if kind == "change":
        body = dict(world.forms.get(f"{entry.key}:{story}", {}))
        return body | EDITS.get(entry.app_model, {})
    if kind == "delete":
        return {"post": "yes"}
    if kind == "merge":
        tags = [
            str(world.objects["tags.tag"].pk),
            str(world.objects["tags.tag.second"].pk),
        ]
        return {"tags": tags, "survivor": tags[0]}
    if kind == "object_pk":
        return OBJECT_POSTS[entry.key]
    if kind == "plain" and entry.key == "admin:password_change":
        return {
            "old_password": "correct-horse-battery",
            "new_password1": "A-new-long-passphrase-2",
            "new_password2": "A-new-long-passphrase-2",
        }
    if kind in {"autosave", "autosave_new"}:
        return {"headline": "Autosaved by someone who may not", "base_version": "1"}
    if entry.key in STORY_POSTS:
        return STORY_POSTS[entry.key]
    return {"leaving": ""} if entry.key.endswith("presence") else {}


# --- What the database holds ----------------------------------------------------------

SNAPSHOT_APPS = {
    "api",
    "articles",
    "live",
    "images",
    "tags",
    "comments",
    "accounts",
    "auth",
    "drafts",
    "reversion",
    "admin",
    "django_tasks_database",
    "otp_totp",
    "taggit",
    "axes",
    "newsletters",
    "webhooks",
}


def _tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in SNAPSHOT_APPS
        }
    )


def snapshot() -> dict[str, object]:
    """Every row of the newsroom's tables (sessions aside: logging in writes
    one), as one digest per table on PostgreSQL and as the rows elsewhere."""
    tables = _tables()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT "
                + ", ".join(
                    f"(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text),"
                    f" '')) FROM {quote(table)} t)"
                    for table in tables
                )
            )
            return dict(zip(tables, cursor.fetchone(), strict=True))
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")
            rows[table] = sorted(map(repr, cursor.fetchall()))
        return rows


def changed_tables(before, after) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def assert_refused(response, role: str, entry: Entry, expected_staff: int, what: str):
    if role in STAFF:
        assert response.status_code == expected_staff, (
            f"{what}: {response.status_code}, expected {expected_staff}"
        )
        return
    # Not staff: the admin (and staff preview) send them to the admin login.
    assert response.status_code == 302, f"{what}: {response.status_code}"
    assert response["Location"].startswith(f"{entry.login}?next="), (
        f"{what}: to {response['Location']}"
    )


# --- The matrix ----------------------------------------------------------------------


def test_every_address_has_a_policy():
    assert not UNKNOWN, (
        "Addresses without a line in POLICY (tests/security/"
        f"test_authorization_matrix.py): {UNKNOWN}"
    )


def test_every_bulk_action_has_a_policy(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        subject = SUBJECTS[model._meta.label_lower]
        offered = set(model_admin.get_actions(request))
        unknown = offered - set(ACTIONS.get(subject, {"delete_selected": "delete"}))
        assert not unknown, f"{subject}: bulk actions without a policy: {unknown}"


@pytest.mark.parametrize(("entry", "role", "story"), list(cells()))
def test_authorization_matrix(world, db, entry, role, story):
    url = address(world, entry, story)
    client = world.clients[role]
    may_get = allowed(entry, entry.get_verb, role, story)
    may_post = allowed(entry, entry.post_verb, role, story)
    if may_get and may_post:
        response = client.get(url)
        assert response.status_code == entry.get_allowed, (
            f"GET {url} as {role}: {response.status_code}"
        )
        return
    before = snapshot()
    if may_get:
        response = client.get(url)
        assert response.status_code == entry.get_allowed, (
            f"GET {url} as {role}: {response.status_code}"
        )
        post_refused = entry.post_refused
        if entry.kind == "changelist":
            # An action the user lacks is "No action selected" and back to the
            # list; with no action at all the list simply shows again.
            actions = ACTIONS.get(entry.subject, {"delete_selected": "delete"})
            usable = [
                verb for verb in actions.values() if allowed(entry, verb, role, story)
            ]
            post_refused = 302 if usable else 200
    else:
        response = client.get(url)
        assert_refused(response, role, entry, entry.staff_refused, f"GET {url}")
        post_refused = entry.staff_post_refused or entry.staff_refused
    response = client.post(url, post_body(world, entry, story))
    assert_refused(response, role, entry, post_refused, f"POST {url} as {role}")
    assert changed_tables(before, snapshot()) == []


# --- The refused POSTs are real ones --------------------------------------------------

# The same address and body the matrix refuses, from someone allowed, changes
# the table it names: a refusal above is the policy at work, not a body the
# view would have ignored anyway.
BODIES_THAT_BITE = [
    ("admin:articles_article_add", JOURNALIST, None, "articles_article"),
    ("admin:articles_article_change", EDITOR, OTHERS_DRAFT, "articles_article"),
    ("admin:articles_article_change", JOURNALIST, OWN_DRAFT, "articles_article"),
    ("admin:articles_article_changelist", EDITOR, None, "articles_article"),
    ("admin:articles_article_delete", EDITOR, OWN_LIVE, "articles_article"),
    ("admin:articles_article_restore", JOURNALIST, OWN_DRAFT, "articles_article"),
    (
        "admin:articles_article_preview_link",
        EDITOR,
        OTHERS_DRAFT,
        "articles_articleevent",
    ),
    (
        "admin:articles_article_presence",
        JOURNALIST,
        OTHERS_LIVE,
        "articles_editpresence",
    ),
    ("admin:articles_article_autosave", JOURNALIST, OWN_DRAFT, "drafts_autosavedraft"),
    ("admin:articles_article_autosave", EDITOR, OTHERS_LIVE, "drafts_autosavedraft"),
    ("admin:articles_article_autosave_new", JOURNALIST, None, "drafts_autosavedraft"),
    ("admin:articles_section_add", EDITOR, None, "articles_section"),
    ("admin:articles_section_change", EDITOR, None, "articles_section"),
    ("admin:articles_leadin_delete", EDITOR, None, "articles_leadin"),
    ("admin:articles_frontpageslot_change", EDITOR, None, "articles_frontpageslot"),
    ("admin:images_image_change", JOURNALIST, None, "articles_image"),
    ("admin:tags_tag_add", JOURNALIST, None, "tags_tag"),
    ("admin:tags_tag_change", EDITOR, None, "tags_tag"),
    ("admin:tags_tag_changelist", EDITOR, None, "tags_tag"),
    ("admin:tags_tag_merge", EDITOR, None, "tags_tag"),
    ("admin:comments_comment_changelist", MODERATOR, None, "comments_comment"),
    ("admin:accounts_readerprofile_change", MODERATOR, None, "comments_readerprofile"),
    ("admin:comments_comment_moderate", MODERATOR, None, "comments_comment"),
    ("admin:accounts_readerprofile_ban", MODERATOR, None, "comments_readerprofile"),
    ("admin:comments_bannedphrase_add", MODERATOR, None, "comments_bannedphrase"),
    ("admin:newsletters_newsletter_add", EDITOR, None, "newsletters_newsletter"),
    ("admin:newsletters_newsletter_change", EDITOR, None, "newsletters_newsletter"),
    ("admin:auth_user_add", ADMINISTRATOR, None, "auth_user"),
    ("admin:auth_group_delete", ADMINISTRATOR, None, "auth_group"),
    ("admin:api_apitoken_change", ADMINISTRATOR, None, "api_apitoken"),
    (
        "admin:webhooks_webhookendpoint_change",
        EDITOR,
        None,
        "webhooks_webhookendpoint",
    ),
    ("admin:axes_accessattempt_changelist", ADMINISTRATOR, None, "axes_accessattempt"),
    (
        "admin:otp_totp_totpdevice_delete",
        ADMINISTRATOR,
        None,
        "otp_totp_totpdevice",
    ),
    ("admin:password_change", JOURNALIST, None, "auth_user"),
    ("admin:live_livecoverage_desk", EDITOR, OWN_LIVE, "live_livecoverage"),
]


@pytest.mark.parametrize(("key", "role", "story", "table"), BODIES_THAT_BITE)
def test_the_matrix_posts_change_things_when_allowed(
    world, db, key, role, story, table
):
    entry = next(entry for entry in ENTRIES if entry.key == key)
    client = Client()  # a password change here must not sign out the shared one
    client.force_login(world.users[role])
    before = snapshot()
    response = client.post(address(world, entry, story), post_body(world, entry, story))
    assert response.status_code in {200, 302}
    assert table in changed_tables(before, snapshot())


def test_a_journalists_publish_button_saves_their_draft_but_leaves_it_a_draft(
    world, db
):
    entry = next(
        entry for entry in ENTRIES if entry.key == "admin:articles_article_change"
    )
    story = world.stories[OWN_DRAFT]
    client = Client()
    client.force_login(world.users[JOURNALIST])
    response = client.post(
        address(world, entry, OWN_DRAFT),
        post_body(world, entry, OWN_DRAFT),
        follow=True,
    )
    story.refresh_from_db()
    assert story.headline == "Changed by someone who may not"
    assert story.status == Status.DRAFT
    assert "Only editors can publish" in response.content.decode()
