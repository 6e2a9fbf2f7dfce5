from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.changelist import NewsroomModelAdmin
from newsletters.models import (
    Newsletter,
    Subscription,
    SubscriptionStatus,
    Suppression,
)


@admin.register(Newsletter)
class NewsletterAdmin(NewsroomModelAdmin):
    list_display = [
        "name",
        "schedule",
        "is_active",
        "confirmed_count",
        "pending_count",
        "position",
    ]
    list_filter = ["is_active"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "schedule", "is_active"]}),
        (_("Sending"), {"fields": ["sender", "position"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed=Count(
                    "subscriptions",
                    filter=Q(subscriptions__status=SubscriptionStatus.CONFIRMED),
                ),
                pending=Count(
                    "subscriptions",
                    filter=Q(subscriptions__status=SubscriptionStatus.PENDING),
                ),
            )
        )

    @admin.display(description=_("subscribers"), ordering="confirmed")
    def confirmed_count(self, obj):
        return obj.confirmed

    @admin.display(description=_("waiting for confirmation"), ordering="pending")
    def pending_count(self, obj):
        return obj.pending

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NewsroomModelAdmin):
    """Readers' own choices: the newsroom looks, the readers change them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["email", "newsletter", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "newsletter"]
    list_select_related = ["newsletter"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    fields = [
        "email",
        "newsletter",
        "user",
        "status",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    readonly_fields = fields


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyAdmin):
    list_display = ["email", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    fields = ["email", "reason", "created_at"]
    readonly_fields = fields
