"""The live desk: one admin page per story (linked from the story's change
page as "Live coverage") to start and end coverage, post entries fast, and
edit, delete, pin or mark the newest ones."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article
from core.changelist import ReadOnlyAdmin
from live import services
from live.forms import DeskActionForm, EntryEditForm, EntryForm, OlderForm
from live.models import LiveCoverage

# Entries per page of the desk.
DESK_PAGE_SIZE = 20


@admin.register(LiveCoverage)
class LiveCoverageAdmin(ReadOnlyAdmin):
    # Coverage starts, ends and changes from the story's live desk, through
    # the services.
    list_display = [
        "story",
        "starts_at",
        "ends_at",
        "running",
        "journalists_may_post",
        "desk_link",
    ]
    list_filter = ["journalists_may_post"]
    search_fields = ["story__headline"]
    date_hierarchy = "starts_at"
    list_select_related = ["story"]
    raw_id_fields = ["story"]

    @admin.display(description=gettext_lazy("live now"), boolean=True)
    def running(self, coverage):
        return coverage.is_live

    @admin.display(description=gettext_lazy("live desk"))
    def desk_link(self, coverage):
        return format_html(
            '<a href="{}">{}</a>', desk_url(coverage.story_id), _("Open")
        )

    def get_urls(self):
        return [
            path(
                "story/<int:story_id>/",
                self.admin_site.admin_view(self.desk_view),
                name="live_livecoverage_desk",
            ),
            *super().get_urls(),
        ]

    # --- The desk ------------------------------------------------------------

    def desk_view(self, request, story_id):
        if not request.user.has_perm("articles.view_article"):
            raise PermissionDenied
        story = get_object_or_404(
            Article.objects.select_related("section").prefetch_related(
                "bylines__author"
            ),
            pk=story_id,
        )
        coverage = LiveCoverage.objects.filter(story=story).first()
        if coverage is not None:
            coverage.story = story
        if request.method == "POST":
            return self._act(request, story, coverage)
        return self._show(request, story, coverage)

    def _show(self, request, story, coverage, entry_form=None, edit_form=None):
        query = OlderForm(request.GET)
        wanted = query.cleaned_data if query.is_valid() else {}
        before, edit_id = wanted.get("before"), wanted.get("edit")
        entries, older, editing = [], None, None
        may_post = coverage is not None and services.may_post(request.user, coverage)
        if coverage is not None:
            rows = coverage.entries.for_display().newest_first()
            if before:
                rows = rows.filter(pk__lt=before)
            entries = list(rows[: DESK_PAGE_SIZE + 1])
            if len(entries) > DESK_PAGE_SIZE:
                entries = entries[:DESK_PAGE_SIZE]
                older = entries[-1].pk
            if may_post and edit_id:
                editing = next((e for e in entries if e.pk == edit_id), None)
                if editing is not None and edit_form is None:
                    edit_form = EntryEditForm(instance=editing, prefix="edit")
        if may_post and not coverage.has_ended and entry_form is None:
            entry_form = EntryForm()
        media = self.media
        for form in (entry_form, edit_form):
            if form is not None:
                media += form.media
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Live coverage: %(headline)s") % {"headline": story.headline},
            "story": story,
            "coverage": coverage,
            "may_manage": services.may_manage_coverage(request.user),
            "may_post": may_post,
            "entry_form": entry_form if may_post else None,
            "edit_form": edit_form if editing is not None else None,
            "editing": editing,
            "entries": entries,
            "older": older,
            "before": before,
            "media": media,
            "is_public": story.is_live,
        }
        return TemplateResponse(request, "admin/live/desk.html", context)

    def _act(self, request, story, coverage):
        back = desk_url(story.pk)
        action_form = DeskActionForm(request.POST)
        if not action_form.is_valid():
            self.message_user(request, _("That button is not known."), messages.ERROR)
            return HttpResponseRedirect(back)
        action = action_form.cleaned_data["action"]
        entry = None
        if action in {"edit", "delete", "pin", "unpin", "key", "unkey"}:
            entry = (
                coverage.entries.filter(pk=action_form.cleaned_data["entry"]).first()
                if coverage is not None and action_form.cleaned_data["entry"]
                else None
            )
            if entry is None:
                self.message_user(
                    request, _("That entry is no longer there."), messages.ERROR
                )
                return HttpResponseRedirect(back)
            entry.coverage = coverage
        elif action != "start" and coverage is None:
            self.message_user(
                request, _("This story has no live coverage yet."), messages.ERROR
            )
            return HttpResponseRedirect(back)
        try:
            result = self._apply(request, action, story, coverage, entry)
        except (PermissionDenied, ValidationError) as refused:
            words = getattr(refused, "messages", None) or [str(refused)]
            self.message_user(request, " ".join(words), messages.ERROR)
            return HttpResponseRedirect(back)
        if isinstance(result, tuple):  # a form with errors, shown again
            entry_form, edit_form = result
            return self._show(request, story, coverage, entry_form, edit_form)
        self.message_user(request, result, messages.SUCCESS)
        return HttpResponseRedirect(back)

    def _apply(self, request, action, story, coverage, entry):
        by = request.user
        if action == "start":
            services.live_coverage_start(
                story=story,
                by=by,
                journalists_may_post=request.POST.get("journalists_may_post") == "on",
            )
            return _("Live coverage started. Readers see the “Live” badge.")
        if action == "end":
            services.live_coverage_end(coverage=coverage, by=by)
            return _("Live coverage ended. The story now reads as a normal story.")
        if action in {"open", "close"}:
            services.live_coverage_open_to_journalists(
                coverage=coverage, by=by, allowed=action == "open"
            )
            if action == "open":
                return _("Journalists who may edit this story can now post.")
            return _("Only editors can post now.")
        if action == "post":
            form = EntryForm(request.POST)
            # Refused before the form says anything about the text.
            services.check_may_post(by, coverage)
            if not form.is_valid():
                return form, None
            services.live_entry_post(
                coverage=coverage,
                by=by,
                body=form.cleaned_data["body"],
                is_key_event=form.cleaned_data["is_key_event"],
                is_pinned=form.cleaned_data["is_pinned"],
                image=form.cleaned_data["image"],
            )
            return _("Entry posted.")
        if action == "edit":
            form = EntryEditForm(request.POST, prefix="edit")
            if not form.is_valid():
                return None, form
            services.live_entry_edit(entry=entry, by=by, body=form.cleaned_data["body"])
            return _("Entry updated. Readers see “Updated”.")
        if action == "delete":
            services.live_entry_delete(entry=entry, by=by)
            return _("Entry deleted.")
        flags = {
            "pin": {"is_pinned": True},
            "unpin": {"is_pinned": False},
            "key": {"is_key_event": True},
            "unkey": {"is_key_event": False},
        }
        services.live_entry_mark(entry=entry, by=by, **flags[action])
        return {
            "pin": _("Entry pinned to the top."),
            "unpin": _("Entry unpinned."),
            "key": _("Entry listed in Key events."),
            "unkey": _("Entry taken out of Key events."),
        }[action]


def desk_url(story_id: int) -> str:
    return reverse("admin:live_livecoverage_desk", args=[story_id])
