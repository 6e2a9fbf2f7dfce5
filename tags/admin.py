from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag as TaggitDefaultTag
from taggit.utils import parse_tags

from core.changelist import NewsroomModelAdmin, NewsroomTabularInline, is_id
from tags.forms import TagAdminForm, TagMergeForm
from tags.models import Tag, TagAlias, TagRedirect
from tags.services import (
    near_duplicate_groups,
    tag_merge,
    tag_pin_conflicts,
    tag_record_slug_change,
    tag_suggestions,
    tag_typed_warnings,
    trending_invalidate,
)

# We use our own tag model; taggit's default one would only confuse editors.
admin.site.unregister(TaggitDefaultTag)


class TagAliasInline(NewsroomTabularInline):
    model = TagAlias
    fields = ["name", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0
    verbose_name_plural = _("aliases (names that file under this tag)")


class TagRedirectInline(NewsroomTabularInline):
    model = TagRedirect
    fields = ["old_slug", "created_at"]
    readonly_fields = ["old_slug", "created_at"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("old addresses that redirect here")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Tag)
class TagAdmin(NewsroomModelAdmin):
    list_display = [
        "name",
        "slug",
        "story_count",
        "strip_position",
        "is_hidden_from_strip",
    ]
    list_editable = ["strip_position", "is_hidden_from_strip"]
    list_filter = ["is_hidden_from_strip"]
    ordering = ["name"]
    search_fields = ["name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    form = TagAdminForm
    fields = ["name", "slug", "description", "strip_position", "is_hidden_from_strip"]
    inlines = [TagAliasInline, TagRedirectInline]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_story_counts()

    @admin.display(description=_("published stories"), ordering="story_count")
    def story_count(self, tag):
        return tag.story_count

    def get_urls(self):
        return [
            path(
                "merge/",
                self.admin_site.admin_view(self.merge_view),
                name="tags_tag_merge",
            ),
            path(
                "duplicates/",
                self.admin_site.admin_view(self.duplicates_view),
                name="tags_tag_duplicates",
            ),
            path(
                "suggest/",
                self.admin_site.admin_view(self.suggest_view),
                name="tags_tag_suggest",
            ),
            path(
                "check/",
                self.admin_site.admin_view(self.check_view),
                name="tags_tag_check",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        old_slug = form.initial.get("slug", "") if change else ""
        # Compared with the strip as readers see it before this pin.
        pinned = "strip_position" in form.changed_data
        conflicts = tag_pin_conflicts(tag=obj) if pinned else []
        renamed = "name" in form.changed_data
        twins = [
            warning
            for warning in (tag_typed_warnings([obj.name]) if renamed else [])
            if warning.use != form.initial.get("name")
        ]
        super().save_model(request, obj, form, change)
        tag_record_slug_change(tag=obj, old_slug=old_slug)
        trending_invalidate()
        for warning in twins:
            self.message_user(
                request,
                _(
                    "%(message)s Saved anyway: if they are one subject, merge "
                    "them on the Near-duplicates page."
                )
                % {"message": warning.message},
                messages.WARNING,
            )
        for other in conflicts:
            self.message_user(
                request,
                _(
                    "“%(tag)s” looks like “%(other)s”, already on the trending "
                    "strip: the strip shows only one of them. Merge them on "
                    "the Near-duplicates page to keep one tag."
                )
                % {"tag": obj.name, "other": other.name},
                messages.WARNING,
            )

    def has_merge_permission(self, request):
        return request.user.has_perms(["tags.change_tag", "tags.delete_tag"])

    @admin.action(description=_("Merge selected tags…"), permissions=["merge"])
    def merge_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse('admin:tags_tag_merge')}?ids={ids}")

    def merge_view(self, request):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = TagMergeForm(request.POST)
            choices = form.posted_tags()
        else:
            ids = [pk for pk in request.GET.get("ids", "").split(",") if is_id(pk)]
            choices = Tag.objects.filter(pk__in=ids).with_story_counts()
            form = TagMergeForm(initial={"tags": choices}, choices=choices)
        if request.method == "POST" and form.is_valid():
            survivor = form.cleaned_data["survivor"]
            merged = [tag for tag in form.cleaned_data["tags"] if tag != survivor]
            try:
                moved = tag_merge(survivor=survivor, merged=merged, by=request.user)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Merged %(count)d tag into “%(name)s”; "
                        "%(moved)d stories moved.",
                        "Merged %(count)d tags into “%(name)s”; "
                        "%(moved)d stories moved.",
                        len(merged),
                    )
                    % {"count": len(merged), "name": survivor.name, "moved": moved},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:tags_tag_changelist"))
        choices = choices.with_story_counts().order_by("-story_count", "name")
        form.fields["survivor"].queryset = choices
        return render(
            request,
            "admin/tags/tag/merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Merge tags"),
                "form": form,
                "choices": choices,
            },
        )

    def duplicates_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return render(
            request,
            "admin/tags/tag/duplicates.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Near-duplicate tags"),
                "groups": near_duplicate_groups(),
                "can_merge": self.has_merge_permission(request),
            },
        )

    def suggest_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return JsonResponse(
            {"results": tag_suggestions(query=request.GET.get("q", ""))}
        )

    def check_view(self, request):
        """The story form's tags as typed (`names`, comma-separated): the
        near-duplicates among them, for the widget to flag before saving."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            names = parse_tags(request.GET.get("names", "")[:5000])
        except ValueError:
            names = []
        warnings = tag_typed_warnings(names)
        return JsonResponse({"warnings": [warning.as_dict() for warning in warnings]})
