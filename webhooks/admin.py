import ipaddress
import re
from urllib.parse import urlsplit

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.changelist import NewsroomModelAdmin
from webhooks import outbound
from webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from webhooks.services import (
    MANAGE_PERMISSION,
    delivery_redeliver,
    endpoint_enable,
    endpoint_secret_rotate,
)

# The forms of IPv4 address resolvers still accept: 2130706433, 0177.0.0.1,
# 0x7f.1. Only the usual dotted form is taken.
_NUMERIC_HOST = re.compile(
    r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}", re.IGNORECASE
)
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_DOTTED_QUAD = re.compile(rf"{_OCTET}(\.{_OCTET}){{3}}")


def endpoint_url_problem(url: str) -> str | None:
    """What an editor should fix in an endpoint's address, or None. The
    real check is made on every send (webhooks/outbound.py); this one
    catches mistakes and obvious attempts before they are saved."""
    reason = outbound.url_refusal(url)
    if reason:
        return reason
    parts = urlsplit(url)
    host = parts.hostname.rstrip(".")
    if _NUMERIC_HOST.fullmatch(host) and not _DOTTED_QUAD.fullmatch(host):
        return _(
            "Write an IP address as four decimal numbers (like 203.0.113.7), "
            "or better, use a host name."
        )
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    port = parts.port or outbound.DEFAULT_PORTS[parts.scheme]
    if address is not None and not outbound.host_is_allowed_private(host, port):
        reason = outbound.address_refusal(address)
        if reason:
            return reason
    if address is not None and address in outbound.METADATA_ADDRESSES:
        return outbound.address_refusal(address)
    local = host in {"localhost", "localhost.localdomain"} or host.endswith(
        ".localhost"
    )
    if local and not outbound.host_is_allowed_private(host, port):
        return _("localhost is this server, not a receiver on the internet.")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return _("This is not a valid web address.")
    return None


class WebhookEndpointForm(forms.ModelForm):
    # A plain text field: forms.URLField would add "http://" to what was
    # typed and answer every mistake with the same message.
    url = forms.CharField(
        label=gettext_lazy("address"),
        max_length=500,
        help_text=WebhookEndpoint._meta.get_field("url").help_text,
        widget=forms.URLInput(attrs={"size": 80}),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("events"),
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
        problem = endpoint_url_problem(url)
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
class WebhookDeliveryAdmin(NewsroomModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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
