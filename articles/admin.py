import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import checklist, workflow
from articles.buttons import save_button, workflow_buttons
from articles.diff import revision_diff, visible_changes
from articles.models import (
    Article,
    ArticleEvent,
    Author,
    Byline,
    Correction,
    FrontPageSlot,
    LeadIn,
    RelatedLink,
    Section,
    Status,
)
from articles.publishing import article_transition, story_save
from articles.services import (
    EditConflict,
    article_check_edit,
    article_correct,
    article_other_editors,
    article_presence_leave,
    article_presence_touch,
    article_preview_link,
    article_restore,
)
from articles.workflow import Action
from core.changelist import (
    NewsroomModelAdmin,
    NewsroomStackedInline,
    NewsroomTabularInline,
    SafeAdminMixin,
)
from images.templatetags.images_extras import picture
from tags.forms import StoryTagField


@admin.register(Section)
class SectionAdmin(NewsroomModelAdmin):
    list_display = ["name", "slug", "position", "story_count"]
    list_editable = ["position"]
    ordering = ["position", "name"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    @admin.display(description=_("stories"), ordering="story_count")
    def story_count(self, section):
        return section.story_count


@admin.register(Author)
class AuthorAdmin(NewsroomModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug", "user__username", "user__email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(LeadIn)
class LeadInAdmin(NewsroomModelAdmin):
    list_display = ["label", "position"]
    list_editable = ["position"]
    search_fields = ["label"]


@admin.register(FrontPageSlot)
class FrontPageSlotAdmin(NewsroomModelAdmin):
    list_display = ["position", "article", "article_state", "expires_at"]
    list_display_links = ["position"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
    ordering = ["position"]

    @admin.display(description=_("story state"))
    def article_state(self, slot):
        return workflow.state_label(slot.article)


class BylineInline(NewsroomTabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    extra = 1
    verbose_name = _("author")
    verbose_name_plural = _("bylines (in the order printed)")


class RelatedLinkInline(NewsroomTabularInline):
    model = RelatedLink
    fk_name = "article"
    autocomplete_fields = ["target"]
    fields = ["target", "position"]
    extra = 0
    verbose_name = _("“Go deeper” story")
    verbose_name_plural = _("“Go deeper” (stories linked at the end)")


class CorrectionInline(NewsroomStackedInline):
    """Corrections are appended, never rewritten: the record readers trust."""

    model = Correction
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.published_at is not None
            and request.user.has_perm("articles.add_correction")
        )


class ArticleEventInline(NewsroomTabularInline):
    model = ArticleEvent
    fields = ["at", "actor", "action", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("audit trail")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_articleevent")


class StateFilter(admin.SimpleListFilter):
    """The list's filter in the column's words: "Live" and "Scheduled", not
    the stored "Published" that covers both."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (Status.DRAFT, _("Draft")),
            (Status.IN_REVIEW, _("In review")),
            ("scheduled", _("Scheduled")),
            ("live", _("Live")),
            (Status.UNPUBLISHED, _("Unpublished")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "live":
            return queryset.published()
        if value == "scheduled":
            return queryset.scheduled()
        if value in {Status.DRAFT, Status.IN_REVIEW, Status.UNPUBLISHED}:
            return queryset.filter(status=value)
        return queryset


def is_go_deeper_label(label: str) -> bool:
    """The "Go deeper:" lead-in: readers get that line from the story's "Go
    deeper" links, so the editor does not offer a second way to write it."""
    return label.strip().rstrip(":").casefold() == "go deeper"


def _formfield(db_field, **kwargs):
    """Model fields as form fields, with web addresses assumed to be https."""
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class ArticleAdminForm(forms.ModelForm):
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    go_live_at = forms.SplitDateTimeField(
        label=_("Go live at"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_("For “Schedule”: when the story becomes public by itself."),
    )

    # Publishing and scheduling, checked against the pre-publish checklist.
    publishing_buttons = (f"_{Action.PUBLISH}", f"_{Action.SCHEDULE}")

    # Their values as the form was opened travel with it, so a refused save
    # can say what the other person changed.
    tracked_fields = ["headline", "slug", "dek", "body", "section"]

    class Meta:
        model = Article
        formfield_callback = _formfield
        fields = [
            "headline",
            "slug",
            "dek",
            "section",
            "body",
            "tags",
            "hero_image",
            "hero_caption",
            "comments_mode",
            "source_name",
            "source_url",
        ]

    request = None  # set by ArticleAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.edit_version
        if self.instance.is_scheduled and "go_live_at" in self.fields:
            self.fields["go_live_at"].initial = timezone.localtime(
                self.instance.published_at
            )
        for name in self.tracked_fields:
            if name in self.fields:
                self.fields[name].show_hidden_initial = True

    def clean(self):
        cleaned = super().clean()
        if self.request is None:
            return cleaned
        try:
            article_check_edit(
                article=self.instance,
                by=self.request.user,
                loaded_version=cleaned.get("loaded_version"),
            )
        except EditConflict:
            raise ValidationError(self._conflict_message(), code="conflict") from None
        except PermissionDenied as error:
            raise ValidationError(str(error), code="forbidden") from None
        if f"_{Action.SCHEDULE}" in self.data:
            go_live_at = cleaned.get("go_live_at")
            if go_live_at is None or go_live_at <= timezone.now():
                self.add_error("go_live_at", _("Choose a go-live time in the future."))
        if workflow.is_editor(self.request.user) and any(
            name in self.data for name in self.publishing_buttons
        ):
            failures = checklist.blocking_failures(self.posted_story(cleaned))
            if failures:
                raise ValidationError(
                    checklist.refusal_message(failures), code="checklist"
                )
        return cleaned

    def posted_story(self, cleaned) -> checklist.Story:
        """The story as this POST would leave it, for the checklist. "Go deeper"
        rows come from the inline's fields in the same POST (the formsets are
        validated after this form)."""
        prefix = "related_links"
        try:
            total = int(self.data.get(f"{prefix}-TOTAL_FORMS", 0))
        except ValueError:
            total = 0
        go_deeper = sum(
            1
            for index in range(min(total, 1000))
            if self.data.get(f"{prefix}-{index}-target")
            and not self.data.get(f"{prefix}-{index}-DELETE")
        )
        return checklist.Story(
            headline=cleaned.get("headline") or "",
            dek=cleaned.get("dek") or "",
            body=cleaned.get("body") or "",
            hero_image=cleaned.get("hero_image"),
            tags=list(cleaned.get("tags") or []),
            go_deeper=go_deeper,
            source_name=cleaned.get("source_name") or "",
            source_url=cleaned.get("source_url") or "",
        )

    def _conflict_message(self) -> str:
        current = Article.objects.get(pk=self.instance.pk)
        changed = []
        for name in self.tracked_fields:
            field = self.fields[name]
            loaded = field.widget.value_from_datadict(
                self.data, self.files, self.add_initial_prefix(name)
            )
            now = getattr(current, f"{name}_id" if name == "section" else name)
            if str(loaded or "") != str(now or ""):
                changed.append(str(field.label))
        last = (
            Version.objects.get_for_object(current).select_related("revision__user")
        ).first()
        who = last.revision.user if last and last.revision.user else _("someone")
        when = timezone.localtime(last.revision.date_created) if last else None
        return _(
            "%(who)s saved this story at %(when)s, after you opened it. They "
            "changed: %(fields)s. Your edits were not saved: copy what you need, "
            "reload the story and apply them again."
        ) % {
            "who": who,
            "when": when.strftime("%H:%M") if when else "?",
            "fields": ", ".join(changed) or _("the bylines, tags or links"),
        }


@admin.register(Article)
class ArticleAdmin(SafeAdminMixin, VersionAdmin):
    form = ArticleAdminForm
    # At 1280 px beside the admin's menu and the filters, the headline gets
    # the room: section and bylines sit under it rather than in columns.
    list_display = ["story", "state", "live_from", "updated_at"]
    list_display_links = ["story"]
    list_filter = [StateFilter, "section"]
    list_select_related = ["section"]
    # One count of 100,000 stories per page view is enough: not a second one
    # for the unfiltered total beside a filtered list.
    show_full_result_count = False
    search_fields = ["headline", "dek", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "hero_image"]
    readonly_fields = [
        "state",
        "published_at",
        "created_at",
        "updated_at",
        "hero_preview",
    ]
    inlines = [BylineInline, RelatedLinkInline, CorrectionInline, ArticleEventInline]
    actions = ["publish_selected", "unpublish_selected"]
    history_latest_first = True
    # Deleted stories are not recovered from here (deleting is for editors).
    change_list_template = None

    class Media:
        css = {"all": ["articles/admin/editor.css", "articles/admin/changelist.css"]}
        js = [
            "articles/admin/presence.js",
            "articles/admin/hero-preview.js",
            "articles/admin/publish-confirm.js",
        ]

    def get_fieldsets(self, request, obj=None):
        publishing = [
            "state",
            "published_at",
            "comments_mode",
            "created_at",
            "updated_at",
        ]
        if workflow.is_editor(request.user):
            publishing.insert(0, "go_live_at")
        return [
            (
                None,
                {
                    "fields": [
                        "headline",
                        "slug",
                        "dek",
                        "section",
                        "body",
                        "tags",
                        "loaded_version",
                    ]
                },
            ),
            (
                _("Hero image"),
                {"fields": ["hero_image", "hero_preview", "hero_caption"]},
            ),
            (
                _("Syndication"),
                {
                    "classes": ["collapse"],
                    "fields": ["source_name", "source_url"],
                    "description": _("Only for stories first published elsewhere."),
                },
            ),
            # Drawn in the side panel beside the writing (change_form.html).
            (_("Publishing"), {"classes": ["publishing"], "fields": publishing}),
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    @admin.display(description=_("authors"))
    def author_names(self, article):
        return ", ".join(author.name for author in article.byline_authors)

    @admin.display(description=_("headline"), ordering="headline")
    def story(self, article):
        return format_html(
            '{}<span class="story-row__meta">{} · {}</span>',
            article.headline,
            article.section,
            self.author_names(article) or _("no byline"),
        )

    @admin.display(description=_("preview"))
    def hero_preview(self, article):
        image = article.hero_image
        return format_html(
            '<div class="hero-preview" data-preview-url="{}">{}</div>',
            reverse("admin:images_image_preview", args=[0]),
            picture(image, "16:9", sizes="20rem") if image else "",
        )

    @admin.display(description=_("live from"), ordering="published_at")
    def live_from(self, article):
        return article.published_at

    @admin.display(description=_("state"), ordering="status")
    def state(self, article):
        return workflow.state_label(article)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "source_url":
            kwargs["assume_scheme"] = "https"
        if db_field.name == "tags":
            kwargs["form_class"] = StoryTagField
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in {"headline", "dek", "source_url"}:
            formfield.widget.attrs["class"] = "vLargeTextField one-line"
        if db_field.name == "body":
            # The house lead-in labels are data editors change, so read them per form.
            # "Go deeper" is added one way only: the inline below the body.
            labels = [
                label
                for label in LeadIn.objects.values_list("label", flat=True)
                if not is_go_deeper_label(label)
            ]
            formfield.help_text = _(
                "Short paragraphs. Start a paragraph with a lead-in from the "
                "“Lead-in” menu (“The big picture:”). Add “Go deeper” stories "
                "in the “Go deeper” section below."
            )
            config = formfield.widget.config
            formfield.widget.config = config | {
                "extensions": config["extensions"] | {"LeadIn": {"labels": labels}}
            }
        return formfield

    # --- Who may change what ---------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.is_editor(request.user))

    def has_publish_permission(self, request):
        return workflow.is_editor(request.user)

    # --- Saving ----------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        """Nothing yet: `save_related` hands the story, its parts and the
        button pressed to the publishing service, which writes the row once."""

    def save_related(self, request, form, formsets, change):
        action = self._requested_action(request)
        request.story_saved = story_save(
            article=form.instance,
            by=request.user,
            created=not change,
            old_slug=form.initial.get("slug", "") if change else "",
            action=action,
            at=form.cleaned_data.get("go_live_at")
            if action == Action.SCHEDULE
            else None,
            save_parts=lambda: super(ArticleAdmin, self).save_related(
                request, form, formsets, change
            ),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            # Corrections go through the service: checked, timestamped, audited.
            for correction_form in formset.extra_forms:
                if correction_form.has_changed() and correction_form.is_valid():
                    article_correct(
                        article=form.instance,
                        kind=correction_form.cleaned_data["kind"],
                        text=correction_form.cleaned_data["text"],
                        by=request.user,
                    )
            # Nothing for the admin's own change message: the audit trail has it.
            formset.new_objects = formset.changed_objects = formset.deleted_objects = []
            return
        super().save_formset(request, form, formset, change)

    # --- Workflow buttons ------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = context.get("original") or Article(status=Status.DRAFT)
        form = context["adminform"].form
        go_live_at = form.fields.get("go_live_at") and (
            form.cleaned_data.get("go_live_at")
            if form.is_bound and hasattr(form, "cleaned_data")
            else form.fields["go_live_at"].initial
        )
        context["save_button"] = save_button(obj)
        context["workflow_buttons"] = workflow_buttons(
            request.user, obj, go_live_at or None
        )
        context["checklist"] = checklist.run(checklist.story_from_article(obj))
        if obj.pk:
            others = article_other_editors(article=obj, by=request.user)
            context["other_editors"] = others
            context["preview_url"] = reverse("articles:preview", args=[obj.pk])
        return super().render_change_form(request, context, add, change, **kwargs)

    @staticmethod
    def _requested_action(request) -> Action | None:
        """The workflow button pressed ("Submit for review", "Publish now"…)."""
        return next((a for a in Action if f"_{a.value}" in request.POST), None)

    def _workflow_response(self, request):
        """Say what the button did (or why not) and reopen the story."""
        outcome = getattr(request, "story_saved", None)
        if outcome is None or self._requested_action(request) is None:
            return None
        if outcome.action is None:
            self.message_user(request, outcome.refused, messages.ERROR)
        else:
            if reversion.is_active():
                # The revision is named for the step, not the admin's change list.
                reversion.set_comment(str(outcome.action.label))
            self.message_user(
                request,
                self._done_message(outcome.article, outcome.action),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[outcome.article.pk])
        )

    @staticmethod
    def _done_message(article, action) -> str:
        if action == Action.SCHEDULE:
            when = timezone.localtime(article.published_at).strftime("%d %b %Y, %H:%M")
            return _("Scheduled: the story goes live at %(when)s.") % {"when": when}
        return {
            Action.SUBMIT: _("Submitted for review. An editor will take it from here."),
            Action.RETURN: _("Returned to draft."),
            Action.PUBLISH: _("The story is live."),
            Action.UNPUBLISH: _("The story was withdrawn."),
        }[action]

    def response_add(self, request, obj, post_url_continue=None):
        return self._workflow_response(request) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._workflow_response(request) or super().response_change(request, obj)

    @admin.action(
        description=_("Publish selected stories now"), permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        self._run_many(request, queryset, Action.PUBLISH, _("published"))

    @admin.action(description=_("Unpublish selected stories"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._run_many(request, queryset, Action.UNPUBLISH, _("unpublished"))

    def _run_many(self, request, queryset, action, done):
        changed = 0
        for article in queryset:
            failures = (
                checklist.blocking_failures(checklist.story_from_article(article))
                if action == Action.PUBLISH
                else []
            )
            if failures:
                text = checklist.refusal_message(failures)
                self.message_user(request, f"“{article}”: {text}", messages.ERROR)
                continue
            try:
                article_transition(article=article, action=action, by=request.user)
            except (PermissionDenied, ValidationError) as error:
                text = (
                    " ".join(error.messages)
                    if isinstance(error, ValidationError)
                    else str(error)
                )
                self.message_user(request, f"“{article}”: {text}", messages.ERROR)
            else:
                changed += 1
        if changed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d story %(done)s.", "%(count)d stories %(done)s.", changed
                )
                % {"count": changed, "done": done},
                messages.SUCCESS,
            )

    # --- Extra pages: presence, preview links, revisions -----------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/presence/",
                view(self.presence_view),
                name="articles_article_presence",
            ),
            path(
                "<int:pk>/preview-link/",
                view(self.preview_link_view),
                name="articles_article_preview_link",
            ),
            path(
                "<int:pk>/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<int:pk>/restore/<int:version_id>/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None and request.method == "GET":
            others = article_other_editors(article=article, by=request.user)
            if others:
                self.message_user(
                    request,
                    _("%(names)s had this story open in the last few minutes.")
                    % {"names": ", ".join(others)},
                    messages.WARNING,
                )
            if self.has_change_permission(request, article):
                article_presence_touch(article=article, by=request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def presence_view(self, request, pk):
        """Heartbeat from an open change form (and its goodbye on leaving)."""
        article = get_object_or_404(Article, pk=pk)
        if request.method != "POST" or not self.has_view_permission(request, article):
            raise PermissionDenied
        if request.POST.get("leaving"):
            article_presence_leave(article=article, by=request.user)
        else:
            article_presence_touch(article=article, by=request.user)
        return JsonResponse(
            {"others": article_other_editors(article=article, by=request.user)}
        )

    def preview_link_view(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        if not self.has_publish_permission(request):
            raise PermissionDenied
        link = expires = None
        if request.method == "POST":
            url, expires = article_preview_link(article=article, by=request.user)
            link = request.build_absolute_uri(url)
        return render(
            request,
            "admin/articles/article/preview_link.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": article,
                "title": _("Share a preview"),
                "link": link,
                "expires": expires,
            },
        )

    def compare_view(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        versions = list(
            Version.objects.get_for_object(article)
            .select_related("revision__user")
            .prefetch_related("revision__version_set")
            .order_by("-revision__date_created", "-pk")
        )
        # Saves that changed nothing shown here are folded away unless asked.
        no_change = gettext("No fields changed.")
        for version, changed in zip(versions, visible_changes(versions), strict=True):
            version.changed_something = changed
            comment = version.revision.get_comment()
            version.what = "" if comment == no_change else comment
        show_all = request.GET.get("all") == "1"
        shown = [v for v in versions if show_all or v.changed_something]
        # Looked up as typed: "²" passes isdigit() but int() refuses it.
        by_id = {str(version.pk): version for version in versions}

        def chosen(name, default):
            value = request.GET.get(name, "")
            return by_id.get(value) if value.isdigit() else default

        newer = chosen("b", shown[0] if shown else None)
        older = chosen("a", shown[1] if len(shown) > 1 else newer)
        rows = revision_diff(older, newer) if older and newer else []
        return render(
            request,
            "admin/articles/article/compare.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": article,
                "title": _("Compare revisions"),
                "versions": shown,
                "folded": len(versions) - len(shown),
                "show_all": show_all,
                "older": older,
                "newer": newer,
                "rows": rows,
                "can_restore": self.has_change_permission(request, article),
            },
        )

    def restore_view(self, request, pk, version_id):
        # Who may read stories at all is asked before whether this one exists.
        if not self.has_view_permission(request):
            raise PermissionDenied
        article = get_object_or_404(Article, pk=pk)
        version = get_object_or_404(
            Version.objects.get_for_object(article), pk=version_id
        )
        if request.method != "POST":
            return redirect("admin:articles_article_compare", pk=pk)
        try:
            article_restore(article=article, version=version, by=request.user)
        except (PermissionDenied, ValidationError) as error:
            text = (
                " ".join(error.messages)
                if isinstance(error, ValidationError)
                else str(error)
            )
            self.message_user(request, text, messages.ERROR)
            return redirect("admin:articles_article_compare", pk=pk)
        self.message_user(
            request,
            _("Restored. The earlier text is now the current one; nothing was lost."),
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", object_id=pk)

    def history_view(self, request, object_id, extra_context=None):
        # django-reversion looks versions up by the id as typed before anyone
        # checks the story exists; PostgreSQL refuses an id holding a NUL.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring goes through the compare page and article_restore, which
        # keeps the workflow state and the edit counter honest.
        if not self.has_view_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        return redirect(
            f"{reverse('admin:articles_article_compare', args=[article.pk])}"
            f"?b={version_id}"
        )

    # Deleted stories are not recovered from the admin, so nobody gets the
    # list of them either (it showed journalists what editors had deleted).
    def recoverlist_view(self, request, extra_context=None):
        raise PermissionDenied

    def recover_view(self, request, version_id, extra_context=None):
        raise PermissionDenied

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else None
