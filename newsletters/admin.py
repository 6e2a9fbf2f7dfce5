from datetime import datetime

from csp.decorators import csp_replace
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from articles.views import front_page_stories
from core.changelist import NewsroomModelAdmin, NewsroomTabularInline, ReadOnlyAdmin
from newsletters import sending
from newsletters.email import edition_bodies, edition_items
from newsletters.models import (
    Edition,
    EditionItem,
    EditionStatus,
    Newsletter,
    Subscription,
    SubscriptionStatus,
    Suppression,
)

# Editions that may still be edited: not yet going out, nor gone.
EDITABLE = {EditionStatus.DRAFT, EditionStatus.SCHEDULED, EditionStatus.STOPPED}


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


class StoryIdWidget(ForeignKeyRawIdWidget):
    """The story's id, with the lookup button; its headline is shown by the
    row itself (from one query for all rows), not looked up per row."""

    def label_and_url_for_value(self, value):
        return "", ""


class EditionItemInline(NewsroomTabularInline):
    model = EditionItem
    fields = ["position", "story", "headline", "include_dek", "lead_ins"]
    readonly_fields = ["headline"]
    raw_id_fields = ["story"]
    extra = 0
    ordering = ["position", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("story")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "story":
            field.widget = StoryIdWidget(db_field.remote_field, self.admin_site)
        return field

    @admin.display(description=_("headline"))
    def headline(self, item):
        return item.story.headline if item.story_id else ""


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("In the newsroom's time zone."),
    )


@admin.register(Edition)
class EditionAdmin(NewsroomModelAdmin):
    change_form_template = "admin/newsletters/edition/change_form.html"
    list_display = ["subject", "newsletter", "status", "send_at", "sent_at"]
    list_filter = ["status", "newsletter"]
    list_select_related = ["newsletter"]
    search_fields = ["subject"]
    fields = ["newsletter", "subject", "intro"]
    inlines = [EditionItemInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["status", "send_at", "sent_at", "stop_reason"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return [*self.fields, "status", "send_at", "sent_at", "stop_reason"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status in EDITABLE)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_send_permission(self, request) -> bool:
        return request.user.has_perm("newsletters.send_edition")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        edition = self.get_object(request, object_id)
        extra = extra_context or {}
        if edition is not None:
            extra |= {
                "edition": edition,
                "counts": sending.delivery_counts(edition),
                "can_send": self.has_send_permission(request)
                and edition.status in EDITABLE,
                "can_fill": self.has_change_permission(request, edition),
            }
        return super().change_view(request, object_id, form_url, extra)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/preview/",
                view(self.preview_view),
                name="newsletters_edition_preview",
            ),
            path(
                "<int:pk>/preview/email/",
                view(self.preview_email_view),
                name="newsletters_edition_preview_email",
            ),
            path(
                "<int:pk>/fill/",
                view(self.fill_view),
                name="newsletters_edition_fill",
            ),
            path(
                "<int:pk>/send-test/",
                view(self.send_test_view),
                name="newsletters_edition_send_test",
            ),
            path(
                "<int:pk>/send/",
                view(self.send_view),
                name="newsletters_edition_send",
            ),
            *super().get_urls(),
        ]

    def _edition(self, request, pk, *, change=False, send=False) -> Edition:
        edition = get_object_or_404(Edition.objects.select_related("newsletter"), pk=pk)
        if not self.has_view_permission(request, edition):
            raise PermissionDenied
        if change and not self.has_change_permission(request, edition):
            raise PermissionDenied
        if send and not self.has_send_permission(request):
            raise PermissionDenied
        return edition

    def _back(self, edition):
        return redirect(reverse("admin:newsletters_edition_change", args=[edition.pk]))

    def preview_view(self, request, pk):
        edition = self._edition(request, pk)
        email = request.user.email or "reader@example.org"
        text, _page = edition_bodies(edition, edition_items(edition), email)
        return render(
            request,
            "admin/newsletters/edition/preview.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "edition": edition,
                "text": text,
                "title": gettext("Preview of “%(subject)s”")
                % {"subject": edition.subject},
            },
        )

    def preview_email_view(self, request, pk):
        edition = self._edition(request, pk)
        email = request.user.email or "reader@example.org"
        _text, page = edition_bodies(edition, edition_items(edition), email)
        return email_page(request, page)

    def fill_view(self, request, pk):
        """Append the front page's stories not in the edition yet."""
        edition = self._edition(request, pk, change=True)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        present = set(edition.items.values_list("story_id", flat=True))
        position = (edition.items.aggregate(last=Max("position"))["last"] or 0) + 1
        added = []
        for story in front_page_stories():
            if story.pk not in present:
                added.append(
                    EditionItem(edition=edition, story=story, position=position)
                )
                position += 1
        EditionItem.objects.bulk_create(added)
        messages.success(
            request,
            gettext("%(count)d stories from the front page were added.")
            % {"count": len(added)},
        )
        return self._back(edition)

    def send_test_view(self, request, pk):
        edition = self._edition(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            sending.edition_send_test(edition, email=request.user.email)
        except sending.EditionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                gettext("A test was sent to %(email)s.")
                % {"email": request.user.email},
            )
        return self._back(edition)

    def send_view(self, request, pk):
        """Confirm, then send now or schedule."""
        edition = self._edition(request, pk, send=True)
        form = ScheduleForm(request.POST if "schedule" in request.POST else None)
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            try:
                if "schedule" in request.POST:
                    if not form.is_valid():
                        raise sending.EditionRefused(
                            gettext("Enter the date and time to send it.")
                        )
                    send_at = form.cleaned_data["send_at"]
                    sending.edition_schedule(edition, send_at=send_at)
                    messages.success(
                        request,
                        gettext("Scheduled for %(time)s.") % {"time": _local(send_at)},
                    )
                else:
                    queued = sending.edition_send(edition)
                    messages.success(
                        request,
                        gettext("Sending to %(count)d subscribers.")
                        % {"count": queued},
                    )
                return self._back(edition)
            except sending.EditionRefused as refusal:
                messages.error(request, str(refusal))
        receiving = (
            Subscription.objects.receiving()
            .filter(newsletter=edition.newsletter)
            .count()
        )
        return render(
            request,
            "admin/newsletters/edition/send.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "edition": edition,
                "form": form,
                "receiving": receiving,
                "title": gettext("Send “%(subject)s”") % {"subject": edition.subject},
            },
        )


@xframe_options_sameorigin
@csp_replace(
    {
        # The email's CSS is inlined into style attributes; it has no
        # scripts, and is shown only in the preview page's frame.
        "style-src": ["'unsafe-inline'"],
        "script-src": ["'none'"],
        "frame-ancestors": ["'self'"],
    }
)
def email_page(request, page: str) -> HttpResponse:
    return HttpResponse(page)


def _local(when: datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
