from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitDefaultTag

from tags.models import Tag

# We use our own tag model; taggit's default one would only confuse editors.
admin.site.unregister(TaggitDefaultTag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "story_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(story_count=Count("tagged_articles"))
        )

    @admin.display(description=_("stories"), ordering="story_count")
    def story_count(self, tag):
        return tag.story_count
