"""Autosave: keep what someone types in a per-person copy, offer it back.

The story row and its revisions are never written here. The copy is raw
text as typed (hostile HTML included) and is cleaned like a real save only
when it is offered back (`autosave_offer`).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.models import Version

from articles import workflow
from articles.diff import _body_text, inline_diff
from articles.models import Article
from articles.richtext import sanitize_body
from drafts.models import AutosaveDraft

# The text fields of the story form, as the form names them, and their labels.
FIELDS = {
    "headline": gettext_lazy("Headline"),
    "slug": gettext_lazy("Slug"),
    "dek": gettext_lazy("Dek"),
    "body": gettext_lazy("Body"),
    "hero_caption": gettext_lazy("Hero caption"),
    "source_name": gettext_lazy("Source outlet"),
    "source_url": gettext_lazy("Source URL"),
    "tags": gettext_lazy("Tags"),
}


def autosave_may(*, by: AbstractBaseUser, article: Article | None) -> bool:
    """The same rule as saving the form: change (or add) rights on this story."""
    if article is None:
        return by.has_perm("articles.add_article")
    return workflow.can_edit(by, article)


def _clean_input(fields: dict[str, str]) -> dict[str, str]:
    kept = {name: fields[name] for name in FIELDS if name in fields}
    if any(not isinstance(value, str) for value in kept.values()):
        raise ValidationError(_("Autosave needs text."), code="invalid")
    if any("\x00" in value for value in kept.values()):
        raise ValidationError(
            _("The text holds a character that cannot be stored (NUL)."),
            code="invalid",
        )
    size = sum(len(value.encode()) for value in kept.values())
    if size > settings.NEWSROOM_AUTOSAVE_MAX_BYTES:
        raise ValidationError(
            _("Too long to autosave (%(size)d bytes, at most %(limit)d).")
            % {"size": size, "limit": settings.NEWSROOM_AUTOSAVE_MAX_BYTES},
            code="too_long",
        )
    return kept


def autosave_store(
    *,
    by: AbstractBaseUser,
    article: Article | None,
    fields: dict[str, str],
    base_version: int | None = None,
    new_key: uuid.UUID | None = None,
) -> AutosaveDraft:
    """Keep `fields` as `by`'s draft copy of `article` (or of a new story)."""
    if not autosave_may(by=by, article=article):
        raise PermissionDenied(_("You can't edit this story."))
    if article is None and new_key is None:
        raise ValidationError(_("A new story's autosave needs its key."))
    kept = _clean_input(fields)
    where = {"article": article} if article else {"new_key": new_key}
    draft, _created = AutosaveDraft.objects.update_or_create(
        user=by,
        **where,
        defaults={
            "fields": kept,
            "base_version": base_version,
            "updated_at": timezone.now(),
        },
    )
    return draft


def autosave_discard(
    *, by: AbstractBaseUser, article: Article | None, new_key: uuid.UUID | None = None
) -> int:
    where = {"article": article} if article else {"new_key": new_key}
    deleted, _rows = AutosaveDraft.objects.filter(user=by, **where).delete()
    return deleted


def autosave_forget_saved(sender, revision, versions, **kwargs) -> None:
    """Receiver of reversion's post_revision_commit: the saver's copies of the
    stories in the revision are now history."""
    if revision.user_id is None:
        return
    pks = [
        int(version.object_id)
        for version in versions
        if version._model is Article and version.object_id.isdigit()
    ]
    if not pks:
        return
    mine = AutosaveDraft.objects.filter(user_id=revision.user_id)
    mine.filter(article__in=pks).delete()
    # A story saved for the first time was typed under its add form's key;
    # its headline is what ties the two together.
    headlines = Article.objects.filter(pk__in=pks).values_list("headline", flat=True)
    for headline in headlines:
        mine.filter(article=None, fields__headline=headline).delete()


def autosave_purge_stale(*, days: int | None = None) -> int:
    """Delete draft copies nobody has touched for `days` (the setting by default)."""
    days = settings.NEWSROOM_AUTOSAVE_KEEP_DAYS if days is None else days
    since = timezone.now() - timedelta(days=days)
    deleted, _rows = AutosaveDraft.objects.filter(updated_at__lt=since).delete()
    return deleted


# --- Offering the copy back ----------------------------------------------------------


def _restorable(draft: AutosaveDraft) -> dict[str, str]:
    """The copy's fields as a save would keep them: the body sanitised."""
    values = dict(draft.fields)
    if "body" in values:
        values["body"] = sanitize_body(values["body"])
    return values


def _shown(name: str, value: str) -> str:
    if name == "body":
        return _body_text(value)
    if name == "tags":  # the same tags in another order are the same tags
        return ", ".join(
            sorted({tag.strip() for tag in value.split(",") if tag.strip()})
        )
    return value


def _saved(article: Article | None, name: str) -> str:
    if article is None:
        return ""
    if name == "tags":
        return ", ".join(tag.name for tag in article.tags.all())
    return getattr(article, name) or ""


def autosave_offer(*, by: AbstractBaseUser, article: Article | None) -> dict | None:
    """What the change form offers `by` back, or None when nothing differs.

    For a saved story: the rows that differ (with an inline diff), and, when
    someone saved after the copy's base version, both versions side by side.
    For the add form: the person's newest copy of a story never saved.
    """
    if not autosave_may(by=by, article=article):
        return None
    if article is None:
        draft = (
            AutosaveDraft.objects.filter(user=by, article=None)
            .order_by("-updated_at")
            .first()
        )
    else:
        draft = AutosaveDraft.objects.filter(user=by, article=article).first()
    if draft is None:
        return None
    values = _restorable(draft)
    rows = []
    for name, label in FIELDS.items():
        if name not in values:
            continue
        saved = _saved(article, name)
        mine, theirs = _shown(name, values[name]), _shown(name, saved)
        if mine != theirs:
            rows.append(
                {
                    "field": label,
                    "name": name,
                    "diff": inline_diff(theirs, mine),
                    "mine": mine,
                    "saved": theirs,
                }
            )
    if not rows:
        return None
    conflict = (
        article is not None
        and draft.base_version is not None
        and draft.base_version != article.edit_version
    )
    offer = {
        "draft": draft,
        "values": values,
        "rows": rows,
        "conflict": conflict,
        "new_key": str(draft.new_key) if draft.new_key else "",
    }
    if conflict:
        last = (
            Version.objects.get_for_object(article)
            .select_related("revision__user")
            .first()
        )
        user = last.revision.user if last else None
        offer["saved_by"] = (
            (user.get_full_name() or user.get_username()) if user else _("someone")
        )
        offer["saved_at"] = last.revision.date_created if last else article.updated_at
    return offer
