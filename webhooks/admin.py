from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.changelist import NewsroomModelAdmin, ReadOnlyAdmin
from webhooks import outbound
from webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from webhooks.services import (
    MANAGE_PERMISSION,
    delivery_redeliver,
    endpoint_enable,
    endpoint_secret_rotate,
)


class WebhookEndpointForm(forms.ModelForm):
    # A plain text field: forms.URLField would add "http://" to what was
    # typed and answer every mistake with the same message.
    url = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=500,
        help_text=WebhookEndpoint._meta.get_field("url").help_text,
        widget=forms.URLInput(attrs={"size": 80}),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=WebhookEndpoint._meta.get_field("events").help_text,
        error_messages={"required": gettext_lazy("Pick at least one event.")},
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        problem = outbound.endpoint_url_problem(url)
        if problem:
            raise ValidationError(problem)
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(NewsroomModelAdmin):
    form = WebhookEndpointForm
    list_display = [
        "url",
        "description",
        "events_shown",
        "state",
        "consecutive_failures",
        "delivery_log",
    ]
    list_filter = ["is_active"]
    search_fields = ["url", "description"]
    readonly_fields = [
        "secret",
        "state",
        "consecutive_failures",
        "disabled_at",
        "disabled_reason",
        "delivery_log",
        "created_at",
        "created_by",
    ]
    actions = ["rotate_secret"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ["url", "description", "events", "is_active"]})]
        if obj is not None:
            fieldsets += [
                (_("Signing"), {"fields": ["secret"]}),
                (
                    _("Deliveries"),
                    {
                        "fields": [
                            "state",
                            "consecutive_failures",
                            "disabled_at",
                            "disabled_reason",
                            "delivery_log",
                            "created_at",
                            "created_by",
                        ]
                    },
                ),
            ]
        return fieldsets

    @admin.display(description=gettext_lazy("events"))
    def events_shown(self, obj):
        labels = dict(Event.choices)
        return ", ".join(str(labels.get(event, event)) for event in obj.events)

    @admin.display(description=gettext_lazy("state"))
    def state(self, obj):
        if obj.is_active:
            return _("Active")
        if obj.disabled_at:
            return _("Switched off: %(reason)s") % {"reason": obj.disabled_reason}
        return _("Paused")

    @admin.display(description=gettext_lazy("delivery log"))
    def delivery_log(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("admin:webhooks_webhookdelivery_changelist")
        return format_html(
            '<a href="{}?endpoint__id__exact={}">{}</a>', url, obj.pk, _("Deliveries")
        )

    def changelist_view(self, request, extra_context=None):
        switched_off = WebhookEndpoint.objects.filter(
            is_active=False, disabled_at__isnull=False
        ).count()
        if switched_off and request.method == "GET":
            messages.warning(
                request,
                ngettext(
                    "%(count)d endpoint was switched off after failing again and "
                    "again: see why in its “state”.",
                    "%(count)d endpoints were switched off after failing again and "
                    "again: see why in their “state”.",
                    switched_off,
                )
                % {"count": switched_off},
            )
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        elif "is_active" in form.changed_data and obj.is_active:
            endpoint_enable(endpoint=obj)
        super().save_model(request, obj, form, change)

    @admin.action(
        description=gettext_lazy("Rotate the signing secret of selected endpoints"),
        permissions=["change"],
    )
    def rotate_secret(self, request, queryset):
        count = 0
        for endpoint in queryset:
            endpoint_secret_rotate(endpoint=endpoint, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "New secret made for %(count)d endpoint: give it to its receiver.",
                "New secrets made for %(count)d endpoints: give them to their "
                "receivers.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "endpoint",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint"]
    search_fields = ["=id", "endpoint__url"]
    date_hierarchy = "created_at"
    actions = ["redeliver"]
    fields = [
        "id",
        "endpoint",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "response_excerpt",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
        "created_at",
        "payload",
    ]
    readonly_fields = fields

    def has_redeliver_permission(self, request):
        return request.user.has_perm(MANAGE_PERMISSION)

    @admin.action(
        description=gettext_lazy("Send selected deliveries again"),
        permissions=["redeliver"],
    )
    def redeliver(self, request, queryset):
        count = 0
        for delivery in queryset.select_related("endpoint"):
            try:
                delivery_redeliver(delivery=delivery, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                count += 1
        if count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d delivery queued again.",
                    "%(count)d deliveries queued again.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
