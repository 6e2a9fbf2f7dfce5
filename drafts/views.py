"""The autosave endpoint under the story admin: a POST every few seconds.

Same door as the change form: the admin's login and CSRF check, then the
same edit permission. Answers JSON; a refusal stores nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone

from articles.models import Article
from drafts.services import FIELDS, autosave_discard, autosave_may, autosave_store


def _version(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _answer(request, article, new_key=None):
    if not autosave_may(by=request.user, article=article):
        raise PermissionDenied
    if request.method != "POST":
        return JsonResponse({"error": "POST only"}, status=405)
    if request.POST.get("discard"):
        autosave_discard(by=request.user, article=article, new_key=new_key)
        return JsonResponse({"discarded": True})
    fields = {name: request.POST[name] for name in FIELDS if name in request.POST}
    try:
        draft = autosave_store(
            by=request.user,
            article=article,
            fields=fields,
            base_version=_version(request.POST.get("base_version", "")),
            new_key=new_key,
        )
    except ValidationError as error:
        status = 413 if error.code == "too_long" else 400
        return JsonResponse({"error": " ".join(error.messages)}, status=status)
    return JsonResponse({"saved_at": timezone.localtime(draft.updated_at).isoformat()})


def story_autosave_view(request, pk):
    # Who may write stories at all is asked before whether this one exists.
    if not request.user.has_perm("articles.change_article"):
        raise PermissionDenied
    return _answer(request, get_object_or_404(Article, pk=pk))


def new_story_autosave_view(request, key):
    return _answer(request, None, new_key=key)


def autosave_urls(admin_site) -> list:
    """The autosave addresses, beside the story admin's own
    (admin/articles/article/…). The admin site adds them (newsroom/
    admin_site.py), so the story admin needs to know nothing of drafts."""
    view = admin_site.admin_view
    return [
        path(
            "articles/article/<int:pk>/autosave/",
            view(story_autosave_view),
            name="articles_article_autosave",
        ),
        path(
            "articles/article/add/autosave/<uuid:key>/",
            view(new_story_autosave_view),
            name="articles_article_autosave_new",
        ),
    ]
