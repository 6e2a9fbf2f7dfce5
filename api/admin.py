from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken, TokenStatus
from api.services import token_issue, token_revoke
from core.changelist import NewsroomModelAdmin


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return TokenStatus.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == TokenStatus.ACTIVE:
            return queryset.active()
        if value == TokenStatus.EXPIRED:
            return queryset.expired()
        if value == TokenStatus.REVOKED:
            return queryset.revoked()
        return queryset


class ApiTokenForm(forms.ModelForm):
    revoke = forms.BooleanField(
        label=_("Revoke this token"),
        required=False,
        help_text=_("It stops working at once. This cannot be undone."),
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].queryset = get_user_model().objects.filter(
                is_staff=True, is_active=True
            )

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if self.instance.pk is None and expires_at <= timezone.now():
            raise ValidationError(_("Choose an expiry in the future."))
        return expires_at


@admin.register(ApiToken)
class ApiTokenAdmin(NewsroomModelAdmin):
    """Issued here, shown once; revoked with the action or the form's box."""

    form = ApiTokenForm
    list_display = [
        "name",
        "user",
        "prefix",
        "status",
        "created_at",
        "expires_at",
        "last_used_at",
    ]
    list_select_related = ["user"]
    list_filter = [StatusFilter]
    search_fields = ["name", "prefix", "user__username", "user__email"]
    date_hierarchy = "created_at"
    actions = ["revoke_selected"]
    readonly_fields = [
        "prefix",
        "status",
        "created_at",
        "created_by",
        "revoked_at",
        "last_used_at",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expires_at"]
        fields = ["user", "name", "prefix", "status", "expires_at", "created_at"]
        fields += ["created_by", "last_used_at", "revoked_at"]
        if obj.revoked_at is None and self.has_change_permission(request, obj):
            fields.append("revoke")
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Who a token acts as and when it ends are fixed once it is issued.
        return [*self.readonly_fields, "user", "expires_at"]

    @admin.display(description=_("status"))
    def status(self, token):
        return TokenStatus(token.status).label

    def save_model(self, request, obj, form, change):
        if not change:
            plain = token_issue(token=obj, by=request.user)
            self.message_user(
                request,
                _("Token issued. Copy it now, it is not shown again: %(token)s")
                % {"token": plain},
                messages.SUCCESS,
            )
            return
        obj.save(update_fields=["name"])
        if form.cleaned_data.get("revoke"):
            token_revoke(token=obj, by=request.user)
            self.message_user(request, _("The token was revoked."), messages.SUCCESS)

    def has_revoke_permission(self, request):
        return self.has_change_permission(request)

    @admin.action(description=_("Revoke selected tokens"), permissions=["revoke"])
    def revoke_selected(self, request, queryset):
        count = 0
        try:
            for token in queryset.filter(revoked_at__isnull=True):
                if token_revoke(token=token, by=request.user):
                    self.log_change(request, token, gettext("Revoked the token."))
                    count += 1
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )
