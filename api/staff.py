"""The staff API, /api/v1/staff/: stories as a staff member sees and changes
them in the admin, with a personal token (api/models.py) instead of a login.

A token acts with exactly its person's rights: every change goes through the
services the admin calls (articles/services.py, articles/publishing.py), so
the same rules refuse the same things, and revisions, the audit trail and the
page cache's invalidation follow as from the admin. Answers are personal:
`Cache-Control: private, no-store`, and never kept in the page cache (no
surrogate keys, and the middleware keeps only public pages).
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, HttpError
from ninja.responses import Status as Answer
from ninja.security import HttpBearer

from api import schemas
from api.cursors import BadCursor, cursor_make, cursor_read
from api.services import TokenRefused, token_authenticate
from api.throttle import rate_check
from articles import checklist, workflow
from articles.models import Article, Author, Byline, Section, Status
from articles.publishing import story_save
from articles.services import (
    EditConflict,
    article_check_edit,
    article_publish,
    article_submit,
    article_unpublish,
)
from tags.models import TaggedArticle
from tags.services import tag_typed_warnings

MAX_ID = 2**63 - 1
ORDERING = "staff:-created"
ERRORS = {
    401: schemas.Error,
    403: schemas.Error,
    404: schemas.Error,
    409: schemas.Error,
    422: schemas.Error,
    429: schemas.Error,
}
# A body that is not JSON at all is Ninja's 400.
WRITE_ERRORS = {400: schemas.Error, **ERRORS}
VIEW_PERMISSIONS = ("articles.view_article", "articles.change_article")


# --- Authentication -----------------------------------------------------------------


class TokenThrottled(Exception):
    def __init__(self, wait: int, *, limit: int, window: int):
        self.wait, self.limit, self.window = wait, limit, window
        super().__init__(
            _(
                "Too many requests: at most %(limit)d every %(window)d seconds "
                "with one token. Try again in %(wait)d seconds."
            )
            % {"limit": limit, "window": window, "wait": wait}
        )


class StaffToken(HttpBearer):
    """`Authorization: Bearer <token>`: a staff member's personal API token."""

    def authenticate(self, request, token):
        check = token_authenticate(token)
        window = settings.NEWSROOM_API_RATE_WINDOW_SECONDS
        limit = settings.NEWSROOM_API_RATE_PER_TOKEN
        wait = rate_check(f"token:{check.token.pk}", limit=limit, window=window)
        if wait:
            raise TokenThrottled(wait, limit=limit, window=window)
        # The person, for everything after (and so no cache middleware ever
        # takes the answer for an anonymous page).
        request.user = check.user
        return check


def unauthorized(request, error):
    """401 with the reason, and the scheme to use (RFC 6750)."""
    if isinstance(error, TokenRefused):
        detail = str(error)
        challenge = 'Bearer realm="staff", error="invalid_token"'
    else:
        detail = _("Send a staff API token: “Authorization: Bearer <token>”.")
        challenge = 'Bearer realm="staff"'
    response = JsonResponse({"detail": detail, "errors": []}, status=401)
    response["WWW-Authenticate"] = challenge
    return response


def throttled(request, error):
    response = JsonResponse({"detail": str(error), "errors": []}, status=429)
    response["Retry-After"] = str(error.wait)
    return response


def mount(api) -> None:
    """Add the staff endpoints and their error answers to the API."""
    api.add_router("/staff/", router)
    api.add_exception_handler(AuthenticationError, unauthorized)
    api.add_exception_handler(TokenRefused, unauthorized)
    api.add_exception_handler(TokenThrottled, throttled)


def private(run):
    """Every staff answer, refusals included, is for one person only."""

    @wraps(run)
    def wrapper(*args, **kwargs):
        response = run(*args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


router = Router(auth=StaffToken(), tags=["staff"])


# --- Reading ------------------------------------------------------------------------


def _stories(user):
    """What the admin's story list shows the person: every story, drafts
    included, if they may see stories at all."""
    if not any(user.has_perm(permission) for permission in VIEW_PERMISSIONS):
        raise HttpError(403, _("You cannot see stories."))
    return (
        Article.objects.for_listing()
        .prefetch_related(
            Prefetch(
                "tagged_items",
                queryset=TaggedArticle.objects.select_related("tag").order_by(
                    Lower("tag__name")
                ),
            )
        )
        .order_by("-created_at", "-pk")
    )


STATES = {
    "draft": lambda stories: stories.filter(status=Status.DRAFT),
    "in_review": lambda stories: stories.filter(status=Status.IN_REVIEW),
    "unpublished": lambda stories: stories.filter(status=Status.UNPUBLISHED),
    "live": lambda stories: stories.published(),
    "scheduled": lambda stories: stories.scheduled(),
}


def _ref(obj, absolute) -> dict:
    return {
        "id": obj.pk,
        "name": obj.name,
        "slug": obj.slug,
        "url": absolute(obj.get_absolute_url()),
    }


def _staff_story(article: Article, user, absolute) -> dict:
    return {
        "id": article.pk,
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "body_html": article.body,
        "section": _ref(article.section, absolute),
        "bylines": [_ref(author, absolute) for author in article.byline_authors],
        "tags": [_ref(tag, absolute) for tag in article.tag_list],
        "status": article.status,
        "state": str(workflow.state_label(article)),
        "published_at": article.published_at,
        "created_at": article.created_at,
        "updated_at": article.updated_at,
        "version": article.edit_version,
        "url": absolute(article.get_absolute_url()),
        "api_url": absolute(reverse("api:staff_story", args=[article.pk])),
        "can_edit": workflow.can_edit(user, article),
        "actions": [action.value for action in workflow.allowed_actions(user, article)],
    }


def _answer(request, article_id: int, *, status: int = 200):
    user = request.auth.user
    article = _stories(user).get(pk=article_id)
    return Answer(status, _staff_story(article, user, request.build_absolute_uri))


def _find(user, story_id: int) -> Article:
    article = _stories(user).filter(pk=story_id).first()
    if article is None:
        raise HttpError(404, _("There is no story with this id."))
    return article


@router.get(
    "/stories/",
    response={200: schemas.StaffStoryPage, **ERRORS},
    url_name="staff_stories",
    summary="Stories as the admin lists them for you, drafts included",
)
@decorate_view(private)
def staff_story_list(request, query: Query[schemas.StaffStoryQuery]):
    """Newest first; `state` filters as the admin's list does."""
    user = request.auth.user
    stories = _stories(user)
    if query.state:
        stories = STATES[query.state](stories)
    if query.cursor:
        try:
            created_at, pk = cursor_read(query.cursor, ordering=ORDERING)
        except BadCursor as error:
            raise HttpError(422, str(error)) from None
        stories = stories.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)
        )
    rows = list(stories[: query.limit + 1])
    items = rows[: query.limit]
    next_cursor = (
        cursor_make(ordering=ORDERING, value=items[-1].created_at, pk=items[-1].pk)
        if len(rows) > query.limit
        else None
    )
    absolute = request.build_absolute_uri
    return {
        "items": [_staff_story(item, user, absolute) for item in items],
        "next_cursor": next_cursor,
    }


@router.get(
    "/stories/{story_id}/",
    response={200: schemas.StaffStory, **ERRORS},
    url_name="staff_story",
    summary="One story, whatever its state",
)
@decorate_view(private)
def staff_story_detail(request, story_id: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth.user
    return _staff_story(_find(user, story_id), user, request.build_absolute_uri)


# --- Writing ------------------------------------------------------------------------


def _refusal(error: PermissionDenied | ValidationError) -> HttpError:
    if isinstance(error, EditConflict):
        return HttpError(409, " ".join(error.messages))
    if isinstance(error, ValidationError):
        return HttpError(422, " ".join(error.messages))
    return HttpError(403, str(error))


def _section(slug: str) -> Section:
    section = Section.objects.filter(slug=slug).first()
    if section is None:
        raise HttpError(422, _("There is no section “%(slug)s”.") % {"slug": slug})
    return section


def _authors(slugs: list[str]) -> list[Author]:
    found = {author.slug: author for author in Author.objects.filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise HttpError(422, _("There is no author “%(slug)s”.") % {"slug": missing[0]})
    return list({slug: found[slug] for slug in slugs}.values())


def _tags(names: list[str]) -> list[str]:
    """The names as the story form takes them: refused when one is a
    near-duplicate of an existing tag (tags/forms.py StoryTagField)."""
    names = [name.strip() for name in names if name.strip()]
    blocking = [w for w in tag_typed_warnings(names) if w.blocking]
    if blocking:
        raise HttpError(
            422,
            " ".join(
                _("%(message)s Use “%(use)s”.")
                % {"message": warning.message, "use": warning.use}
                for warning in blocking
            ),
        )
    return names


def _validate(article: Article) -> None:
    """The model's own rules, as the admin form checks them (lengths, a
    taken slug, a source address without a source)."""
    exclude = [field.name for field in Article._meta.fields if not field.editable]
    try:
        article.full_clean(exclude=exclude)
    except ValidationError as error:
        problems = [
            f"{name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        ]
        raise HttpError(422, "; ".join(problems)) from None


def _parts(article: Article, *, authors: list[Author] | None, tags: list[str] | None):
    """The bylines and tags, saved as the admin's inline and tag field do."""

    def save():
        if authors is not None:
            article.bylines.all().delete()
            Byline.objects.bulk_create(
                Byline(article=article, author=author, position=position)
                for position, author in enumerate(authors)
            )
        if tags is not None:
            article.tags.set(tags)

    return save


@router.post(
    "/stories/",
    response={201: schemas.StaffStory, **WRITE_ERRORS},
    url_name="staff_story_create",
    summary="Write a new draft",
)
@decorate_view(private)
def staff_story_create(request, payload: schemas.StaffStoryCreate):
    user = request.auth.user
    article = Article(
        headline=payload.headline,
        slug=payload.slug or "",
        dek=payload.dek,
        body=payload.body,
    )
    try:
        article_check_edit(article=article, by=user, loaded_version=None)
    except PermissionDenied as error:
        raise _refusal(error) from None
    article.section = _section(payload.section)
    authors = _authors(payload.authors)
    tags = _tags(payload.tags)
    _validate(article)
    story_save(
        article=article,
        by=user,
        created=True,
        save_parts=_parts(article, authors=authors, tags=tags),
    )
    return _answer(request, article.pk, status=201)


@router.patch(
    "/stories/{story_id}/",
    response={200: schemas.StaffStory, **WRITE_ERRORS},
    url_name="staff_story_update",
    summary="Change a story you may edit",
)
@decorate_view(private)
def staff_story_update(
    request,
    payload: schemas.StaffStoryPatch,
    story_id: int = Path(..., ge=1, le=MAX_ID),
):
    """Send the `version` you read: if someone saved the story since, 409 and
    nothing changes (as the admin's form refuses a stale copy)."""
    user = request.auth.user
    article = _find(user, story_id)
    with transaction.atomic():
        try:
            article_check_edit(article=article, by=user, loaded_version=payload.version)
        except (PermissionDenied, ValidationError) as error:
            raise _refusal(error) from None
        # The row as locked by the check.
        article = _stories(user).get(pk=story_id)
        old_slug = article.slug
        for name in ("headline", "slug", "dek", "body"):
            value = getattr(payload, name)
            if value is not None:
                setattr(article, name, value)
        if payload.section is not None:
            article.section = _section(payload.section)
        authors = None if payload.authors is None else _authors(payload.authors)
        tags = None if payload.tags is None else _tags(payload.tags)
        _validate(article)
        story_save(
            article=article,
            by=user,
            created=False,
            old_slug=old_slug,
            save_parts=_parts(article, authors=authors, tags=tags),
        )
    return _answer(request, article.pk)


# --- Workflow -----------------------------------------------------------------------


def _move(request, story_id: int, step, **kwargs):
    user = request.auth.user
    article = _find(user, story_id)
    try:
        step(article=article, by=user, **kwargs)
    except (PermissionDenied, ValidationError) as error:
        raise _refusal(error) from None
    return _answer(request, article.pk)


@router.post(
    "/stories/{story_id}/submit/",
    response={200: schemas.StaffStory, **ERRORS},
    url_name="staff_story_submit",
    summary="Submit a draft for review",
)
@decorate_view(private)
def staff_story_submit(request, story_id: int = Path(..., ge=1, le=MAX_ID)):
    return _move(request, story_id, article_submit)


@router.post(
    "/stories/{story_id}/publish/",
    response={200: schemas.StaffStory, **WRITE_ERRORS},
    url_name="staff_story_publish",
    summary="Publish now, or schedule with `at` (editors)",
)
@decorate_view(private)
def staff_story_publish(
    request,
    payload: schemas.StaffPublish | None = None,
    story_id: int = Path(..., ge=1, le=MAX_ID),
):
    """Refused, as in the admin, while the pre-publish checklist has a
    blocking problem."""
    user = request.auth.user
    at = payload.at if payload else None
    if at is not None and at <= timezone.now():
        raise HttpError(422, _("Choose a go-live time in the future."))
    if workflow.is_editor(user):
        article = _find(user, story_id)
        failures = checklist.blocking_failures(checklist.story_from_article(article))
        if failures:
            raise HttpError(422, checklist.refusal_message(failures))
    return _move(request, story_id, article_publish, at=at)


@router.post(
    "/stories/{story_id}/unpublish/",
    response={200: schemas.StaffStory, **ERRORS},
    url_name="staff_story_unpublish",
    summary="Withdraw a story from the site (editors)",
)
@decorate_view(private)
def staff_story_unpublish(request, story_id: int = Path(..., ge=1, le=MAX_ID)):
    return _move(request, story_id, article_unpublish)
