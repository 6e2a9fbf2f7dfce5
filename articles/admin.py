from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article, Author, Byline, LeadIn, Section
from articles.services import PUBLISH_PERMISSION, article_publish, article_unpublish
from tags.forms import TagAutocompleteWidget
from tags.services import trending_invalidate


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "story_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    @admin.display(description=_("stories"), ordering="story_count")
    def story_count(self, section):
        return section.story_count


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug", "user__username", "user__email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(LeadIn)
class LeadInAdmin(admin.ModelAdmin):
    list_display = ["label", "position"]
    list_editable = ["position"]
    search_fields = ["label"]


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    extra = 1
    verbose_name = _("author")
    verbose_name_plural = _("bylines (in the order printed)")


def _workflow_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "headline",
        "section",
        "status",
        "published_at",
        "author_names",
        "updated_at",
    ]
    list_filter = ["status", "section"]
    list_select_related = ["section"]
    search_fields = ["headline", "dek", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section"]
    readonly_fields = ["status", "published_at", "created_at", "updated_at"]
    inlines = [BylineInline]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "section", "body", "tags"]}),
        (
            _("Syndication"),
            {
                "classes": ["collapse"],
                "fields": ["source_name", "source_url"],
                "description": _("Only for stories first published elsewhere."),
            },
        ),
        (
            _("Status"),
            {"fields": ["status", "published_at", "created_at", "updated_at"]},
        ),
    ]

    class Media:
        css = {"all": ["articles/admin/editor.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    @admin.display(description=_("authors"))
    def author_names(self, article):
        return ", ".join(author.name for author in article.byline_authors)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "source_url":
            kwargs["assume_scheme"] = "https"
        if db_field.name == "tags":
            kwargs["widget"] = TagAutocompleteWidget()
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in {"headline", "dek", "source_url"}:
            formfield.widget.attrs["class"] = "vLargeTextField one-line"
        if db_field.name == "body":
            # The house lead-in labels are data editors change, so read them per form.
            labels = list(LeadIn.objects.values_list("label", flat=True))
            config = formfield.widget.config
            formfield.widget.config = config | {
                "extensions": config["extensions"] | {"LeadIn": {"labels": labels}}
            }
        return formfield

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The story's tags may have changed what is trending.
        trending_invalidate()

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    @admin.action(
        description=_("Publish selected stories now"), permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        self._run_many(request, queryset, article_publish, _("published"))

    @admin.action(description=_("Unpublish selected stories"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._run_many(request, queryset, article_unpublish, _("unpublished"))

    def _run_many(self, request, queryset, service, done):
        changed = 0
        for article in queryset:
            try:
                service(article=article, by=request.user)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(
                    request, f"“{article}”: {_workflow_message(error)}", messages.ERROR
                )
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

    def _apply_workflow_button(self, request, article):
        """Handle the "Save and publish" and "Unpublish" buttons of the form."""
        if "_publish" in request.POST:
            service, done = article_publish, _("The story is live.")
        elif "_unpublish" in request.POST:
            service, done = article_unpublish, _("The story was withdrawn.")
        else:
            return None
        try:
            service(article=article, by=request.user)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, _workflow_message(error), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk])
        )

    def response_add(self, request, obj, post_url_continue=None):
        return self._apply_workflow_button(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._apply_workflow_button(request, obj) or super().response_change(
            request, obj
        )

    def render_change_form(self, request, context, *args, **kwargs):
        context["can_publish"] = self.has_publish_permission(request)
        return super().render_change_form(request, context, *args, **kwargs)
